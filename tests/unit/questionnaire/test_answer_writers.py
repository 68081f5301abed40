"""Writing drafted answers into a copy of a questionnaire (socready.io.questionnaire.answers)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from socready.core.errors import InputError
from socready.io.questionnaire import read_questionnaire
from socready.io.questionnaire.answers import ANSWER_HEADER, NOTES_HEADER, FilledAnswer, write_answers

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def filled(path: Path, answers: dict[str, tuple[str | None, str]]) -> list[FilledAnswer]:
    """Answers for the questions the reader finds in ``path``, keyed by question id."""
    out = []
    for question in read_questionnaire(path).questions:
        answer, explanation = answers.get(question.id, (None, ""))
        out.append(FilledAnswer(question.id, question.text, question.location, answer, explanation,
                                note=f"note for {question.id}"))
    return out


def frozen(path: Path) -> tuple[bytes, int]:
    """The bytes and modification time of a file, to prove it was not touched."""
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return path.read_bytes(), path.stat().st_mtime_ns


def backups_table(document):  # type: ignore[no-untyped-def]
    """Add a question table (ID, Question, Response) with one backup question; return the table."""
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["ID", "Question", "Response"], strict=True):
        cell.text = text
    cells = table.add_row().cells
    cells[0].text, cells[1].text = "T-1", "Are backups tested every year?"
    return table


def workbook(path: Path, *, answer_column: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Security"
    sheet.append(["Vendor security review"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    header = ["ID", "Question", "Answer", "Comments", "Owner"] if answer_column else ["ID", "Question", "Owner"]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color="FFDDEEFF")
    rows = [("S-1", "Is multi-factor authentication enforced for administrators?", "", "", "IT"),
            ("S-2", "Are laptops encrypted?", "Yes", "Since 2020", "IT"),
            ("S-3", "How many staff do you employ?", "", "", "HR")]
    for ident, text, answer, comment, owner in rows:
        sheet.append([ident, text, answer, comment, owner] if answer_column else [ident, text, owner])
    sheet["G10"] = "=SUM(1,2)"
    other = book.create_sheet("Lists")
    other.append(["Yes", "No"])
    book.save(path)
    return path


def test_xlsx_answers_go_into_the_answer_column_and_everything_else_is_kept(tmp_path: Path) -> None:
    source = workbook(tmp_path / "review.xlsx")
    before = frozen(source)
    answers = filled(source, {"S-1": ("Yes", "=IAM-05 is operating"), "S-2": ("Partial", "Some laptops remain")})
    result = write_answers(source, answers, tmp_path / "out.xlsx")
    assert frozen(source) == before and source.read_bytes() == before[0]
    assert result.kind == "copy" and result.written == 2 and result.missed == []
    sheet = load_workbook(tmp_path / "out.xlsx")["Security"]
    assert (sheet["C4"].value, sheet["C5"].value, sheet["C6"].value) == ("Yes", "Partial", None)
    # The explanation lands in the empty comments column, neutralized; a filled comment is kept.
    assert sheet["D4"].value == "'=IAM-05 is operating"
    assert sheet["D5"].value == "Since 2020"
    assert sheet["F3"].value == NOTES_HEADER and sheet["F3"].font.bold
    assert "Some laptops remain" in sheet["F5"].value and "Replaced the earlier answer 'Yes'" in sheet["F5"].value
    assert sheet["F6"].value == "note for S-3"
    assert sheet["A3"].font.bold and sheet["A3"].fill.start_color.rgb == "FFDDEEFF"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert sheet["G10"].value == "=SUM(1,2)" and sheet["E4"].value == "IT"
    assert load_workbook(tmp_path / "out.xlsx").sheetnames == ["Security", "Lists"]


def test_xlsx_without_an_answer_column_gets_one_after_the_table_with_a_header(tmp_path: Path) -> None:
    source = workbook(tmp_path / "plain.xlsx", answer_column=False)
    write_answers(source, filled(source, {"S-1": ("Yes", "IAM-05 is operating")}), tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["Security"]
    header = [c.value for c in sheet[3]]
    answer_col = header.index(ANSWER_HEADER)
    assert answer_col > header.index("Question")
    assert sheet.cell(row=4, column=answer_col + 1).value == "Yes"
    assert sheet.cell(row=3, column=answer_col + 1).font.bold
    notes_col = header.index(NOTES_HEADER)
    assert "IAM-05 is operating" in sheet.cell(row=4, column=notes_col + 1).value
    assert sheet["C4"].value == "IT"  # the owner column did not move


def test_csv_keeps_its_delimiter_and_cells_and_neutralizes_what_it_writes(tmp_path: Path) -> None:
    source = tmp_path / "review.csv"
    source.write_text("Vendor review;;\nID;Question;Response\nQ1;Do you run vulnerability scans monthly?;\n"
                      "Q2;Is there an incident response plan?;=old\n", encoding="utf-8")
    before = frozen(source)
    result = write_answers(source, filled(source, {"Q1": ("+Yes", "scans weekly"), "Q2": ("No", "")}),
                           tmp_path / "out.csv")
    assert frozen(source) == before and result.written == 2
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8"), delimiter=";"))
    assert rows[0][:3] == ["Vendor review", "", ""]
    assert rows[1] == ["ID", "Question", "Response", NOTES_HEADER]
    assert rows[2][2] == "'+Yes" and "scans weekly" in rows[2][3]
    assert rows[3][2] == "No" and "Replaced the earlier answer '=old'" in rows[3][3]
    assert not rows[3][3].startswith("=")


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_answers_with_double_quotes_are_written_and_read_back_intact(tmp_path: Path, delimiter: str) -> None:
    source = tmp_path / "review.csv"
    source.write_text(delimiter.join(["ID", "Question", "Answer"]) + "\n"
                      + delimiter.join(["Q1", "Do you run vulnerability scans monthly?", ""]) + "\n", encoding="utf-8")
    explanation = 'Scans run weekly; the "critical" findings are fixed within 7 days.'
    result = write_answers(source, filled(source, {"Q1": ("Yes", explanation)}), tmp_path / "out.csv")
    assert result.written == 1
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8", newline=""), delimiter=delimiter))
    assert rows[0] == ["ID", "Question", "Answer", NOTES_HEADER]
    assert rows[1][2] == "Yes" and explanation in rows[1][3]
    # The notes column reads back as part of the answer, as for every filled copy.
    again = read_questionnaire(tmp_path / "out.csv").questions
    assert [q.id for q in again] == ["Q1"] and again[0].answer.startswith("Yes")


def test_docx_fills_table_answer_cells_and_adds_answers_under_paragraph_questions(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Supplier review", level=1)
    document.add_paragraph("1.1 Is multi-factor authentication enforced for administrators?")
    document.add_paragraph("1.2 Do you keep an asset inventory?")
    backups_table(document)
    source = tmp_path / "form.docx"
    document.save(str(source))
    before = frozen(source)
    answers = filled(source, {"1.1": ("Yes", "IAM-05 is operating."), "T-1": ("No", "BCP-06 is not started.")})
    result = write_answers(source, answers, tmp_path / "out.docx")
    assert frozen(source) == before and result.written == 2
    copy = docx.Document(str(tmp_path / "out.docx"))
    texts = [p.text for p in copy.paragraphs]
    question = texts.index("1.1 Is multi-factor authentication enforced for administrators?")
    assert texts[question + 1] == "Answer: Yes. IAM-05 is operating."
    assert texts[question + 2] == "1.2 Do you keep an asset inventory?"
    assert copy.tables[0].rows[1].cells[2].text == "No"
    assert {c.text for c in copy.comments} >= {"note for 1.1", "BCP-06 is not started. note for T-1"}


@pytest.mark.parametrize("name", ["risk_review.pdf", "checklist.md", "hosting_questions.txt"])
def test_formats_that_cannot_be_filled_get_an_answer_workbook(fixtures: Path, tmp_path: Path, name: str) -> None:
    source = fixtures / name
    answers = filled(source, {})
    answers[0] = FilledAnswer(answers[0].question_id, answers[0].question, answers[0].location, "No", "@planned",
                              note="review")
    result = write_answers(source, answers, tmp_path / "answers.pdf")
    assert result.kind == "answer sheet" and result.path == tmp_path / "answers.xlsx"
    assert "separate answer workbook" in result.message
    sheet = load_workbook(result.path)["Answers"]
    assert [c.value for c in sheet[2]][:5] == ["ID", "Where in the file", "Section", "Question", "Answer"]
    assert sheet.max_row == 2 + len(answers)
    assert sheet["E3"].value == "No" and sheet["F3"].value == "'@planned"
    assert sheet["D3"].value == answers[0].question


def test_the_output_may_not_be_the_questionnaire_itself_or_another_format(tmp_path: Path) -> None:
    source = workbook(tmp_path / "review.xlsx")
    before = frozen(source)
    with pytest.raises(InputError, match="overwrite the questionnaire itself"):
        write_answers(source, filled(source, {"S-1": ("Yes", "")}), source)
    with pytest.raises(InputError, match="keep the questionnaire's format"):
        write_answers(source, filled(source, {"S-1": ("Yes", "")}), tmp_path / "out.csv")
    assert frozen(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.xlsx"]


def test_a_damaged_questionnaire_is_refused_with_its_name_and_nothing_is_written(fixtures: Path,
                                                                                 tmp_path: Path) -> None:
    source = tmp_path / "corrupt.xlsx"
    source.write_bytes((fixtures / "bad" / "corrupt.xlsx").read_bytes())
    answer = FilledAnswer("Q1", "Is it?", "Sheet!B2", "Yes")
    with pytest.raises(InputError, match="corrupt.xlsx"):
        write_answers(source, [answer], tmp_path / "out.xlsx")
    protected = tmp_path / "protected.xlsx"
    protected.write_bytes((fixtures / "bad" / "protected.xlsx").read_bytes())
    with pytest.raises(InputError, match="password-protected"):
        write_answers(protected, [answer], tmp_path / "out.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.xlsx", "protected.xlsx"]


def test_answers_whose_place_is_not_in_the_file_are_reported_not_guessed(tmp_path: Path) -> None:
    source = workbook(tmp_path / "review.xlsx")
    result = write_answers(source, [FilledAnswer("X", "Gone?", "Missing sheet!B4", "Yes")], tmp_path / "out.xlsx")
    assert result.written == 0 and result.missed == ["Missing sheet!B4"]
    assert "could not be placed" in result.message


@pytest.mark.parametrize(("name", "answers_readable"), [
    ("hecvat_like.xlsx", True), ("sig_like.xlsx", True), ("vsa_like.csv", True), ("supplier_form.docx", True),
    # Without a header the reader cannot tell an answer column from any other, so answers do not read back.
    ("no_header.csv", False),
])
def test_a_filled_copy_reads_back_with_the_same_questions_and_the_new_answers(
        fixtures: Path, tmp_path: Path, name: str, answers_readable: bool) -> None:
    source = fixtures / name
    before = frozen(source)
    questions = read_questionnaire(source).questions
    write_answers(source, filled(source, {q.id: ("Partial", "") for q in questions}), tmp_path / f"copy{source.suffix}")
    assert frozen(source) == before
    again = read_questionnaire(tmp_path / f"copy{source.suffix}").questions
    assert [(q.id, q.text) for q in again] == [(q.id, q.text) for q in questions]
    # Answer paragraphs added to a Word document move later paragraphs down; table rows and cells stay put.
    assert [q.location for q in again if "paragraph" not in q.location] == \
        [q.location for q in questions if "paragraph" not in q.location]
    if answers_readable:
        assert all(q.answer and q.answer.startswith("Partial") for q in again)


def test_control_characters_in_a_note_do_not_break_the_word_copy(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("1.1 Do you review access every quarter?")
    source = tmp_path / "form.docx"
    document.save(str(source))
    answers = [FilledAnswer(q.id, q.text, q.location, None, "see\x0bpolicy\x01", note="typed\x07 by hand")
               for q in read_questionnaire(source).questions]
    write_answers(source, answers, tmp_path / "out.docx")
    comments = [c.text for c in docx.Document(str(tmp_path / "out.docx")).comments]
    assert comments == ["seepolicy typed by hand"]


def prospect(path: Path, answers: dict[str, tuple[str | None, str]]) -> list[FilledAnswer]:
    """What a copy for the prospect gets: reviewed answers with explanations, no notes."""
    return [FilledAnswer(a.question_id, a.question, a.location, a.answer, a.explanation)
            for a in filled(path, answers)]


def test_a_prospect_copy_of_a_workbook_has_answers_and_comments_but_no_notes_column(tmp_path: Path) -> None:
    source = workbook(tmp_path / "review.xlsx")
    answers = prospect(source, {"S-1": ("Yes", "Enforced for every administrator."), "S-2": ("Partial", "")})
    write_answers(source, answers, tmp_path / "out.xlsx", internal=False)
    sheet = load_workbook(tmp_path / "out.xlsx")["Security"]
    assert (sheet["C4"].value, sheet["D4"].value) == ("Yes", "Enforced for every administrator.")
    assert sheet["C5"].value == "Partial" and sheet["D5"].value == "Since 2020"  # their comment is kept
    header = [c.value for c in sheet[3] if c.value is not None]
    assert header == ["ID", "Question", "Answer", "Comments", "Owner"]  # no column was added
    # Without a comment column of their own, explanations get a "Comments" column, still no notes.
    plain = workbook(tmp_path / "plain.xlsx", answer_column=False)
    write_answers(plain, prospect(plain, {"S-1": ("Yes", "Enforced.")}), tmp_path / "plain-out.xlsx",
                  internal=False)
    header = [c.value for c in load_workbook(tmp_path / "plain-out.xlsx")["Security"][3]]
    assert "Answer" in header and "Comments" in header and NOTES_HEADER not in header


def test_a_prospect_copy_of_a_csv_or_word_file_carries_no_notes_or_comments(tmp_path: Path) -> None:
    source = tmp_path / "review.csv"
    source.write_text("ID;Question;Response;Comments\nQ1;Do you run vulnerability scans monthly?;;\n",
                      encoding="utf-8")
    write_answers(source, prospect(source, {"Q1": ("Yes", "Weekly scans.")}), tmp_path / "out.csv",
                  internal=False)
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8"), delimiter=";"))
    assert rows == [["ID", "Question", "Response", "Comments"],
                    ["Q1", "Do you run vulnerability scans monthly?", "Yes", "Weekly scans."]]
    word = tmp_path / "form.docx"
    document = docx.Document()
    backups_table(document)
    document.save(str(word))
    write_answers(word, prospect(word, {"T-1": ("Yes", "Restored in March.")}), tmp_path / "out.docx",
                  internal=False)
    copy = docx.Document(str(tmp_path / "out.docx"))
    assert copy.tables[0].rows[1].cells[2].text == "Yes. Restored in March."
    assert list(copy.comments) == []


def test_a_prospect_copy_adds_no_column_when_their_comment_cell_is_taken(tmp_path: Path) -> None:
    # The file has its own answer and comment columns: the copy to send never grows a column, and a
    # comment the prospect's cell already holds is kept rather than pushed aside.
    source = tmp_path / "review.csv"
    source.write_text("ID;Question;Response;Comments\nQ1;Do you run vulnerability scans monthly?;;see portal\n",
                      encoding="utf-8")
    write_answers(source, prospect(source, {"Q1": ("Yes", "Weekly scans.")}), tmp_path / "out.csv",
                  internal=False)
    rows = list(csv.reader((tmp_path / "out.csv").open(encoding="utf-8"), delimiter=";"))
    assert rows == [["ID", "Question", "Response", "Comments"],
                    ["Q1", "Do you run vulnerability scans monthly?", "Yes", "see portal"]]
    book = workbook(tmp_path / "review.xlsx")  # S-2 already has "Since 2020" in its comment cell
    write_answers(book, prospect(book, {"S-2": ("Partial", "Most laptops are encrypted.")}),
                  tmp_path / "out.xlsx", internal=False)
    sheet = load_workbook(tmp_path / "out.xlsx")["Security"]
    assert sheet["C5"].value == "Partial" and sheet["D5"].value == "Since 2020"
    assert "Most laptops are encrypted." not in [c.value for row in sheet.iter_rows() for c in row]
    assert sheet.max_column == load_workbook(book)["Security"].max_column
