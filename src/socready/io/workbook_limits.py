"""Refuse a workbook that would cost far more to open than its size suggests, before openpyxl parses it.

An .xlsx is a zip of XML parts. A file of a megabyte can hold a sheet of hundreds of megabytes (a
decompression bomb), and a tiny one can declare a merged range of millions of cells, which openpyxl turns
into one object per cell. Two cheap checks come first:

1. the zip directory: every part's uncompressed size, the total, and how much it is compressed;
2. each sheet streamed through expat, counting cells (and merged cells) as they go by, so reading stops
   as soon as a limit is passed. Nothing is built in memory.

Only then is the workbook handed to openpyxl. Python's zipfile never inflates a part beyond the size
the directory declares (it stops there and reports a CRC error), so checking the declared sizes is sound.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl.reader.excel import ExcelReader

from socready.core.errors import InputError
from socready.io.archive_limits import check_unzipped_sizes, stream_elements

# Excel's own sheet size; a workbook past it was not saved by a spreadsheet program.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
# Real spreadsheet XML shrinks 5 to 20 times when zipped; a part squeezed far more is padding.
MAX_RATIO = 100
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class WorkbookLimits:
    """How large a workbook may be once unzipped, and how many cells one sheet may hold."""

    purpose: str  # what the file is for, as the refusal says it: "a questionnaire", "a population"
    max_part_bytes: int
    max_total_bytes: int
    max_cells: int
    max_ratio: int = MAX_RATIO
    # openpyxl makes an object for every row up to the widest one and every cell of a merged or linked
    # range, so a reader that loads with it limits that extent. A reader that keeps only the values a
    # sheet stores (the questionnaire reader) counts stored cells alone: a sheet declaring a million
    # rows, or one stray cell far down, costs it nothing.
    limit_extent: bool = True


class _Stop(Exception):
    """Raised from an expat handler to stop reading a part early."""


def check_workbook(path: Path, file: str, limits: WorkbookLimits) -> None:
    """Refuse a workbook past ``limits`` with an InputError naming the file, the sheet and the limit.

    A file that is not a readable zip archive is left for openpyxl to refuse with its own message.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        _check_sizes(archive, file, limits)
        for title, part in _sheets(path):
            _check_cells(archive, part, title, file, limits)


def _check_sizes(archive: zipfile.ZipFile, file: str, limits: WorkbookLimits) -> None:
    check_unzipped_sizes(archive.infolist(), file, limits, "workbook")


def _sheets(path: Path) -> list[tuple[str, str]]:
    """(title, part name) of every sheet, found the way openpyxl finds them; empty if it cannot."""
    with path.open("rb") as handle:
        try:
            reader = ExcelReader(handle)  # a file object, so openpyxl does not judge the file by its name
            reader.read_manifest()
            reader.read_workbook()
            return [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()]
        except Exception:  # noqa: BLE001 - openpyxl refuses the same file again when it opens it, saying why
            return []


class _CellCounter:
    """Counts the cells of one sheet as expat reports its elements; raises InputError past a limit.

    ``start`` runs for every element of a sheet that may hold millions, so the common case (a cell with
    an unprefixed name) is kept to a few cheap operations.
    """

    def __init__(self, where: str, file: str, limits: WorkbookLimits) -> None:
        self.where, self.file, self.limits = where, file, limits
        self.is_sheet: bool | None = None
        self.row = self.col = self.row_cells = 0
        self.cells = self.max_row = self.max_col = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Handle one opening tag (the spreadsheet namespace may carry any prefix)."""
        local = name if ":" not in name else name.rpartition(":")[2]
        if local == "c":
            self._cell(attrs)
        elif local == "row":
            self._row(attrs)
        elif local in ("mergeCell", "hyperlink") and self.limits.limit_extent:
            # openpyxl creates a cell for every coordinate of a merged range and of a hyperlink's range.
            self._range(attrs.get("ref", ""))
        elif self.is_sheet is None:
            self._root(local)

    def _cell(self, attrs: dict[str, str]) -> None:
        """Count one cell element, placed by its reference or else after the previous cell of the row."""
        ref = attrs.get("r")
        place = _place(ref) if ref else None
        if place:
            row, self.col = place
        else:
            row, self.col = self.row, self.col + 1
        self.row_cells += 1
        self.cells += 1
        if row > self.max_row:
            self.max_row = row
        if self.col > self.max_col:
            self.max_col = self.col
        if self.cells > self.limits.max_cells or (
                self.limits.limit_extent and self.max_row * self.max_col > self.limits.max_cells):
            self._too_many_cells()
        if self.row_cells > EXCEL_MAX_COLUMNS or self.max_col > EXCEL_MAX_COLUMNS:
            self._refuse(f"row {self.row:,} goes past the {EXCEL_MAX_COLUMNS:,} columns a spreadsheet has")

    def _row(self, attrs: dict[str, str]) -> None:
        """Start a row, numbered by its reference or else after the previous row."""
        number = attrs.get("r", "")
        self.row = int(number) if number.isdigit() else self.row + 1
        self.col = self.row_cells = 0
        if self.row > EXCEL_MAX_ROWS:
            self._refuse(f"row {self.row:,} is past the last row a spreadsheet has ({EXCEL_MAX_ROWS:,})")

    def _root(self, local: str) -> None:
        """Note from the first element whether the part is a worksheet; stop at a chart sheet."""
        self.is_sheet = local == "worksheet"
        if not self.is_sheet:
            raise _Stop  # a chart sheet: no cells to count

    def _range(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        top, bottom = _place(first), _place(last or first)
        if top and bottom:
            self.cells += (abs(bottom[0] - top[0]) + 1) * (abs(bottom[1] - top[1]) + 1)
            self.max_row = max(self.max_row, top[0], bottom[0])
            self.max_col = max(self.max_col, top[1], bottom[1])
            if self.cells > self.limits.max_cells or self.max_row * self.max_col > self.limits.max_cells:
                self._too_many_cells()

    def _too_many_cells(self) -> None:
        how = "counting every row to the widest one, and merged or linked ranges cell by cell" \
            if self.limits.limit_extent else "counting the cells the sheet stores"
        self._refuse(f"the sheet has more than {self.limits.max_cells:,} cells, the limit for {self.limits.purpose} "
                     f"({how})")

    def _refuse(self, reason: str) -> None:
        raise InputError(reason, file=self.file, entry=self.where)


_COLUMNS: dict[str, int] = {}


def _place(ref: str) -> tuple[int, int] | None:
    """(row, column) of a reference such as 'B14', or None if it is not one."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    col = _COLUMNS.get(letters)
    if col is None:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            return None
        col = 0
        for letter in letters.upper():
            col = col * 26 + ord(letter) - 64
        if len(_COLUMNS) < 20_000:  # every column a sheet can have, in either case, fits several times over
            _COLUMNS[letters] = col
    if not digits or len(digits) > 7:
        return None
    return int(digits), col


_ROOT_RE = re.compile(rb"<(?:(\w+):)?(worksheet|chartsheet|dialogsheet)\b")


def _count_stored_cells(archive: zipfile.ZipFile, part: str, title: str, file: str, limits: WorkbookLimits) -> None:
    """Count the cell elements a sheet stores, by their tags in the raw stream, stopping past the limit.

    Counting tags needs no XML parse, so a scoring sheet of a quarter of a million cells is counted in a
    fraction of the time expat takes; what a cell holds or where it sits does not matter here.
    """
    try:
        with archive.open(part) as stream:
            head = stream.read(_CHUNK)
            root = _ROOT_RE.search(head)
            if root is None or root.group(2) != b"worksheet":
                return  # a chart sheet, or not a sheet at all: openpyxl refuses the latter itself
            prefix = (root.group(1) + b":") if root.group(1) else b""
            tags = (b"<" + prefix + b"c ", b"<" + prefix + b"c>", b"<" + prefix + b"c/")
            cells, tail, chunk = 0, b"", head
            while chunk:
                window = tail + chunk
                cells += sum(window.count(tag) for tag in tags)
                # A tag split across two chunks is counted once: the overlap keeps only its start.
                tail = window[-(len(prefix) + 3):]
                cells -= sum(tail.count(tag) for tag in tags)
                if cells > limits.max_cells:
                    raise InputError(f"the sheet has more than {limits.max_cells:,} cells, the limit for "
                                     f"{limits.purpose} (counting the cells the sheet stores)", file=file, entry=title)
                chunk = stream.read(_CHUNK)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return


def _check_cells(archive: zipfile.ZipFile, part: str, title: str, file: str, limits: WorkbookLimits) -> None:
    if not limits.limit_extent:
        _count_stored_cells(archive, part, title, file, limits)
        return
    # A missing or damaged part ends the count quietly: openpyxl parses sheets with the same expat and refuses it.
    with contextlib.suppress(_Stop):
        stream_elements(archive, part, _CellCounter(title, file, limits).start)
