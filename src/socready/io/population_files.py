"""File-level checks for population imports: format by name and content, size limit, CSV header, XLSX.

A spreadsheet is copied row for row into a temporary CSV so that one validation path (DuckDB) serves all
formats and its row numbers stay those of the sheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from socready.core.errors import InputError
from socready.io.workbook_limits import EXCEL_MAX_ROWS, WorkbookLimits, check_workbook
from socready.io.workbook_parts import POPULATION_STRINGS, check_shared_parts

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
_HEAD_BYTES = 64 * 1024
_MAX_HEADER_BYTES = 1024 * 1024
# Far more columns than any export has, and column names far longer than any a person would give.
MAX_COLUMNS = 2_000
MAX_COLUMN_NAME = 256
# A population sheet is read row by row, so memory stays flat; these bound the time a workbook can cost.
# Every row Excel allows, 32 columns wide, is far beyond any real population; a million rows of 20
# columns is some 800 MB of sheet XML.
POPULATION_XLSX_LIMITS = WorkbookLimits("a population", max_part_bytes=2 * 1024**3, max_total_bytes=4 * 1024**3,
                                        max_cells=32 * EXCEL_MAX_ROWS)


def detect_format(path: Path, shown: str, max_bytes: int) -> tuple[str, int, tuple[int, int]]:
    """Check the file exists, is not too large and holds what its name says; return format, size, stamp."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unsupported file type '{path.suffix}' (use .csv, .xlsx or .parquet)", file=shown)
    info = _checked_stat(path, shown, max_bytes)
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    _check_content(fmt, head, shown)
    return fmt, info.st_size, (info.st_size, info.st_mtime_ns)


def _checked_stat(path: Path, shown: str, max_bytes: int) -> os.stat_result:
    """The file's status, once it is known to be a regular file of some bytes within ``max_bytes``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", file=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=shown) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file", file=shown)
    if info.st_size > max_bytes:
        raise InputError(f"the file is {info.st_size} bytes; the limit is {max_bytes}", file=shown)
    if info.st_size == 0:
        raise InputError("the file is empty", file=shown)
    return info


def _check_content(fmt: str, head: bytes, shown: str) -> None:
    """Refuse a file whose first bytes are not of the format its name says."""
    if fmt == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise InputError("is named .xlsx but is not an Excel workbook", file=shown)
    if fmt == "parquet" and not head.startswith(b"PAR1"):
        raise InputError("is named .parquet but is not a Parquet file", file=shown)
    if fmt == "csv":
        if head.startswith((b"PK\x03\x04", b"PAR1")) or b"\x00" in head:
            raise InputError("is named .csv but holds binary data, not text", file=shown)
        try:
            # An incremental decoder accepts a character cut in two at the end of the sample.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _HEAD_BYTES)
        except UnicodeDecodeError as exc:
            raise InputError(f"is not UTF-8 text (bad byte at offset {exc.start})", file=shown) from None


def header_of(path: Path, delimiter: str, shown: str) -> list[str]:
    """The column names on the first line of a CSV; refuse empty, repeated, overlong or missing names."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline(_MAX_HEADER_BYTES + 1)
    if len(first) > _MAX_HEADER_BYTES:
        raise InputError(f"the first line is longer than {_MAX_HEADER_BYTES:,} characters, the limit for the "
                         "header", file=shown, entry="row 1")
    try:
        rows = list(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"the header cannot be read as CSV: {exc}", file=shown, entry="row 1") from None
    names = [n.strip() for n in rows[0]] if rows else []
    if not any(names):
        raise InputError("the first line must name the columns", file=shown, entry="row 1")
    if len(names) > MAX_COLUMNS:
        raise InputError(f"the header names {len(names):,} columns; the limit is {MAX_COLUMNS:,}",
                         file=shown, entry="row 1")
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            raise InputError(f"column {position} has no name", file=shown, entry="row 1")
        if len(name) > MAX_COLUMN_NAME:
            raise InputError(f"the name of column {position} is {len(name):,} characters long; the limit is "
                             f"{MAX_COLUMN_NAME}", file=shown, entry="row 1")
        if name in seen:
            raise InputError("appears twice in the header", file=shown, entry="row 1", field=name)
        seen.add(name)
    # DuckDB is given these names and skips the header line, so surrounding blanks do not matter.
    return names


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@contextmanager
def xlsx_to_csv(path: Path, fmt: str, shown: str,
                limits: WorkbookLimits = POPULATION_XLSX_LIMITS) -> Iterator[Path]:
    """Yield a path DuckDB can read: the file itself, or a CSV copy of a workbook's first sheet."""
    if fmt != "xlsx":
        yield path
        return
    import openpyxl  # only spreadsheets need it

    check_workbook(path, shown, limits)
    check_shared_parts(path, shown, POPULATION_STRINGS)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"cannot open the workbook: {exc}", file=shown) from None
    try:
        if not book.worksheets:
            raise InputError("the workbook has no sheet", file=shown)
        sheet = book.worksheets[0]
        # Read-only mode otherwise trusts the size the sheet declares and stops there; a file whose
        # declaration is wrong (or forged) would silently lose rows.
        sheet.reset_dimensions()
        with tempfile.TemporaryDirectory(prefix="socready-pop-") as folder:
            target = Path(folder) / "sheet.csv"
            with target.open("w", encoding="utf-8", newline="") as out:
                _copy_sheet(sheet.iter_rows(values_only=True), out, shown)
            yield target
    finally:
        book.close()


def _copy_sheet(rows: Iterator[tuple[object, ...]], out: TextIO, shown: str) -> None:
    """Copy the sheet's rows; a sheet openpyxl cannot parse (bad XML, a number that is not one) is refused."""
    try:
        _copy_rows(rows, out)
    except Exception as exc:  # openpyxl raises many kinds for a damaged sheet, as for a damaged workbook
        raise InputError(f"cannot read the workbook's first sheet: {exc.__class__.__name__}: {exc}",
                         file=shown) from None


def _copy_rows(rows: Iterator[tuple[object, ...]], out: TextIO) -> None:
    """Write the header and data rows, each cut or padded to the header's width, dropping trailing blank rows."""
    writer = csv.writer(out)
    width = 0
    blank_rows = 0
    for number, row in enumerate(rows, start=1):
        cells = [_cell(v) for v in row]
        if number == 1:
            width = len(cells)
            while width and not cells[width - 1]:
                width -= 1
            writer.writerow(cells[:width])
            continue
        cells = (cells + [""] * width)[:width]
        if not any(cells):
            # Blank rows are counted, not written yet: trailing ones are dropped, inner ones keep numbering.
            blank_rows += 1
            continue
        writer.writerows([[""] * width] * blank_rows)
        blank_rows = 0
        writer.writerow(cells)
