"""File-level checks for population imports: format by name and content, size limit, CSV header, XLSX.

A spreadsheet is copied row for row into a temporary CSV so that one validation path (DuckDB) serves all
formats and its row numbers stay those of the sheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from socready.core.errors import InputError

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
_HEAD_BYTES = 64 * 1024
_MAX_HEADER_BYTES = 1024 * 1024


def detect_format(path: Path, shown: str, max_bytes: int) -> tuple[str, int, tuple[int, int]]:
    """Check the file exists, is not too large and holds what its name says; return format, size, stamp."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unsupported file type '{path.suffix}' (use .csv, .xlsx or .parquet)", file=shown)
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
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
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
    return fmt, info.st_size, (info.st_size, info.st_mtime_ns)


def header_of(path: Path, delimiter: str, shown: str) -> list[str]:
    """The column names on the first line of a CSV; refuse empty, repeated or missing names."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline(_MAX_HEADER_BYTES)
    rows = list(csv.reader([first], delimiter=delimiter))
    names = [n.strip() for n in rows[0]] if rows else []
    if not any(names):
        raise InputError("the first line must name the columns", file=shown, entry="row 1")
    for position, name in enumerate(names, start=1):
        if not name:
            raise InputError(f"column {position} has no name", file=shown, entry="row 1")
        if names.index(name) != position - 1:
            raise InputError("appears twice in the header", file=shown, entry="row 1", field=name)
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
def xlsx_to_csv(path: Path, fmt: str, shown: str) -> Iterator[Path]:
    """Yield a path DuckDB can read: the file itself, or a CSV copy of a workbook's first sheet."""
    if fmt != "xlsx":
        yield path
        return
    import openpyxl  # only spreadsheets need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"cannot open the workbook: {exc}", file=shown) from None
    try:
        sheet = book.worksheets[0]
        with tempfile.TemporaryDirectory(prefix="socready-pop-") as folder:
            target = Path(folder) / "sheet.csv"
            with target.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                pending: list[list[str]] = []
                width = 0
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells = [_cell(v) for v in row]
                    if number == 1:
                        width = len(cells)
                        while width and not cells[width - 1]:
                            width -= 1
                        writer.writerow(cells[:width])
                        continue
                    cells = (cells + [""] * width)[:width]
                    # Empty rows are held back so trailing ones are dropped but inner ones keep numbering.
                    pending.append(cells)
                    if any(cells):
                        writer.writerows(pending)
                        pending.clear()
            yield target
    finally:
        book.close()
