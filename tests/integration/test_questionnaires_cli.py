"""``socready questionnaire answer``: drafts from an organization's program, written into a copy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from socready.accounts.models import Organization
from socready.cli.main import app
from socready.core.controls.library import default_library
from socready.evidence.models import EvidenceItem
from socready.programs.models import Control, Engagement
from tests.integration.conftest import Personas

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "questionnaires"
QUESTIONS = (
    ("S-1", "Is multi-factor authentication enforced for administrator logins?"),
    ("S-2", "Do you have a SOC 2 Type II report?"),
    ("S-3", "How many employees have access to production?"),
    ("S-4", "Are code changes peer reviewed and tested before they reach production?"),
)


def build_program(org: Organization) -> None:
    """MFA operating with fresh evidence, change approval only designed, a SOC 2 Type II planned."""
    library = {c.id: c for c in default_library().controls}
    today = timezone.localdate()
    Engagement.objects.create(organization=org, report="soc2", report_type="type2", categories=["Security"],
                              period_start=today + dt.timedelta(days=30), period_end=today + dt.timedelta(days=210))
    for code, status in (("IAM-05", "operating"), ("CHG-01", "designed")):
        item = library[code]
        control = Control.objects.create(organization=org, code=code, library_id=code, title=item.title,
                                         description=item.description, criteria=list(item.criteria), status=status)
        if status == "operating":
            evidence = EvidenceItem.objects.create(organization=org, kind="note", title="MFA policy export",
                                                   effective_date=today - dt.timedelta(days=20))
            evidence.controls.add(control)


def questionnaire(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Questions"
    sheet.append(["ID", "Question", "Response"])
    for row in QUESTIONS:
        sheet.append([*row, None])
    book.save(path)
    return path


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["questionnaire", "answer", *args])


@pytest.mark.django_db
def test_answer_json_lists_each_draft_with_a_summary_and_writes_the_filled_copy(personas: Personas,
                                                                               tmp_path: Path) -> None:
    build_program(personas.acme)
    source = questionnaire(tmp_path / "prospect.xlsx")
    original = source.read_bytes()
    result = run(str(source), "--org", "acme", "-o", str(tmp_path / "filled.xlsx"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_id = {q["id"]: q for q in data["questions"]}
    assert set(by_id["S-1"]) >= {"id", "text", "location", "answer", "explanation", "confidence", "needs_review",
                                 "controls", "reason"}
    assert by_id["S-1"]["answer"] == "Yes" and by_id["S-1"]["controls"] == ["IAM-05"]
    assert by_id["S-3"]["reason"]  # why no answer was drafted
    assert "MFA policy export" in by_id["S-1"]["explanation"] and not by_id["S-1"]["needs_review"]
    assert by_id["S-2"]["answer"] == "No" and "SOC 2 Type II planned" in by_id["S-2"]["explanation"]
    assert by_id["S-3"]["answer"] is None and by_id["S-3"]["needs_review"]
    assert by_id["S-4"]["answer"] == "Partial"
    assert data["summary"] == {"questions": 4, "yes": 1, "no": 1, "partial": 1, "na": 0, "unanswered": 1,
                               "needs_review": 3}
    assert data["output_kind"] == "copy" and data["copy"] == "working"
    sheet = load_workbook(tmp_path / "filled.xlsx")["Questions"]
    assert [sheet[f"C{r}"].value for r in range(2, 6)] == ["Yes", "No", None, "Partial"]
    assert source.read_bytes() == original


@pytest.mark.django_db
def test_the_copy_to_send_holds_only_drafts_needing_no_review_and_no_notes(personas: Personas,
                                                                          tmp_path: Path) -> None:
    build_program(personas.acme)
    source = questionnaire(tmp_path / "prospect.xlsx")
    result = run(str(source), "--org", "acme", "-o", str(tmp_path / "send.xlsx"), "--copy", "prospect", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["copy"] == "prospect"
    sheet = load_workbook(tmp_path / "send.xlsx")["Questions"]
    # S-1 needed no review; the others stay blank for a person. No notes column was added.
    assert [sheet[f"C{r}"].value for r in range(2, 6)] == ["Yes", None, None, None]
    assert sheet.max_column == load_workbook(source)["Questions"].max_column
    bad = run(str(source), "--org", "acme", "-o", str(tmp_path / "x.xlsx"), "--copy", "both")
    assert bad.exit_code == 2 and "--copy: 'both' is not one of: working, prospect" in bad.stderr


@pytest.mark.django_db
def test_answer_of_a_pdf_says_the_answers_went_to_a_separate_workbook(personas: Personas, tmp_path: Path) -> None:
    build_program(personas.acme)
    result = run(str(FIXTURES / "risk_review.pdf"), "--org", "acme", "-o", str(tmp_path / "risk.pdf"))
    assert result.exit_code == 0, result.output
    assert "separate answer workbook" in result.stdout
    assert (tmp_path / "risk.xlsx").exists() and not (tmp_path / "risk.pdf").exists()


@pytest.mark.django_db
def test_unknown_organization_is_refused_by_name_and_nothing_is_written(personas: Personas, tmp_path: Path) -> None:
    source = questionnaire(tmp_path / "prospect.xlsx")
    result = run(str(source), "--org", "nobody", "-o", str(tmp_path / "filled.xlsx"))
    assert result.exit_code == 2
    assert "--org: no organization with the slug 'nobody'" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prospect.xlsx"]


@pytest.mark.django_db
def test_an_output_in_another_format_is_bad_input_and_nothing_is_written(personas: Personas, tmp_path: Path) -> None:
    source = questionnaire(tmp_path / "prospect.xlsx")
    result = run(str(source), "--org", "acme", "-o", str(tmp_path / "filled.csv"))
    assert result.exit_code == 2 and "keep the questionnaire's format" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prospect.xlsx"]


@pytest.mark.django_db
def test_an_unreadable_questionnaire_is_refused_by_name_and_nothing_is_written(personas: Personas,
                                                                               tmp_path: Path) -> None:
    result = run(str(FIXTURES / "bad" / "protected.xlsx"), "--org", "acme", "-o", str(tmp_path / "filled.xlsx"))
    assert result.exit_code == 2
    assert "protected.xlsx" in result.stderr and "password-protected" in result.stderr
    assert list(tmp_path.iterdir()) == []
