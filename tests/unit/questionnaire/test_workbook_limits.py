"""Questionnaire workbooks too large to load are refused from the zip directory or while a sheet streams."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import Workbook

from socready.core.errors import InputError
from socready.io.questionnaire import read_questionnaire
from socready.io.questionnaire.answers import FilledAnswer, write_answers
from socready.io.questionnaire.xlsx import QUESTIONNAIRE_LIMITS, read_xlsx
from socready.io.workbook_limits import WorkbookLimits
from tests.xlsx_parts import SHEET, padded_rows, rewrite_part, set_dimension, stream_sheet

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def questionnaire(path: Path, questions: int = 30, *, hidden_rows: int = 0) -> Path:
    """A plain questionnaire: ID, question, answer and six more columns, and optionally a hidden list sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Security"
    sheet.append(["ID", "Question", "Answer", "Comment", "Owner", "Due", "Ref", "Area", "Notes"])
    for n in range(1, questions + 1):
        sheet.append([f"S-{n}", f"Is control number {n} of the security program operating?", "", "", "IT",
                      "", "", "", ""])
    if hidden_rows:
        lists = book.create_sheet("Lists")
        lists.sheet_state = "hidden"
        for n in range(hidden_rows):
            lists.append([f"choice {n}", "Yes", "No"])
    book.save(path)
    return path


def limits(**changes: int) -> WorkbookLimits:
    return dataclasses.replace(QUESTIONNAIRE_LIMITS, **changes)


def test_a_sheet_that_unzips_past_the_part_limit_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = stream_sheet(questionnaire(tmp_path / "big.xlsx"), padded_rows(3000))
    with pytest.raises(InputError) as caught:
        read_xlsx(path, limits(max_part_bytes=512 * 1024))
    assert str(caught.value).startswith(f"{path}: the part {SHEET} unzips to ")
    assert "the limit for a questionnaire is 524,288" in str(caught.value)


def test_a_decompression_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    path = stream_sheet(questionnaire(tmp_path / "bomb.xlsx"), padded_rows(4000))
    # Refused from the zip directory, before any XML is parsed (the message says which check refused it).
    with pytest.raises(InputError, match=r"bomb.xlsx: .* unzips to [\d,]+ times its zipped size; the limit is 100"):
        read_questionnaire(path)


def test_cells_are_counted_as_the_sheet_streams_and_the_limit_is_named(tmp_path: Path) -> None:
    path = questionnaire(tmp_path / "form.xlsx", questions=30)  # 31 rows of 9 columns: 279 cells
    assert len(read_xlsx(path, limits(max_cells=279)).questions) == 30
    with pytest.raises(InputError, match=r"form.xlsx, entry Security: the sheet has more than 250 cells, "
                                         r"the limit for a questionnaire"):
        read_xlsx(path, limits(max_cells=250))


def test_reading_stops_at_the_limit_without_reading_the_rest_of_the_sheet(tmp_path: Path) -> None:
    # The second half of the sheet is cut off: a reader that went on would find a damaged file instead.
    path = rewrite_part(questionnaire(tmp_path / "cut.xlsx", questions=300), SHEET, lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputError, match="the sheet has more than 500 cells"):
        read_xlsx(path, limits(max_cells=500))


def test_a_merged_range_over_the_whole_sheet_costs_nothing_because_only_stored_cells_count(tmp_path: Path) -> None:
    # openpyxl would make one object per merged cell; the streaming reader keeps only stored values.
    path = questionnaire(tmp_path / "merged.xlsx")
    rewrite_part(path, SHEET, lambda xml: xml.replace(b"</sheetData>",
                                                      b'</sheetData><mergeCells count="1">'
                                                      b'<mergeCell ref="B40:XFD1048576"/></mergeCells>'))
    assert len(read_questionnaire(path).questions) == 30


def test_a_hyperlink_range_costs_nothing_either(tmp_path: Path) -> None:
    path = questionnaire(tmp_path / "linked.xlsx")
    rewrite_part(path, SHEET, lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><hyperlinks><hyperlink ref="A1:T100000" location="Security!A1"/></hyperlinks>'))
    assert len(read_questionnaire(path).questions) == 30


def test_a_sheet_declaring_a_million_rows_with_one_far_cell_is_read(tmp_path: Path) -> None:
    path = set_dimension(questionnaire(tmp_path / "far.xlsx"), "A1:AB1048576")
    rewrite_part(path, SHEET, lambda xml: xml.replace(b"</sheetData>",
                                                      b'<row r="1048576"><c r="T1048576" s="0"/></row></sheetData>'))
    assert len(read_questionnaire(path).questions) == 30


def test_a_cell_tag_split_between_two_read_chunks_is_counted_once(tmp_path: Path) -> None:
    path = questionnaire(tmp_path / "form.xlsx", questions=3000)  # about 27,000 cells over many chunks
    assert len(read_xlsx(path, limits(max_cells=27_009)).questions) == 3000  # 3,001 rows of 9 cells
    with pytest.raises(InputError, match="more than 27,000 cells"):
        read_xlsx(path, limits(max_cells=27_000))


def test_a_hidden_sheet_counts_too_because_it_is_loaded_with_the_rest(tmp_path: Path) -> None:
    path = questionnaire(tmp_path / "lists.xlsx", hidden_rows=200)
    with pytest.raises(InputError, match="entry Lists: the sheet has more than 500 cells"):
        read_xlsx(path, limits(max_cells=500))


def test_writing_answers_into_a_workbook_past_the_limits_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    path = stream_sheet(questionnaire(tmp_path / "bomb.xlsx"), padded_rows(4000))
    answers = [FilledAnswer("S-1", "Is control number 1 operating?", "Security!B2", "Yes", "", note="")]
    with pytest.raises(InputError, match="times its zipped size"):
        write_answers(path, answers, tmp_path / "filled.xlsx")
    assert not (tmp_path / "filled.xlsx").exists()


@pytest.mark.parametrize("declared", ["A1:C10", "A1"])
def test_a_sheet_that_understates_its_size_is_read_to_the_last_question(tmp_path: Path, declared: str) -> None:
    path = set_dimension(questionnaire(tmp_path / "form.xlsx", questions=40), declared)
    assert [q.id for q in read_questionnaire(path).questions] == [f"S-{n}" for n in range(1, 41)]
