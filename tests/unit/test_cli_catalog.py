"""The catalog commands print the catalogs as tables and as JSON on stdout only."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from socready.cli.main import app

runner = CliRunner()


def test_catalog_criteria_json_lists_61_with_required_fields() -> None:
    result = runner.invoke(app, ["catalog", "criteria", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == 61
    assert all({"id", "category", "series", "title"} <= set(item) for item in items)
    assert Counter(item["category"] for item in items)["Privacy"] == 18


def test_catalog_criteria_filters_by_category_in_any_case() -> None:
    result = runner.invoke(app, ["catalog", "criteria", "--category", "processing integrity", "--json"])
    assert result.exit_code == 0
    assert [item["id"] for item in json.loads(result.stdout)] == [f"PI1.{i}" for i in range(1, 6)]


def test_unknown_category_is_an_error_naming_the_option() -> None:
    result = runner.invoke(app, ["catalog", "criteria", "--category", "Secrecy"])
    assert result.exit_code == 2
    assert "--category" in result.output and "Secrecy" in result.output


def test_catalog_objectives_and_description_criteria_json() -> None:
    objectives = json.loads(runner.invoke(app, ["catalog", "objectives", "--json"]).stdout)
    assert any(o["id"] == "ITGC-CHANGE" for o in objectives)
    dc = json.loads(runner.invoke(app, ["catalog", "description-criteria", "--json"]).stdout)
    assert [d["id"] for d in dc] == [f"DC{i}" for i in range(1, 10)]


def test_table_output_is_readable_text() -> None:
    result = runner.invoke(app, ["catalog", "criteria", "--category", "Availability"])
    assert result.exit_code == 0
    assert "A1.2" in result.stdout and "Trust Services Criteria (3)" in result.stdout


def test_bad_override_file_exits_non_zero_naming_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_text("criteria:\n  - id: CC6.1\n    colour: red\n", encoding="utf-8")
    result = runner.invoke(app, ["catalog", "criteria", "--override", str(bad), "--json"])
    assert result.exit_code == 2
    assert "ours.yaml" in result.output and "colour" in result.output
    assert result.stdout == ""


def test_version_flag() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("socready ")
