"""Reading questionnaires in every supported layout into Question records."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from socready.core.errors import InputError
from socready.io.questionnaire import MAX_QUESTIONS, read_many, read_questionnaire

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def by_id(path: Path) -> dict[str, object]:
    return {q.id: q for q in read_questionnaire(path).questions}


def test_xlsx_reads_every_visible_sheet_below_its_header_and_skips_titles_instructions_and_sections(fixtures):
    questionnaire = read_questionnaire(fixtures / "hecvat_like.xlsx")
    ids = [q.id for q in questionnaire.questions]
    assert ids == ["DOCU-01", "DOCU-02", "DOCU-03", "DOCU-04", "APPL-01", "APPL-02", "APPL-03"]
    first = questionnaire.questions[0]
    assert first.location == "Documentation!B6"
    assert first.answer == "Yes"
    assert first.guidance == "Explain any compensating controls."
    assert first.section == "Company documents"
    assert questionnaire.questions[3].section == "Product security"
    assert not any("Instructions" in q.text or q.text == "Authentication" for q in questionnaire.questions)


def test_xlsx_merged_category_column_labels_every_row_it_spans(fixtures):
    questions = by_id(fixtures / "sig_like.xlsx")
    assert [questions[i].section for i in ("A.1", "A.2", "A&A-01.2", "B.1", "B.2.1")] == \
        ["Assurance", "Assurance", "Assurance", "Access", "Access"]
    assert questions["A.1"].location == "Assessment!C4"
    assert questions["A.1"].answer == "Yes | Under NDA"


def test_csv_finds_the_header_below_a_title_and_keeps_section_names(fixtures):
    questions = read_questionnaire(fixtures / "vsa_like.csv").questions
    assert [q.id for q in questions] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert questions[0].location == "row 4"
    assert questions[3].section == "2. Data protection"
    assert questions[3].answer == "Yes | AES-256 and TLS 1.2+"


def test_csv_without_header_takes_the_wordiest_column_as_the_question(fixtures):
    questions = read_questionnaire(fixtures / "no_header.csv").questions
    assert [q.id for q in questions] == ["Q1", "Q2", "Q3"]
    assert questions[1].text.startswith("Is there a documented incident response plan")
    assert questions[1].location == "row 2"


def test_docx_reads_numbered_paragraphs_with_answers_and_continued_tables(fixtures):
    questions = read_questionnaire(fixtures / "supplier_form.docx").questions
    ids = [q.id for q in questions]
    assert ids[:2] == ["4.1", "4.2"]
    assert questions[0].answer == "Yes, issued by our auditors last March."
    assert questions[0].section == "Assurance reports"
    assert questions[0].location.startswith("paragraph ")
    tables = {q.id: q for q in questions if q.location.startswith("table")}
    assert tables["OPS-01"].location == "table 1, row 2"
    # the second table has no header row; the first table's columns carry over
    assert tables["OPS-03"].location == "table 2, row 1"
    assert tables["OPS-03"].answer == "Yes"


def test_pdf_reads_text_questions_and_table_rows_with_pages(fixtures):
    questions = read_questionnaire(fixtures / "risk_review.pdf").questions
    texts = {q.id: q for q in questions}
    assert texts["1"].location == "page 1"
    assert texts["3"].text.endswith("when no longer needed.")  # wrapped over two lines
    assert texts["5.1"].location == "page 2, table 1, row 2"
    assert texts["5.1"].text == "How often are firewall rules reviewed?"
    assert texts["5.1"].answer == "Quarterly"


def test_markdown_reads_numbered_items_answers_guidance_and_tables(fixtures):
    questions = by_id(fixtures / "checklist.md")
    assert questions["1"].answer == "SOC 3 on our trust page."
    assert questions["2"].guidance.startswith("a Type I is acceptable")
    assert questions["PRV-1"].location == "line 16"
    assert questions["PRV-2"].answer == "Yes"


def test_text_joins_wrapped_lines_and_keeps_the_vendor_answer_apart(fixtures):
    questions = read_questionnaire(fixtures / "hosting_questions.txt").questions
    assert questions[0].id == "A&A-01.2"
    assert questions[0].text.endswith("or a SAS 70 for older services?")
    assert questions[0].answer == "We have a SOC 1 Type II and a SOC 2 Type II."
    assert questions[1].id == "Q2"  # generated from its position
    assert questions[1].location == "line 7"


@pytest.mark.parametrize(("name", "reason"), [
    ("corrupt.xlsx", "not a readable .xlsx workbook"),
    ("protected.xlsx", "password-protected"),
    ("empty.csv", "the file is empty"),
    ("binary.txt", "not a text file"),
    ("notes.rtf", "unsupported file type '.rtf'"),
    ("broken.pdf", ".pdf"),
    ("broken.docx", "not a readable .docx document"),
])
def test_unreadable_file_is_refused_with_its_name_and_the_reason(fixtures, name, reason):
    path = fixtures / "bad" / name
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        read_questionnaire(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)
    assert path.read_bytes() == before


def test_one_bad_file_does_not_stop_the_others(fixtures):
    results = read_many([fixtures / "vsa_like.csv", fixtures / "bad" / "corrupt.xlsx", fixtures / "checklist.md"])
    assert [r.error is None for r in results] == [True, False, True]
    assert "corrupt.xlsx" in (results[1].error or "")
    assert results[2].questionnaire is not None and len(results[2].questionnaire.questions) == 4


def _big_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Question"])
        writer.writerows([f"Q-{n}", f"Is control number {n} in place?"] for n in range(1, count + 1))


def test_more_than_the_question_limit_is_truncated_with_a_warning(tmp_path):
    path = tmp_path / "huge.csv"
    _big_csv(path, MAX_QUESTIONS + 5)
    questionnaire = read_questionnaire(path)
    assert len(questionnaire.questions) == MAX_QUESTIONS
    assert "only the first 2000" in questionnaire.warnings[0]


def test_more_than_the_question_limit_is_an_error_in_strict_mode(tmp_path):
    path = tmp_path / "huge.csv"
    _big_csv(path, MAX_QUESTIONS + 1)
    with pytest.raises(InputError, match="2001 questions; the limit is 2000"):
        read_questionnaire(path, strict=True)


def test_duplicate_ids_in_a_file_are_made_unique(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("ID,Question\nA-1,Do you encrypt backups?\nA-1,Do you test restores?\n", encoding="utf-8")
    assert [q.id for q in read_questionnaire(path).questions] == ["A-1", "A-1#2"]


def test_a_windows_encoded_csv_is_read(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("ID,Question\n1,Is the café network segmented?\n".encode("cp1252"))
    assert read_questionnaire(path).questions[0].text == "Is the café network segmented?"


def test_a_semicolon_csv_with_doubled_quotes_keeps_its_columns(tmp_path):
    # The standard library's sniffer gives up on this file; counting cells still finds the semicolon.
    path = tmp_path / "review.csv"
    path.write_text('ID;Question;Answer\nQ1;Do you scan systems weekly?;"Yes; the ""critical"" ones daily"\n',
                    encoding="utf-8")
    question = read_questionnaire(path).questions[0]
    assert (question.id, question.text, question.answer) == \
        ("Q1", "Do you scan systems weekly?", 'Yes; the "critical" ones daily')


def test_unknown_extension_is_checked_before_the_content(tmp_path, fixtures):
    copy = tmp_path / "form.questions"
    shutil.copy(fixtures / "vsa_like.csv", copy)
    with pytest.raises(InputError, match="unsupported file type '.questions'"):
        read_questionnaire(copy)
