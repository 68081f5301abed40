"""`socready vendor read`: the facts as JSON with exactly the documented keys, and bad input exits 2 naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socready.cli.main import app

REPORTS = Path(__file__).resolve().parents[2] / "data" / "vendor_reports"
KEYS = {"report", "type", "period_start", "period_end", "as_of", "service_auditor", "report_date", "opinion",
        "categories", "subservice_organizations", "cuecs", "exceptions", "pages"}


def test_vendor_read_json_gives_the_documented_keys_with_iso_dates() -> None:
    result = CliRunner().invoke(app, ["vendor", "read", str(REPORTS / "larkspur_soc2_type2_qualified.pdf"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert (data["period_start"], data["period_end"], data["report_date"]) == ("2023-11-01", "2024-10-31",
                                                                              "2024-12-06")
    assert data["subservice_organizations"][0]["name"] == "Amazon Web Services"
    assert data["subservice_organizations"][0]["method"] == "carve-out"
    assert data["opinion"] == "qualified" and len(data["exceptions"]) == 2 and data["pages"] == 5


def test_vendor_read_table_names_the_page_of_each_fact() -> None:
    result = CliRunner().invoke(app, ["vendor", "read", str(REPORTS / "bluefin_soc1_type1.pdf")])
    assert result.exit_code == 0, result.output
    assert "2024-06-30" in result.stdout and "inclusive" in result.stdout and "check:" in result.stdout


def test_vendor_read_refuses_bad_files_with_exit_2_and_the_file_named(tmp_path: Path) -> None:
    for path in (REPORTS / "not_a_report.pdf", REPORTS / "truncated.pdf", tmp_path / "missing.pdf"):
        result = CliRunner().invoke(app, ["vendor", "read", str(path), "--json"])
        assert result.exit_code == 2
        assert path.name in result.stderr and result.stdout == ""


def _greedy_reader(path: Path) -> object:
    return [bytearray(64 * 1024 * 1024) for _ in range(64)]  # a parser expanding a small file into gigabytes


def test_vendor_read_runs_the_reader_in_a_bounded_child_and_refuses_past_its_memory_cap(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from socready.cli import vendors
    from socready.io.sandbox import SandboxLimits

    monkeypatch.setattr(vendors, "read_soc_report", _greedy_reader)
    monkeypatch.setattr(vendors, "VENDOR_REPORT_SANDBOX", SandboxLimits(seconds=60.0, memory_bytes=256 * 1024 * 1024))
    result = CliRunner().invoke(app, ["vendor", "read", str(REPORTS / "larkspur_soc2_type2_qualified.pdf"), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "larkspur_soc2_type2_qualified.pdf" in result.stderr and "256 MB" in result.stderr
