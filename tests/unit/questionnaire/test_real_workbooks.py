"""Real questionnaires as customers send them: the right sheets, the right columns, nothing refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from socready.io.questionnaire import read_questionnaire
from tests.hecvat_like import QUESTIONS


def test_a_hecvat_like_workbook_gives_only_its_vendor_sheet_questions_from_cached_formula_values(
        hecvat_like: Path) -> None:
    questionnaire = read_questionnaire(hecvat_like)
    assert [(q.id, q.text) for q in questionnaire.questions] == [(i, t) for i, t, _ in QUESTIONS]
    assert {q.location.split("!")[0] for q in questionnaire.questions} == {"Vendor Response"}
    # The x14 drop-down column C and the comments column D are answers, never questions.
    assert all(q.location.startswith("Vendor Response!B") for q in questionnaire.questions)
    docu02 = next(q for q in questionnaire.questions if q.id == "DOCU-02")
    assert docu02.answer == "Yes | We also hold SOC 1 and SOC 3 reports."
    docu01 = questionnaire.questions[0]
    assert docu01.guidance is not None and docu01.guidance_location == "Vendor Response!E4"


def test_non_question_sheets_are_skipped_with_the_reason_shown(hecvat_like: Path) -> None:
    skipped = {s.name: s.reason for s in read_questionnaire(hecvat_like).skipped}
    assert skipped["Calculations"].startswith("a scoring or calculation sheet")  # 700 x 340 numbers
    assert skipped["ChangeLog"] == "a change log of the template"
    assert skipped["Analyst Report"] == "the customer's analyst sheet"
    assert skipped["Instructions"] == "instructions"
    assert skipped["Questions"] == skipped["Lists"] == "hidden sheet"
    # The sheet declaring 1,048,576 rows is read, not refused; its prose holds no question.
    assert skipped["Notes for Vendors"] == "no questions found"


REAL_XLSX = {
    "hecvat_lite_canvas_studio.xlsx": ("HECVAT - Lite | Vendor Response", 60),
    "hecvat_full_impact.xlsx": ("HECVAT - Full | Vendor Response", 200),
    "hecvat_full_parchment.xlsx": ("HECVAT - Full | Vendor Response", 200),
    "ismsforum_supply_chain_es.xlsx": ("preguntas", 60),
    "intuitem_vendor_due_diligence.xlsx": ("objectives_content", 40),
    "owasp_samm_toolbox.xlsx": ("Interview", 80),
}


@pytest.mark.parametrize("name", sorted(REAL_XLSX))
def test_each_real_workbook_is_read_from_its_question_sheet_only(dev_set: Path, name: str) -> None:
    sheet, at_least = REAL_XLSX[name]
    questionnaire = read_questionnaire(dev_set / name)
    sheets = {q.location.split("!")[0] for q in questionnaire.questions}
    assert sheets == {sheet}
    assert len(questionnaire.questions) >= at_least
    assert all(s.reason for s in questionnaire.skipped)


@pytest.mark.parametrize("name", ["hecvat_lite_canvas_studio.xlsx", "hecvat_full_impact.xlsx",
                                  "hecvat_full_parchment.xlsx"])
def test_a_completed_hecvat_reads_questions_from_column_b_and_the_vendor_answers_from_c_and_d(
        dev_set: Path, name: str) -> None:
    questionnaire = read_questionnaire(dev_set / name)
    by_id = {q.id: q for q in questionnaire.questions}
    docu01 = by_id["DOCU-01"]
    assert docu01.text.startswith("Have you undergone a SSAE 18") and docu01.location.endswith(("!B32", "!B41"))
    assert docu01.answer and docu01.answer.startswith(("Yes", "No"))
    assert all(q.location.split("!")[1].startswith("B") for q in questionnaire.questions if "-" in q.id)
    skipped = {s.name: s.reason for s in questionnaire.skipped}
    assert skipped["ChangeLog"] == "a change log of the template"
    assert skipped["Standards Crosswalk"] == "a crosswalk to other standards"
    assert "analyst" in skipped["Analyst Report"]


def test_the_visible_copy_of_the_questions_in_a_hecvat_full_is_skipped_as_a_copy(dev_set: Path) -> None:
    skipped = {s.name: s.reason for s in read_questionnaire(dev_set / "hecvat_full_impact.xlsx").skipped}
    assert skipped["Questions"] == "repeats the questions of 'HECVAT - Full | Vendor Response'"


def test_json_exports_are_read_as_tables_or_item_trees(dev_set: Path) -> None:
    table = read_questionnaire(dev_set / "hecvat_lite_intelligent_insights.json")
    docu01 = next(q for q in table.questions if q.id == "DOCU-01")
    assert docu01.location == "[8]" and docu01.text.startswith("Have you undergone a SSAE 18")
    assert docu01.answer and docu01.answer.startswith("No")
    catalog = read_questionnaire(dev_set / "mvsp_v3_catalog.json")
    located = {q.location: q for q in catalog.questions}
    test = located["catalog.groups[0].controls[3].parts[0]"]
    assert "penetration tests" in test.text and test.section == "External testing"
    assert test.guidance is not None  # the control's own guidance parts are guidance, not questions


def test_a_vsaq_style_tree_gives_its_questions_and_never_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "vsaq.json"
    path.write_text('{"questionnaire": [{"type": "block", "text": "Application security", "items": ['
                    '{"type": "yesno", "id": "app_pentest", "text": "Do you have <b>annual</b> third-party '
                    'penetration tests?"}, {"type": "tip", "text": "Share the summary letter."},'
                    '{"type": "line", "id": "app_soc", "text": "Which SOC 2 report can you share?"}]}],'
                    '"answers": {"app_soc": "We have a SOC 1 report."}}', encoding="utf-8")
    questions = read_questionnaire(path).questions
    assert [(q.id, q.text, q.section) for q in questions] == [
        ("app_pentest", "Do you have annual third-party penetration tests?", "Application security"),
        ("app_soc", "Which SOC 2 report can you share?", "Application security")]
    assert questions[0].guidance == "Share the summary letter."
