"""The evidence request (PBC) list, as a workbook and as CSV; shared requests appear once.

Both files hold the rows of ``rows.pbc_rows``: the list as the app shows it, so what the auditor reads in a
file and on the request pages never differs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

from socready.core.readiness.snapshot import ProgramSnapshot
from socready.io.exports.matrix import write_sheet
from socready.io.exports.rows import PBC_COLUMNS, pbc_rows
from socready.io.exports.safe_cells import safe_row


def write_pbc_xlsx(snapshot: ProgramSnapshot, path: Path) -> Path:
    """Write the PBC list as xlsx: one sheet, one row per request, due dates as date cells."""
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    book.set_properties({"title": f"Evidence requests - {snapshot.organization}", "author": "socready"})
    write_sheet(book, "PBC", PBC_COLUMNS, [row.cells() for row in pbc_rows(snapshot)])
    book.close()
    return path


def write_pbc_csv(snapshot: ProgramSnapshot, path: Path) -> Path:
    """Write the PBC list as UTF-8 CSV with a header row; dates as YYYY-MM-DD, every cell neutralized."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        # Every field quoted: a cell such as "x;=1+1" stays one cell even where a spreadsheet splits on ";".
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow([title for title, _ in PBC_COLUMNS])
        for row in pbc_rows(snapshot):
            writer.writerow(safe_row(row.cells()))
    return path
