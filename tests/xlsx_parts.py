"""Build workbooks whose XML says what a damaged or hostile file would: a wrong size, a padded sheet."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = b"</sheetData></worksheet>"


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Replace one part of a saved workbook by ``change(old bytes)``, keeping every other part."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == part else data)
    return path


def set_dimension(path: Path, ref: str) -> Path:
    """Make the first sheet declare the size ``ref`` (such as 'A1:C10'), whatever it really holds."""
    return rewrite_part(path, SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>',
                                                          f'<dimension ref="{ref}"/>'.encode(), xml))


def stream_sheet(path: Path, rows: Iterable[bytes]) -> Path:
    """Replace the first sheet's content by ``rows`` (XML ``<row>`` elements), streamed into the zip."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename != SHEET:
                target.writestr(info, data)
                continue
            with target.open(SHEET, "w") as out:
                out.write(HEAD)
                for row in rows:
                    out.write(row)
                out.write(TAIL)
    return path


def padded_rows(count: int, cells: int = 10, text: bytes = b"yes") -> Iterable[bytes]:
    """Rows of identical inline-text cells: the kind of sheet that zips to almost nothing."""
    cell = b'<c t="inlineStr"><is><t>' + text + b"</t></is></c>"
    row = b"<row>" + cell * cells + b"</row>"
    return (row for _ in range(count))
