"""Read questionnaires from Excel workbooks, streaming each sheet and skipping those that hold no questions.

Each visible sheet is judged by its name first (a change log, a crosswalk, a scoring sheet is never
parsed) and by what it holds next (a sheet of numbers is a calculation). The rest are read as tables: a
formula cell gives its cached value, merged cells are filled from their top-left cell, and columns
covered by a list drop-down are answer columns, never the question. A sheet that only repeats the
questions of a sheet read before it (the HECVAT's "Questions" lookup) is skipped as a copy.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

from socready.core.errors import InputError
from socready.io.questionnaire.grid import GridResult, read_grid
from socready.io.questionnaire.model import Found, Question, SkippedPart
from socready.io.questionnaire.sheet_kinds import skip_by_content, skip_by_name
from socready.io.questionnaire.xlsx_parts import SheetCells, SheetPart, list_sheets, read_sheet, shared_strings
from socready.io.workbook_limits import WorkbookLimits, check_workbook
from socready.io.workbook_parts import QUESTIONNAIRE_STRINGS, check_shared_parts

# Workbooks saved with a password are wrapped in an OLE compound file; so are legacy .xls files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stored cells one sheet may hold. Only stored values are kept in memory (never the declared dimension),
# so a HECVAT scoring sheet of some 240,000 cells is read (and then skipped) at a few tens of megabytes.
MAX_CELLS_PER_SHEET = 1_000_000
QUESTIONNAIRE_LIMITS = WorkbookLimits("a questionnaire", max_part_bytes=64 * 1024 * 1024,
                                      max_total_bytes=256 * 1024 * 1024, max_cells=MAX_CELLS_PER_SHEET,
                                      limit_extent=False)
# A drop-down over this many rows of one column marks that column as where answers go.
_DROPDOWN_MIN_ROWS = 2
# Share of a sheet's question ids already read on an earlier sheet past which it is a copy.
_COPY_SHARE = 0.5


def check_questionnaire_workbook(path: Path, limits: WorkbookLimits = QUESTIONNAIRE_LIMITS) -> None:
    """Refuse an encrypted or legacy workbook, and one too large to read, before any sheet is parsed."""
    file = str(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise InputError("the workbook is password-protected (encrypted) or in the old .xls format; "
                         "save an unprotected .xlsx copy and try again", file=file)
    check_workbook(path, file, limits)
    check_shared_parts(path, file, QUESTIONNAIRE_STRINGS)


def sheet_rows(cells: SheetCells) -> tuple[list[list[str]], list[int]]:
    """The sheet's non-empty rows as lists of text (vertical merges filled) and each one's row number.

    Only rows and columns that hold something are built, so a merged range or a declared dimension that
    runs to the last row of the sheet costs nothing.
    """
    values = {row: dict(cols) for row, cols in cells.cells.items()}
    for top, left, bottom, _right in cells.merged:
        value = cells.value(top, left)
        if not value or bottom - top > 10_000:
            continue
        # Only down the first column: a category merged down a column then labels every question beside
        # it, while an answer merged across two columns is not copied into a column that may be read as
        # the question.
        for row in range(top + 1, bottom + 1):
            values.setdefault(row, {})[left] = value
    numbers = sorted(values)
    width = max((max(cols) for cols in values.values() if cols), default=0)
    rows = []
    for number in numbers:
        cols = values[number]
        rows.append([cols.get(col, "") for col in range(1, min(width, max(cols)) + 1)])
    return rows, numbers


def dropdown_columns(cells: SheetCells) -> frozenset[int]:
    """Columns (0-based) that a list drop-down covers over several rows: where the answers go."""
    found: set[int] = set()
    for top, left, bottom, right in cells.list_validations:
        if bottom - top + 1 >= _DROPDOWN_MIN_ROWS or len(cells.list_validations) >= 3:
            found.update(range(left - 1, min(right, left + 3)))
    return frozenset(found)


def read_sheet_grid(cells: SheetCells, title: str) -> tuple[GridResult, list[int]]:
    """Read one sheet's questions, located as 'Sheet!B14'; also return the row number of each grid row."""
    rows, numbers = sheet_rows(cells)

    def locate(row: int, col: int) -> str:
        return f"{title}!{get_column_letter(col + 1)}{numbers[row]}"

    return read_grid(rows, locate, answer_hint=dropdown_columns(cells)), numbers


def _copied_from(found: list[Question], seen: dict[str, str]) -> str | None:
    """The sheet read earlier whose question texts make up most of ``found``, if any."""
    sources = [seen[q.text.lower()] for q in found if q.text.lower() in seen]
    if not found or len(sources) < _COPY_SHARE * len(found):
        return None
    return max(set(sources), key=sources.count)


def _sheets_and_strings(archive: zipfile.ZipFile, file: str) -> tuple[list[SheetPart], list[str]]:
    """The workbook's worksheets and shared strings; InputError if they cannot be read or there are no sheets."""
    try:
        sheets = list_sheets(archive)
        strings = shared_strings(archive)
    except (KeyError, ValueError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc})", file=file) from exc
    if not sheets:
        raise InputError("not a readable .xlsx workbook (it lists no worksheets)", file=file)
    return sheets, strings


def _sheet_questions(archive: zipfile.ZipFile, sheet: SheetPart, strings: list[str],
                     seen: dict[str, str]) -> tuple[list[Question], str | None]:
    """The questions of one sheet, or none and the reason the sheet is skipped."""
    reason = skip_by_name(sheet.title, sheet.state)
    if reason is not None:
        return [], reason
    try:
        cells = read_sheet(archive, sheet.part, strings)
    except KeyError:
        return [], "its part is missing from the file"
    reason = skip_by_content(cells)
    if reason is not None:
        return [], reason
    found = read_sheet_grid(cells, sheet.title)[0].questions
    if not found:
        return [], "no questions found"
    first = _copied_from(found, seen)
    if first is not None:
        return [], f"repeats the questions of '{first}'"
    return found, None


def _add_questions(questions: list[Question], found: list[Question], seen: dict[str, str], title: str) -> None:
    """Add a sheet's questions, noting where each text was first seen and dropping vertical repeats."""
    for question in found:
        seen.setdefault(question.text.lower(), title)
        # Rows merged vertically repeat the same question; keep the first occurrence.
        if questions and questions[-1].text == question.text and questions[-1].id == question.id:
            continue
        questions.append(question)


def read_xlsx(path: Path, limits: WorkbookLimits = QUESTIONNAIRE_LIMITS) -> Found:
    """Return the questions of every sheet that holds some, and the sheets skipped with the reason."""
    file = str(path)
    check_questionnaire_workbook(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable .xlsx workbook (damaged or not a zip archive: {exc})", file=file) from exc
    questions: list[Question] = []
    skipped: list[SkippedPart] = []
    seen: dict[str, str] = {}
    with archive:
        sheets, strings = _sheets_and_strings(archive, file)
        for sheet in sheets:
            found, reason = _sheet_questions(archive, sheet, strings, seen)
            if reason is not None:
                skipped.append(SkippedPart(sheet.title, reason))
                continue
            _add_questions(questions, found, seen, sheet.title)
    return Found(questions, tuple(skipped))
