"""Fill the answer column of a copy of an Excel questionnaire, keeping its sheets, styles and merged cells."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from socready.io.questionnaire.answers import (
    ANSWER_HEADER,
    NOTES_HEADER,
    PROSPECT_ANSWER_HEADER,
    PROSPECT_NOTES_HEADER,
    FilledAnswer,
    notes_text,
    safe_text,
)
from socready.io.questionnaire.answers_table import TableLayout, table_layout
from socready.io.questionnaire.xlsx import check_questionnaire_workbook, sheet_text


def _parse(location: str) -> tuple[str, int, int] | None:
    """Split 'Sheet name!B14' into the sheet title, row and column (both 1-based)."""
    title, mark, ref = location.rpartition("!")
    if not mark:
        return None
    try:
        letters, row = coordinate_from_string(ref)
    except ValueError:
        return None
    return title, row, column_index_from_string(letters)


def _cell(sheet: Worksheet, row: int, col: int) -> Cell | MergedCell:
    """The cell to write for (row, col): the top-left cell when it lies inside a merged range."""
    cell = sheet.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _free_column(sheet: Worksheet, start: int, rows: list[int]) -> int:
    """The first column from ``start`` whose cells in ``rows`` are all empty and not merged."""
    col = start
    while any(isinstance(sheet.cell(row=r, column=col), MergedCell) or sheet.cell(row=r, column=col).value
              not in (None, "") for r in rows):
        col += 1
    return col


def _add_column(sheet: Worksheet, layout: TableLayout, question_col: int, rows: list[int], title: str,
                width: float) -> int:
    """Add a column just right of the table, titled in the header row like the question column.

    It goes in the first column past the table that is empty on the header and question rows, so cells
    elsewhere on the sheet (a formula far to the right) neither move nor push it away.
    """
    roles = layout.columns
    named = [roles.question + 1, roles.id + 1, roles.guidance + 1, roles.section + 1,
             *(c + 1 for c in roles.answers)] if roles else []
    start = max([question_col, *named]) + 1
    header_rows = [layout.header_row + 1] if layout.header_row is not None else []
    col = _free_column(sheet, start, rows + header_rows)
    if layout.header_row is not None:
        header = sheet.cell(row=layout.header_row + 1, column=col)
        header.value = title
        source = sheet.cell(row=layout.header_row + 1, column=question_col)
        if source.has_style:
            # copy() of a cell's style gives the style itself (openpyxl's __copy__); the stubs type it as the proxy.
            header.font, header.fill, header.border = copy(source.font), copy(source.fill), copy(source.border)  # type: ignore[assignment]
            header.alignment = copy(source.alignment)  # type: ignore[assignment]
    sheet.column_dimensions[get_column_letter(col)].width = width
    return col


def write_xlsx(source: Path, answers: Sequence[FilledAnswer], out: Path, *,
               internal: bool = True) -> tuple[int, list[str]]:
    """Write answers into a copy of an .xlsx/.xlsm workbook; return how many were placed and which were not."""
    check_questionnaire_workbook(source)
    keep_vba = source.suffix.lower() == ".xlsm"
    values_book = load_workbook(source, data_only=True)
    book = load_workbook(source, keep_vba=keep_vba, rich_text=True)
    by_sheet: dict[str, list[tuple[int, int, FilledAnswer]]] = {}
    missed: list[str] = []
    for item in answers:
        place = _parse(item.location)
        if place is None or place[0] not in book.sheetnames:
            missed.append(item.location)
            continue
        by_sheet.setdefault(place[0], []).append((place[1], place[2], item))
    written = 0
    for title, items in by_sheet.items():
        sheet = book[title]
        layout = table_layout(sheet_text(values_book[title], str(source)))
        question_col = items[0][1]
        rows = [row for row, _, _ in items]
        answer_col = layout.answer_col + 1 if layout.answer_col is not None else \
            _add_column(sheet, layout, question_col, rows, ANSWER_HEADER if internal else PROSPECT_ANSWER_HEADER, 16)
        comment_col = layout.comment_col + 1 if layout.comment_col is not None else None
        # A prospect's copy gets the column only for explanations its own comment column cannot take
        # (there is none, the question has no answer, or the prospect already wrote in that cell).
        needed = internal or any(
            i.explanation and (comment_col is None or i.answer is None
                               or _cell(sheet, row, comment_col).value not in (None, ""))
            for row, _, i in items)
        notes_col = _add_column(sheet, layout, question_col, rows,
                                NOTES_HEADER if internal else PROSPECT_NOTES_HEADER, 60) if needed else None
        for row, _, item in items:
            written += _fill_row(sheet, row, answer_col, comment_col, notes_col, item, internal)
    book.save(out)
    if book.vba_archive is not None:
        book.vba_archive.close()  # openpyxl keeps the macro archive open for a later save
    return written, missed


def _fill_row(sheet: Worksheet, row: int, answer_col: int, comment_col: int | None, notes_col: int | None,
              item: FilledAnswer, internal: bool) -> int:
    """Write one question's answer, explanation and note; return 1 when an answer was written."""
    wrap = Alignment(wrap_text=True, vertical="top")
    explained_in_place = False
    # The customer's comment column only takes an explanation that goes with an answer; hints for the
    # person writing an answer by hand stay in the notes.
    if comment_col is not None and item.explanation and item.answer is not None:
        comment = _cell(sheet, row, comment_col)
        if comment.value in (None, ""):
            comment.value = safe_text(item.explanation)
            explained_in_place = True
    note = notes_text(item, with_explanation=not explained_in_place)
    answer_cell = _cell(sheet, row, answer_col)
    previous = "" if answer_cell.value is None else str(answer_cell.value)
    if internal and item.answer is not None and previous and previous != item.answer:
        note = safe_text(f"{note} Replaced the earlier answer '{previous}'.")
    if notes_col is not None:
        notes = sheet.cell(row=row, column=notes_col)
        notes.value = note
        notes.alignment = wrap
    if item.answer is None:
        return 0
    answer_cell.value = safe_text(item.answer)
    return 1
