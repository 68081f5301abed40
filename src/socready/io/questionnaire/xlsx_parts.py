"""Stream the parts of an .xlsx workbook that a questionnaire reader needs, without loading it whole.

openpyxl builds an object per cell (merged ranges included) and drops what it does not model (the x14
drop-down extensions). Questionnaires such as the HECVAT carry scoring sheets of hundreds of thousands
of cells and declare sheets a million rows long, so this module reads each part with expat instead:

* the workbook's sheets (name, hidden or not, part name);
* the shared strings, rich-text runs joined and phonetic hints dropped;
* one sheet's stored cells as text (a formula cell gives its cached value), its merged ranges, and the
  cells covered by list drop-downs, both the plain ones and the x14 extension Excel writes when a list
  refers to another sheet.

Only stored, non-empty values are kept, so memory follows what the sheet really holds, never the
dimension it declares.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

_CHUNK = 64 * 1024
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class SheetPart:
    """One sheet of a workbook: its title, whether it is visible, and the zip part holding it."""

    title: str
    state: str
    part: str


@dataclass
class SheetCells:
    """What one sheet holds: text per (row, column), merged ranges and drop-down cells (all 1-based)."""

    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col
    list_validations: list[tuple[int, int, int, int]] = field(default_factory=list)
    numeric: int = 0
    stored: int = 0
    stopped_early: bool = False  # reading stopped once the sheet was plainly a table of numbers
    styles: dict[tuple[int, int], str] = field(default_factory=dict)  # style index of each cell with a value

    def value(self, row: int, col: int) -> str:
        """The text of one cell, or an empty string."""
        return self.cells.get(row, {}).get(col, "")


def unescape(text: str) -> str:
    """Undo Excel's _xHHHH_ escapes for characters XML cannot hold (such as a vertical tab)."""
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _parse(archive: zipfile.ZipFile, part: str, parser: expat.XMLParserType) -> None:
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part name for ``part``."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    found: dict[str, str] = {}
    if rels_part not in archive.namelist():
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs["Id"]] = path

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    _parse(archive, rels_part, parser)
    return found


def workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook part named by the package's root relationships (xl/workbook.xml in practice)."""
    for target in _rels(archive, "").values():
        if target.endswith(".xml") and "workbook" in target.lower():
            return target
    return "xl/workbook.xml"


def list_sheets(archive: zipfile.ZipFile) -> list[SheetPart]:
    """Every worksheet in workbook order, with its visibility; chart sheets are left out."""
    book = workbook_part(archive)
    targets = _rels(archive, book)
    sheets: list[SheetPart] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) != "sheet":
            return
        rel = next((v for k, v in attrs.items() if _local(k) == "id" and k != "sheetId"), "")
        part = targets.get(rel, "")
        if "worksheets/" in part:
            sheets.append(SheetPart(attrs.get("name", ""), attrs.get("state", "visible"), part))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    _parse(archive, book, parser)
    return sheets


class _SharedStringsHandler:
    """The expat handlers that gather shared strings, each the text of its runs (phonetic hints left out)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.pieces: list[str] = []
        self.in_t = False
        self.phonetic = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """Open a string, a text run or a phonetic hint."""
        local = _local(tag)
        if local == "si":
            self.pieces.clear()
        elif local == "t":
            self.in_t = True
        elif local == "rPh":
            self.phonetic += 1

    def end(self, tag: str) -> None:
        """Close a text run or a phonetic hint, or finish a string."""
        local = _local(tag)
        if local == "t":
            self.in_t = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si":
            self.strings.append(unescape("".join(self.pieces)))

    def text(self, data: str) -> None:
        """Keep the text of a run outside phonetic hints."""
        if self.in_t and not self.phonetic:
            self.pieces.append(data)


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings, each the text of its runs (phonetic hints left out)."""
    targets = _rels(archive, workbook_part(archive))
    part = next((t for t in targets.values() if t.lower().endswith("sharedstrings.xml")), None)
    if part is None or part not in archive.namelist():
        return []
    handler = _SharedStringsHandler()
    parser = expat.ParserCreate()
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.buffer_text = True
    _parse(archive, part, parser)
    return handler.strings


def _place(ref: str) -> tuple[int, int] | None:
    letters = ref.rstrip("0123456789").replace("$", "")
    digits = ref[len(ref.rstrip("0123456789")):]
    if not letters or not digits or not letters.isalpha() or len(letters) > 3:
        return None
    col = 0
    for letter in letters.upper():
        col = col * 26 + ord(letter) - 64
    return int(digits), col


def ranges(sqref: str) -> Iterator[tuple[int, int, int, int]]:
    """The rectangles of a space-separated reference list such as 'C5:C9 C12'."""
    for piece in sqref.replace("$", "").split():
        first, _, last = piece.partition(":")
        top, bottom = _place(first), _place(last or first)
        if top and bottom:
            yield min(top[0], bottom[0]), min(top[1], bottom[1]), max(top[0], bottom[0]), max(top[1], bottom[1])


class _MostlyNumbers(Exception):
    """Raised to stop reading a sheet that has shown itself to be a table of numbers."""


# After this many values, a sheet more than nine tenths numbers is not read further.
NUMERIC_PROBE = 2000


class _SheetReader:
    """expat handlers that collect one sheet's values, merged ranges and list drop-downs."""

    def __init__(self, strings: list[str], out: SheetCells) -> None:
        self.strings, self.out = strings, out
        self.row = self.col = 0
        self.kind = ""
        self.style: str | None = None
        self.buffer: list[str] = []
        self.capture = ""  # which element's text is being collected: "v", "t", "sqref" or ""
        self.in_cell = self.in_rph = False
        self.validation_is_list = False
        self.x14_sqref: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            place = _place(ref) if ref else None
            if place:
                self.row, self.col = place
            else:
                self.col += 1
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s")
            self.in_cell = True
            self.buffer = []
            self.out.stored += 1
        elif local == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.col = 0
        elif self.in_cell and local in ("v", "t"):
            self.capture = local if not self.in_rph else ""
        elif local == "rPh":
            self.in_rph = True
        elif local == "mergeCell":
            self.out.merged.extend(ranges(attrs.get("ref", "")))
        elif local == "dataValidation":
            self.validation_is_list = attrs.get("type") == "list"
            if self.validation_is_list and attrs.get("sqref"):
                self.out.list_validations.extend(ranges(attrs["sqref"]))
        elif local == "sqref" and self.validation_is_list:
            self.capture = "sqref"
            self.x14_sqref = []

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "c":
            self._store()
            self.in_cell = False
        elif local in ("v", "t"):
            self.capture = ""
        elif local == "rPh":
            self.in_rph = False
        elif local == "sqref" and self.capture == "sqref":
            self.out.list_validations.extend(ranges("".join(self.x14_sqref)))
            self.capture = ""
        elif local == "dataValidation":
            self.validation_is_list = False

    def text(self, data: str) -> None:
        if self.capture == "sqref":
            self.x14_sqref.append(data)
        elif self.capture:
            self.buffer.append(data)

    def _store(self) -> None:
        raw = "".join(self.buffer)
        if not raw:
            return
        if self.kind == "s":
            index = int(raw) if raw.strip().isdigit() else -1
            value = self.strings[index] if 0 <= index < len(self.strings) else ""
        elif self.kind == "b":
            value = "TRUE" if raw.strip() == "1" else "FALSE"
        elif self.kind in ("str", "inlineStr", "e"):
            value = unescape(raw)
        else:
            self.out.numeric += 1
            value = raw[:-2] if raw.endswith(".0") else raw
            if self.out.numeric % NUMERIC_PROBE == 0:
                values = sum(len(row) for row in self.out.cells.values())
                if self.out.numeric > 0.9 * values:
                    raise _MostlyNumbers
        text = " ".join(value.split())
        if text:
            self.out.cells.setdefault(self.row, {})[self.col] = text
            if self.style is not None:
                self.out.styles[(self.row, self.col)] = self.style


def read_sheet(archive: zipfile.ZipFile, part: str, strings: list[str]) -> SheetCells:
    """Stream one sheet part and return its stored values, merged ranges and drop-down ranges."""
    out = SheetCells()
    handler = _SheetReader(strings, out)
    parser = expat.ParserCreate()
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.buffer_text = True
    try:
        _parse(archive, part, parser)
    except _MostlyNumbers:
        out.stopped_early = True
    return out
