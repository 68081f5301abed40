"""Set cell values in a copy of an .xlsx workbook by editing its sheet XML, leaving every other byte alone.

openpyxl rewrites a whole workbook when it saves: it drops the x14 drop-down extensions, pivot caches,
drawings' text boxes and anything else it does not model, and renumbers styles. A questionnaire sent
back to a prospect must be the prospect's own file with answers in it, so this module copies the zip
part by part and changes only the ``<c>`` elements of the cells being written (keeping each cell's
style), inserting cells and rows where the sheet had none. Values are written as inline strings, so the
shared-string table is untouched too.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

_ROOT_RE = re.compile(r"<(?:(\w+):)?worksheet\b")
# A cell's new text, or its text and the style index a new cell takes.
Value = str | tuple[str, str | None]


class CellHasFormula(Exception):
    """The target cell holds a formula; writing over it would change the workbook's logic."""


def _column_number(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _cell_xml(p: str, ref: str, text: str, style: str | None) -> str:
    styled = f' s="{style}"' if style is not None else ""
    lines = escape(text)
    return f'<{p}c r="{ref}"{styled} t="inlineStr"><{p}is><{p}t xml:space="preserve">{lines}</{p}t></{p}is></{p}c>'


def _set_in_row(row_xml: str, p: str, ref: str, value: Value) -> str:
    """Return the row's XML with cell ``ref`` set, inserted in column order if missing.

    ``value`` is the text, or (text, style index) for a new cell styled like another (a header).
    """
    text, new_style = (value, None) if isinstance(value, str) else value
    cell_re = re.compile(rf'<{p}c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</{p}c>)', re.DOTALL)
    open_end = row_xml.index(">") + 1
    if row_xml[open_end - 2] == "/":  # an empty row written as <row .../>
        head = row_xml[:open_end - 2] + ">"
        return f"{head}{_cell_xml(p, ref, text, new_style)}</{p}row>"
    target = _column_number(ref)
    for match in cell_re.finditer(row_xml, open_end):
        attrs = match.group("attrs")
        found = re.search(r'\br="([A-Z]+\d+)"', attrs)
        if found is None:
            continue
        column = _column_number(found.group(1))
        if column == target:
            if match.group("body") and f"<{p}f" in match.group("body"):
                raise CellHasFormula(ref)
            style = re.search(r'\bs="(\d+)"', attrs)
            return row_xml[:match.start()] + _cell_xml(p, ref, text, style.group(1) if style else new_style) + \
                row_xml[match.end():]
        if column > target:
            return row_xml[:match.start()] + _cell_xml(p, ref, text, new_style) + row_xml[match.start():]
    close = row_xml.rindex(f"</{p}row>")
    return row_xml[:close] + _cell_xml(p, ref, text, new_style) + row_xml[close:]


def _group_by_row(values: Mapping[tuple[int, int], Value]) -> dict[int, dict[int, Value]]:
    """The values to set, grouped as row -> column -> value."""
    by_row: dict[int, dict[int, Value]] = {}
    for (row, col), text in values.items():
        by_row.setdefault(row, {})[col] = text
    return by_row


def _sheet_data_bounds(sheet_xml: str, p: str) -> tuple[str, int, int]:
    """The sheet XML with its sheetData element open, and where that element starts and closes."""
    data_start = sheet_xml.find(f"<{p}sheetData")
    data_end = sheet_xml.find(f"</{p}sheetData>")
    if data_start < 0:
        raise ValueError("the sheet has no sheetData element")
    if data_end < 0:  # <sheetData/>: open it so rows can go in
        empty_end = sheet_xml.index(">", data_start) + 1
        sheet_xml = sheet_xml[:data_start] + f"<{p}sheetData></{p}sheetData>" + sheet_xml[empty_end:]
        data_end = sheet_xml.find(f"</{p}sheetData>")
    return sheet_xml, data_start, data_end


def _new_row(p: str, number: int, cells: Mapping[int, Value]) -> str:
    """The XML of a new row ``number`` holding the given column -> value cells."""
    xml = f'<{p}row r="{number}"></{p}row>'
    for col, text in sorted(cells.items()):
        xml = _set_in_row(xml, p, f"{get_column_letter(col)}{number}", text)
    return xml


def _edit_row(row_xml: str, p: str, number: int, cells: Mapping[int, Value], skipped: list[str]) -> str:
    """The row's XML with the given column -> value cells set; formula cells are added to ``skipped``."""
    for col, text in sorted(cells.items()):
        ref = f"{get_column_letter(col)}{number}"
        try:
            row_xml = _set_in_row(row_xml, p, ref, text)
        except CellHasFormula:
            skipped.append(ref)
    return row_xml


def set_cells(sheet_xml: str, values: Mapping[tuple[int, int], Value]) -> tuple[str, list[str]]:
    """Return the sheet XML with each (row, column) -> text set, and the refs skipped (formula cells)."""
    root = _ROOT_RE.search(sheet_xml)
    p = f"{root.group(1)}:" if root and root.group(1) else ""
    row_re = re.compile(rf'<{p}row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</{p}row>)', re.DOTALL)
    by_row = _group_by_row(values)
    skipped: list[str] = []
    pieces: list[str] = []
    cursor = 0
    pending = sorted(by_row)
    sheet_xml, data_start, data_end = _sheet_data_bounds(sheet_xml, p)

    for match in row_re.finditer(sheet_xml, data_start, data_end):
        number = int(match.group(1))
        while pending and pending[0] < number:
            pieces.append(sheet_xml[cursor:match.start()])
            cursor = match.start()
            new_number = pending.pop(0)
            pieces.append(_new_row(p, new_number, by_row[new_number]))
        if pending and pending[0] == number:
            pending.pop(0)
            pieces.append(sheet_xml[cursor:match.start()])
            pieces.append(_edit_row(match.group(0), p, number, by_row[number], skipped))
            cursor = match.end()
    pieces.append(sheet_xml[cursor:data_end])
    pieces.extend(_new_row(p, number, by_row[number]) for number in pending)
    pieces.append(sheet_xml[data_end:])
    return "".join(pieces), skipped


def copy_with_cells(source: Path, out: Path, edits: Mapping[str, Mapping[tuple[int, int], Value]]) -> list[str]:
    """Copy the workbook to ``out`` with the given cells set per sheet part; return the refs left alone."""
    skipped: list[str] = []
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename in edits and edits[info.filename]:
                text, missed = set_cells(data.decode("utf-8"), edits[info.filename])
                skipped.extend(f"{info.filename}:{ref}" for ref in missed)
                data = text.encode("utf-8")
            copy.writestr(info, data, compress_type=info.compress_type)
    return skipped
