"""The ``socready coverage`` and ``socready catalog controls`` commands."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socready.cli.main import app

runner = CliRunner()


def test_full_scope_coverage_json_has_no_uncovered_criterion_or_objective() -> None:
    result = runner.invoke(app, ["coverage", "--soc1", "--soc2-categories",
                                 "Security,Availability,Confidentiality,Processing Integrity,Privacy", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["uncovered"] == {"criteria": [], "objectives": []}
    assert data["counts"]["criteria_in_scope"] == 61
    assert {t["id"] for t in data["objectives"]} >= {"ITGC-ACCESS", "ITGC-TRANSMIT"}
    assert data["counts"]["shared_controls"] == len(data["shared_controls"]) > 0
    assert data["counts"]["shared_evidence_requests"] == len(data["shared_evidence"])


def test_services_imply_soc1_and_add_their_objectives() -> None:
    result = runner.invoke(app, ["coverage", "--services", "payroll,payments", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scope"]["soc1"] and not data["scope"]["soc2"]
    ids = [t["id"] for t in data["objectives"]]
    assert "PAYROLL-05" in ids and "PAYMENTS-04" in ids and "CLAIMS-01" not in ids


def test_coverage_table_is_readable_without_json() -> None:
    result = runner.invoke(app, ["coverage", "--soc1"])
    assert result.exit_code == 0, result.output
    assert "ITGC-BACKUP" in result.stdout and "Uncovered: none" in result.stdout


def test_bad_customization_file_exits_2_naming_the_problem(data_dir: Path) -> None:
    path = data_dir / "controls" / "na_without_reason.yaml"
    result = runner.invoke(app, ["coverage", "--soc1", "--controls", str(path), "--json"])
    assert result.exit_code == 2
    assert "PHY-01" in result.stderr and "reason" in result.stderr and result.stdout == ""


def test_unknown_service_exits_2() -> None:
    result = runner.invoke(app, ["coverage", "--services", "insurance"])
    assert result.exit_code == 2 and "insurance" in result.stderr


def test_catalog_controls_json_lists_mappings_and_evidence() -> None:
    result = runner.invoke(app, ["catalog", "controls", "--report", "soc1", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert items and all(item["objectives"] for item in items)
    first = items[0]
    assert {"id", "title", "criteria", "objectives", "frequency", "evidence"} <= first.keys()
    assert first["evidence"][0]["id"].startswith("EV-")


def test_catalog_controls_refuses_an_unknown_report() -> None:
    result = runner.invoke(app, ["catalog", "controls", "--report", "soc3"])
    assert result.exit_code == 2 and "soc3" in result.stderr
