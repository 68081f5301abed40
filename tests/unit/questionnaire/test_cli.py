"""The ``socready questionnaire`` commands."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from socready.cli.main import app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def run(*args: str):
    return CliRunner().invoke(app, ["questionnaire", *args])


def test_scan_json_reports_asks_per_file_and_a_summary_and_survives_a_bad_file(fixtures):
    result = run("scan", str(fixtures / "sig_like.xlsx"), str(fixtures / "bad" / "corrupt.xlsx"),
                 str(fixtures / "vsa_like.csv"), "--json")
    assert result.exit_code == 2  # a file failed, the others were still scanned
    data = json.loads(result.stdout)
    files = {entry["file"]: entry for entry in data["files"]}
    assert files[str(fixtures / "bad" / "corrupt.xlsx")]["error"]
    sig = files[str(fixtures / "sig_like.xlsx")]
    assert sig["error"] is None
    first = sig["asks"][0]
    assert set(first) >= {"report", "type", "categories", "question_id", "question", "location"}
    assert (first["report"], first["type"], first["location"]) == ("SOC 1", "Type II", "Assessment!C4")
    summary = data["summary"]
    assert summary["files_read"] == 2 and summary["files_failed"] == 1
    assert summary["soc1"] is True and summary["soc2"] is True


def test_scan_without_json_prints_a_table_and_the_totals(fixtures):
    result = run("scan", str(fixtures / "vsa_like.csv"))
    assert result.exit_code == 0
    assert "1 of 1 ask for SOC 2 Type I or Type II" in result.stdout


def test_map_json_lists_each_question_with_ranked_criteria(fixtures):
    result = run("map", str(fixtures / "hecvat_like.xlsx"), "--json")
    assert result.exit_code == 0
    questions = json.loads(result.stdout)["questions"]
    by_id = {q["id"]: q for q in questions}
    assert by_id["APPL-02"]["location"] == "Application!B7"
    assert "CC6.1" in by_id["APPL-02"]["criteria"][:3]
    assert isinstance(by_id["APPL-02"]["controls"], list)


def test_map_of_an_unreadable_file_fails_with_its_name(fixtures):
    result = run("map", str(fixtures / "bad" / "protected.xlsx"))
    assert result.exit_code == 2
    assert "protected.xlsx" in result.stderr and "password-protected" in result.stderr
