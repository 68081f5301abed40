"""`socready readiness` and `socready export` over an organization's program in the database."""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from socready.cli.main import app
from socready.programs.models import Control
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import Program, add_evidence, make_program


@pytest.fixture
def reports_program(personas: Personas, settings, tmp_path_factory) -> Program:  # type: ignore[no-untyped-def]
    # Stored files are shared by hash; a store per test keeps one test's tampering out of the next.
    settings.EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")
    return make_program(personas)


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _readiness(*extra: str) -> dict[str, Any]:
    result = _run("readiness", "--org", "acme", "--json", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_readiness_json_has_scores_gaps_ready_date_and_skipped_engagements(reports_program: Program) -> None:
    data = _readiness()
    soc1, soc2 = reports_program.ids
    assert isinstance(data["overall"], int) and 0 <= data["overall"] < 100
    assert set(data["by_category"]) == {"Security"} and "score" in data["by_category"]["Security"]
    assert [r["engagement"] for r in data["by_report"]] == [soc1, soc2]
    assert [e["id"] for e in data["engagements"]] == [soc1, soc2]
    assert data["engagements"][0]["label"].startswith("SOC 1 Type I (as of ")
    gap = next(g for g in data["gaps"] if g["target"] == "CC7.2")
    assert gap["report"] == "soc2" and gap["engagements"] == [soc2] and "CC7.2" in gap["reason"]
    assert gap["task"]["control"] == "LOG-1" and gap["task"]["open_task"] == "Wire alerts to the on-call rota"
    assert data["ready_date"] == reports_program.task.due_date.isoformat()  # type: ignore[union-attr]
    assert len(data["skipped"]) == 1 and "period start and end" in data["skipped"][0]
    assert data["engagement"] is None


def test_evidence_and_operating_controls_raise_the_figures(reports_program: Program) -> None:
    before = _readiness()
    Control.objects.filter(pk=reports_program.only_soc2.pk).update(status="operating")
    add_evidence(reports_program.org, reports_program.only_soc2, "Alert fired and answered", days_ago=2)
    after = _readiness()
    assert after["overall"] > before["overall"]
    assert after["by_category"]["Security"]["score"] > before["by_category"]["Security"]["score"]
    assert "CC7.2" not in {g["target"] for g in after["gaps"]}


def test_one_engagement_only(reports_program: Program) -> None:
    soc1, _ = reports_program.ids
    data = _readiness("--engagement", soc1)
    assert data["engagement"] == soc1
    assert [r["engagement"] for r in data["by_report"]] == [soc1]
    assert data["by_category"] == {} and {g["report"] for g in data["gaps"]} == {"soc1"}
    assert data["overall"] == data["by_report"][0]["score"]


def test_text_output_shows_engagement_ids_and_gaps(reports_program: Program) -> None:
    result = _run("readiness", "--org", "acme", "--gaps", "100")
    assert result.exit_code == 0, result.output
    soc1, soc2 = reports_program.ids
    assert "Acme Payroll" in result.stdout and "Engagements (use the id with --engagement)" in result.stdout
    assert f"│ {soc1} " in result.stdout and f"│ {soc2} " in result.stdout
    assert "CC7.2" in result.stdout and "Not scored:" in result.stdout


def test_names_that_look_like_terminal_markup_are_printed_as_they_are(
        reports_program: Program, personas: Personas) -> None:
    personas.acme.name = "Acme [/] [bold]Payroll"
    personas.acme.save()
    Control.objects.filter(organization=personas.acme).update(title="[red]Backups[/red] tested")
    result = _run("readiness", "--org", "acme", "--gaps", "100")
    assert result.exit_code == 0, result.output
    assert "Acme [/] [bold]Payroll" in result.stdout


def test_unknown_organization_or_engagement_is_bad_input_exiting_2(reports_program: Program,
                                                                    tmp_path: Path) -> None:
    result = _run("readiness", "--org", "nope")
    assert result.exit_code == 2 and "--org: no organization with slug 'nope'" in result.stderr
    result = _run("export", "matrix", "--org", "nope", "-o", str(tmp_path / "m.xlsx"))
    assert result.exit_code == 2 and "no organization with slug 'nope'" in result.stderr
    result = _run("readiness", "--org", "acme", "--engagement", "99999")
    assert result.exit_code == 2 and "--engagement: acme has no engagement with id '99999'" in result.stderr
    assert reports_program.ids[0] in result.stderr  # the message lists the engagements that exist
    undated = str(reports_program.undated.pk)
    result = _run("readiness", "--org", "acme", "--engagement", undated)
    assert result.exit_code == 2 and "cannot be scored yet" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_kind_lists_the_valid_ones(tmp_path: Path, reports_program: Program) -> None:
    result = _run("export", "everything", "--org", "acme", "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "report-html, report-pdf, matrix, pbc, description, oscal, bundle" in result.stderr
    assert not (tmp_path / "x").exists()


def test_matrix_lists_the_shared_control_in_both_report_sheets(tmp_path: Path, reports_program: Program) -> None:
    target = tmp_path / "matrix.xlsx"
    result = _run("export", "matrix", "--org", "acme", "-o", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target, read_only=True)
    codes = {name: [r[0] for r in book[name].iter_rows(min_row=2, values_only=True)]
             for name in ("All controls", "SOC 1", "SOC 2", "Shared")}
    assert codes == {"All controls": ["AC-1", "CHG-1", "LOG-1"], "SOC 1": ["AC-1", "CHG-1"],
                     "SOC 2": ["AC-1", "LOG-1"], "Shared": ["AC-1"]}


def test_an_existing_file_is_refused_unless_forced(tmp_path: Path, reports_program: Program) -> None:
    target = tmp_path / "pbc.csv"
    target.write_text("keep me", encoding="utf-8")
    result = _run("export", "pbc", "--org", "acme", "-o", str(target))
    assert result.exit_code != 0 and "already exists; pass --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    result = _run("export", "pbc", "--org", "acme", "-o", str(target), "--force")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["Request"], r["Controls"], r["Reports"]) for r in rows] == [
        ("EV-AC-1", "AC-1", "SOC 1 Type I; SOC 2 Type I")]
    assert list(tmp_path.iterdir()) == [target]  # no staging file left behind


def test_pbc_xlsx_for_one_engagement(tmp_path: Path, reports_program: Program) -> None:
    _, soc2 = reports_program.ids
    target = tmp_path / "pbc.xlsx"
    assert _run("export", "pbc", "--org", "acme", "--engagement", soc2, "-o", str(target)).exit_code == 0
    rows = list(load_workbook(target, read_only=True)["PBC"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [("EV-AC-1", "SOC 2 Type I")]


def test_bundle_zip_has_evidence_by_control_and_matching_manifest(tmp_path: Path, reports_program: Program) -> None:
    target = tmp_path / "package.zip"
    result = _run("export", "bundle", "--org", "acme", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "1 evidence file(s)" in result.stdout
    archive = zipfile.ZipFile(target)
    files = {f["path"]: f["sha256"] for f in json.loads(archive.read("manifest.json"))["files"]}
    assert files["evidence/AC-1/access-review.csv"] == reports_program.sha256
    assert all(hashlib.sha256(archive.read(path)).hexdigest() == sha for path, sha in files.items())
    assert any(path.startswith("oscal/assessment-plan-") for path in files)


def test_a_missing_evidence_file_fails_the_bundle_and_writes_nothing(tmp_path: Path, reports_program: Program,
                                                                     settings) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "empty-store"
    target = tmp_path / "package.zip"
    result = _run("export", "bundle", "--org", "acme", "-o", str(target))
    assert result.exit_code == 1  # the stored evidence failed, not the command's input
    assert "access-review.csv" in result.stderr and "AC-1" in result.stderr and "missing" in result.stderr
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == []


def test_oscal_goes_to_a_folder_and_description_and_reports_open(tmp_path: Path, reports_program: Program) -> None:
    soc1, soc2 = reports_program.ids
    assert _run("export", "oscal", "--org", "acme", "-o", str(tmp_path / "oscal")).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "oscal").iterdir()) == sorted(
        ["catalog.json", f"assessment-plan-{soc1}.json", f"assessment-plan-{soc2}.json"])
    assert _run("export", "description", "--org", "acme", "-o", str(tmp_path / "d.docx")).exit_code == 0
    assert "Acme Payroll" in Document(str(tmp_path / "d.docx")).paragraphs[0].text
    assert _run("export", "report-html", "--org", "acme", "-o", str(tmp_path / "r.html")).exit_code == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Acme Payroll" in html and "CC7.2" in html
    assert _run("export", "report-pdf", "--org", "acme", "-o", str(tmp_path / "r.pdf")).exit_code == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_a_file_name_in_another_format_is_refused_before_anything_is_written(tmp_path: Path,
                                                                          reports_program: Program) -> None:
    result = _run("export", "matrix", "--org", "acme", "-o", str(tmp_path / "m.csv"))
    assert result.exit_code == 2
    assert "m.csv: matrix is written as .xlsx; give a name ending in .xlsx" in result.stderr
    result = _run("export", "pbc", "--org", "acme", "-o", str(tmp_path / "p.pdf"))
    assert result.exit_code == 2 and "pbc is written as .xlsx or .csv" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_folder_is_named(tmp_path: Path, reports_program: Program) -> None:
    result = _run("export", "matrix", "--org", "acme", "-o", str(tmp_path / "nowhere" / "m.xlsx"))
    assert result.exit_code != 0 and "does not exist" in result.stderr
