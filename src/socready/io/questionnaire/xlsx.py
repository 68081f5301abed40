"""Read questionnaires from Excel workbooks: each visible sheet, merged cells filled, header found."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from socready.core.errors import InputError
from socready.io.questionnaire.grid import clean, read_grid
from socready.io.questionnaire.model import Question
from socready.io.workbook_limits import WorkbookLimits, check_workbook
from socready.io.workbook_parts import QUESTIONNAIRE_STRINGS, check_shared_parts

# Workbooks saved with a password are wrapped in an OLE compound file; so are legacy .xls files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A questionnaire sheet never needs this many cells; a larger one is a data export, not a form.
MAX_CELLS_PER_SHEET = 200_000
# openpyxl holds a whole workbook in memory (several hundred bytes a cell), so the limits are checked
# on the zip directory and by streaming each sheet before it is loaded. A sheet of MAX_CELLS_PER_SHEET
# cells is some 10 MB of XML; the part limit leaves room for long texts and heavy formatting.
QUESTIONNAIRE_LIMITS = WorkbookLimits("a questionnaire", max_part_bytes=64 * 1024 * 1024,
                                      max_total_bytes=256 * 1024 * 1024, max_cells=MAX_CELLS_PER_SHEET)


def sheet_text(sheet: Worksheet, file: str) -> list[list[str]]:
    """The sheet's cells as text, merged ranges filled from their top-left cell.

    A merged cell keeps its value only in the top-left corner; copying it to the whole range lets a
    category merged down a column still label every question beside it. The text grid spans every row to
    the widest column, so a sheet whose extent is past the cell limit is refused here too: something
    the streaming check does not count (a comment or a link anchored far away) can still stretch it.
    """
    if sheet.max_row * sheet.max_column > MAX_CELLS_PER_SHEET:
        raise InputError(f"sheet '{sheet.title}' spans {sheet.max_row:,} rows by {sheet.max_column:,} columns, "
                         f"past the limit of {MAX_CELLS_PER_SHEET:,} cells for a questionnaire", file=file)
    rows = [[clean(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    return rows


def check_questionnaire_workbook(path: Path, limits: WorkbookLimits = QUESTIONNAIRE_LIMITS) -> None:
    """Refuse an encrypted or legacy workbook, and one too large to load, before openpyxl opens it."""
    file = str(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        raise InputError("the workbook is password-protected (encrypted) or in the old .xls format; "
                         "save an unprotected .xlsx copy and try again", file=file)
    check_workbook(path, file, limits)
    check_shared_parts(path, file, QUESTIONNAIRE_STRINGS)


def read_xlsx(path: Path, limits: WorkbookLimits = QUESTIONNAIRE_LIMITS) -> list[Question]:
    """Return the questions of every visible sheet, located as 'Sheet!B14'."""
    file = str(path)
    check_questionnaire_workbook(path, limits)
    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook (damaged or not a zip archive: {exc})",
                         file=file) from exc
    questions: list[Question] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows = sheet_text(sheet, file)

        def locate(row: int, col: int, title: str = sheet.title) -> str:
            return f"{title}!{get_column_letter(col + 1)}{row + 1}"

        found = read_grid(rows, locate).questions
        # Rows merged vertically repeat the same question; keep the first occurrence.
        for question in found:
            if questions and questions[-1].text == question.text and questions[-1].id == question.id:
                continue
            questions.append(question)
    return questions
