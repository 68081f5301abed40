"""Fill the answer cells of a copy of an Excel questionnaire, changing nothing else in the file.

The sheet layout (header row, answer and comment columns) comes from the same streaming reader that
found the questions, and the cells are written into the sheet XML directly (``xlsx_edit``), so sheets,
styles, formulas, drop-downs (x14 extensions included), conditional formats and defined names stay as
the prospect made them.

* The copy to send (``internal=False``) writes the answer into the answer cell and the explanation into
  the prospect's own comment cell when that cell is empty. It adds a column only when the table has no
  answer column at all, and never writes a note.
* The working copy (``internal=True``) also adds a notes column past the table with the review reason,
  confidence and the explanation when it had nowhere else to go.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_from_string

from socready.core.errors import InputError
from socready.io.questionnaire.answers import (
    ANSWER_HEADER,
    NOTES_HEADER,
    PROSPECT_ANSWER_HEADER,
    PROSPECT_NOTES_HEADER,
    FilledAnswer,
    notes_text,
    safe_text,
)
from socready.io.questionnaire.grid import HEADER_SEARCH_ROWS, columns_from_header
from socready.io.questionnaire.xlsx import check_questionnaire_workbook, read_sheet_grid, sheet_rows
from socready.io.questionnaire.xlsx_edit import Value, copy_with_cells
from socready.io.questionnaire.xlsx_parts import SheetCells, SheetPart, list_sheets, read_sheet, shared_strings

Edits = dict[tuple[int, int], Value]


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


def _top_left(cells: SheetCells, row: int, col: int) -> tuple[int, int]:
    """The cell that holds the value for (row, col): the top-left one of a merged range covering it."""
    for top, left, bottom, right in cells.merged:
        if top <= row <= bottom and left <= col <= right:
            return top, left
    return row, col


class _SheetPlan:
    """Where one sheet's answers, explanations and notes go."""

    def __init__(self, cells: SheetCells, title: str) -> None:
        self.cells = cells
        grid, numbers = read_sheet_grid(cells, title)
        columns = grid.columns
        rows, _ = sheet_rows(cells)
        header = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if columns_from_header(row)), None)
        self.header_row = numbers[header] if header is not None else None
        question = columns.question + 1 if columns else 1
        # New header cells look like the question's header, or like the first styled cell of that row.
        header_styles = [v for (r, _), v in sorted(cells.styles.items()) if r == self.header_row]
        self.header_style = cells.styles.get((self.header_row, question), header_styles[0] if header_styles
                                             else None) if self.header_row else None
        self.answer_col = columns.answers[0] + 1 if columns and columns.answers else None
        self.comment_col = columns.answers[1] + 1 if columns and len(columns.answers) > 1 else None
        self.last_col = max((max(c) for c in cells.cells.values() if c), default=0)

    def next_free_column(self) -> int:
        """A new column just past everything the sheet holds."""
        self.last_col += 1
        return self.last_col


def _answer_column(plan: _SheetPlan, internal: bool, edits: Edits) -> tuple[int, bool]:
    """The column answers go in, and whether it was added (headed in ``edits``) for want of one."""
    answer_col = plan.answer_col
    added_answer = answer_col is None
    if answer_col is None:
        answer_col = plan.next_free_column()
        if plan.header_row is not None:
            edits[(plan.header_row, answer_col)] = (ANSWER_HEADER if internal else PROSPECT_ANSWER_HEADER,
                                                    plan.header_style)
    return answer_col, added_answer


def _add_comment_column(plan: _SheetPlan, edits: Edits) -> None:
    """Give the plan a comments column beside the added answers, headed in ``edits``."""
    plan.comment_col = plan.next_free_column()
    if plan.header_row is not None:
        edits[(plan.header_row, plan.comment_col)] = (PROSPECT_NOTES_HEADER, plan.header_style)


def _notes_column(plan: _SheetPlan, internal: bool, edits: Edits) -> int | None:
    """The column internal notes go in (headed in ``edits``), or None for a prospect's copy."""
    notes_col = plan.next_free_column() if internal else None
    if notes_col is not None and plan.header_row is not None:
        edits[(plan.header_row, notes_col)] = (NOTES_HEADER, plan.header_style)
    return notes_col


def _place_explanation(cells: SheetCells, plan: _SheetPlan, row: int, item: FilledAnswer, edits: Edits) -> bool:
    """Put the item's explanation in an empty comments cell of its row; return whether it was put there."""
    if plan.comment_col is not None and item.explanation and item.answer is not None:
        target = _top_left(cells, row, plan.comment_col)
        if not cells.value(*target):
            edits[target] = safe_text(item.explanation)
            return True
    return False


def _place_note(cells: SheetCells, row: int, item: FilledAnswer, answer_col: int, notes_col: int, explained: bool,
                edits: Edits) -> None:
    """Put the item's internal note in the notes cell of its row, saying which earlier answer it replaced."""
    note = notes_text(item, with_explanation=not explained)
    previous = cells.value(*_top_left(cells, row, answer_col))
    if item.answer is not None and previous and previous != item.answer:
        note = safe_text(f"{note} Replaced the earlier answer '{previous}'.")
    if note:
        edits[(row, notes_col)] = note


def _plan_sheet(cells: SheetCells, title: str, items: list[tuple[int, int, FilledAnswer]], internal: bool) -> Edits:
    plan = _SheetPlan(cells, title)
    edits: Edits = {}
    answer_col, added_answer = _answer_column(plan, internal, edits)
    if added_answer and not internal and any(i.explanation and i.answer for _, _, i in items):
        # A table with no answer column of its own gets a comments column beside the added answers.
        _add_comment_column(plan, edits)
    notes_col = _notes_column(plan, internal, edits)
    for row, _, item in items:
        explained = _place_explanation(cells, plan, row, item, edits)
        if item.answer is not None:
            target = _top_left(cells, row, answer_col)
            edits[target] = safe_text(item.answer)
        if notes_col is not None:
            _place_note(cells, row, item, answer_col, notes_col, explained, edits)
    return edits


def write_xlsx(source: Path, answers: Sequence[FilledAnswer], out: Path, *,
               internal: bool = True) -> tuple[int, list[str]]:
    """Write answers into a copy of an .xlsx/.xlsm workbook; return how many were placed and which were not."""
    check_questionnaire_workbook(source)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc})", file=str(source)) from exc
    by_sheet: dict[str, list[tuple[int, int, FilledAnswer]]] = {}
    missed: list[str] = []
    edits: dict[str, Edits] = {}
    with archive:
        sheets: dict[str, SheetPart] = {s.title: s for s in list_sheets(archive)}
        strings = shared_strings(archive)
        for item in answers:
            place = _parse(item.location)
            if place is None or place[0] not in sheets:
                missed.append(item.location)
                continue
            by_sheet.setdefault(place[0], []).append((place[1], place[2], item))
        for title, items in by_sheet.items():
            part = sheets[title].part
            edits[part] = _plan_sheet(read_sheet(archive, part, strings), title, items, internal)
    skipped = copy_with_cells(source, out, edits)
    written = sum(1 for items in by_sheet.values() for _, _, item in items if item.answer is not None)
    return written - len(skipped), missed + skipped
