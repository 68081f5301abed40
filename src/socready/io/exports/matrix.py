"""The control matrix workbook: every control, then one sheet per report and one for shared controls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from socready.core.readiness.snapshot import ControlState, ProgramSnapshot
from socready.io.exports.rows import MATRIX_COLUMNS, matrix_row, reports_of
from socready.io.exports.safe_cells import safe_row


def write_sheet(
    book: xlsxwriter.Workbook, name: str, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[object]]
) -> Worksheet:
    """Write one sheet: bold frozen header, autofilter, set widths.

    Dates are date cells, the rest neutralized text (None is an empty cell).
    """
    sheet = book.add_worksheet(name)
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    body = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    for column, (title, width) in enumerate(columns):
        sheet.write_string(0, column, title, header)
        sheet.set_column(column, column, width)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(row_number, column, value, day)
            elif value is None or value == "":
                sheet.write_blank(row_number, column, None, body)
            else:
                # write_string, never write(): a user's text must not be read as a formula or number.
                sheet.write_string(row_number, column, safe_row([value])[0], body)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    return sheet


SUBSERVICE_COLUMNS = (("Subservice organization", 30), ("Service", 30), ("Method", 12), ("CSOCs", 60),
                      ("Latest report reviewed", 40))


def _kinds(state: ControlState, snapshot: ProgramSnapshot) -> set[str]:
    return {e.report for e in reports_of(state, snapshot)}


def write_matrix(snapshot: ProgramSnapshot, path: Path) -> Path:
    """Write the control matrix xlsx: All controls, SOC 2, SOC 1 and Shared sheets.

    A Subservice organizations sheet follows when the vendor register lists any.
    """
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    book.set_properties({"title": f"Control matrix - {snapshot.organization}", "author": "socready"})
    every = [matrix_row(s, snapshot) for s in snapshot.controls]
    write_sheet(book, "All controls", MATRIX_COLUMNS, every)
    for name, wanted in (("SOC 2", {"soc2"}), ("SOC 1", {"soc1"}), ("Shared", {"soc1", "soc2"})):
        chosen = [
            matrix_row(s, snapshot)
            for s in snapshot.controls
            if s.applicable and wanted <= _kinds(s, snapshot)
        ]
        write_sheet(book, name, MATRIX_COLUMNS, chosen)
    if snapshot.subservice:
        write_sheet(book, "Subservice organizations", SUBSERVICE_COLUMNS,
                    [(s.name, s.service, s.method, "\n".join(s.csocs), s.report) for s in snapshot.subservice])
    book.close()
    return path
