"""Caps on a workbook's shared parts (styles and shared strings), which openpyxl loads whole before any cell.

openpyxl reads every cell format of ``styles.xml`` and, even in read-only mode, every string of
``sharedStrings.xml`` into memory before the first row: a workbook of a few MB can hold a styles part of
hundreds of MB, or shared strings that take gigabytes as Python objects. These checks stream the two
parts through expat before openpyxl opens the file and refuse one past its byte or count limit, naming
the file, the part and the limit. They complement the size and cell checks of workbook_limits.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from socready.core.errors import InputError
from socready.io.archive_limits import stream_elements

_CHUNK = 64 * 1024
# Excel itself allows about 64,000 cell formats in a workbook; a styles part past these was not saved by it.
MAX_STYLES_BYTES = 32 * 1024 * 1024
MAX_STYLE_RECORDS = 200_000
_STYLE_RECORDS = frozenset({"xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"})
_MANIFEST = "[Content_Types].xml"
_MANIFEST_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SharedStringLimits:
    """How large the shared strings of one kind of workbook may be: bytes of XML and number of strings."""

    purpose: str
    max_bytes: int
    max_strings: int


# A questionnaire holds a few thousand distinct texts.
QUESTIONNAIRE_STRINGS = SharedStringLimits("a questionnaire", max_bytes=64 * 1024 * 1024, max_strings=500_000)
# A population of a million rows with a distinct id and description each: two million strings, some 100 MB.
# openpyxl keeps each string as a Python object, about 200 bytes for a short one (a million took 200 MB in
# tests/fuzz): three million stay well under the 1 GB a reader may take, where eight million took 1.6 GB.
POPULATION_STRINGS = SharedStringLimits("a population", max_bytes=256 * 1024 * 1024, max_strings=3_000_000)


class _Count:
    def __init__(self, names: frozenset[str], limit: int, refuse: str, file: str) -> None:
        self.names, self.limit, self.refuse, self.file = names, limit, refuse, file
        self.count = 0

    def start(self, name: str, attrs: object) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        if local in self.names:
            self.count += 1
            if self.count > self.limit:
                raise InputError(self.refuse, file=self.file)


def _declared_parts(archive: zipfile.ZipFile, suffix: str) -> set[str]:
    """Parts the manifest declares with a content type ending in ``suffix`` (openpyxl finds them that way)."""
    found: set[str] = set()

    def start(name: str, attrs: dict[str, str]) -> None:
        if attrs.get("ContentType", "").endswith(suffix) and attrs.get("PartName"):
            found.add(attrs["PartName"].lstrip("/"))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        info = archive.getinfo(_MANIFEST)
        if info.file_size <= _MANIFEST_MAX_BYTES:
            parser.Parse(archive.read(info), True)
    except (KeyError, expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        pass
    return found


def _parts(archive: zipfile.ZipFile, base_name: str, content_suffix: str) -> list[zipfile.ZipInfo]:
    wanted = {name.lower() for name in _declared_parts(archive, content_suffix)}
    return [info for info in archive.infolist()
            if PurePosixPath(info.filename).name.lower() == base_name or info.filename.lower() in wanted]


def check_shared_parts(path: Path, file: str, strings: SharedStringLimits) -> None:
    """Refuse a workbook whose styles or shared strings are past their limits, before openpyxl loads them.

    A file that is not a zip archive is left for openpyxl to refuse.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        for info in _parts(archive, "styles.xml", "spreadsheetml.styles+xml"):
            if info.file_size > MAX_STYLES_BYTES:
                raise InputError(f"the styles part {info.filename} unzips to {info.file_size:,} bytes; the limit is "
                                 f"{MAX_STYLES_BYTES:,}", file=file)
            stream_elements(archive, info, _Count(_STYLE_RECORDS, MAX_STYLE_RECORDS,
                                          f"the styles part {info.filename} declares more than "
                                          f"{MAX_STYLE_RECORDS:,} formats, the limit", file).start)
        for info in _parts(archive, "sharedstrings.xml", "spreadsheetml.sharedStrings+xml"):
            if info.file_size > strings.max_bytes:
                raise InputError(f"the shared strings part {info.filename} unzips to {info.file_size:,} bytes; the "
                                 f"limit for {strings.purpose} is {strings.max_bytes:,}", file=file)
            too_many = (f"the shared strings part {info.filename} holds more than {strings.max_strings:,} strings, "
                        f"the limit for {strings.purpose}")
            stream_elements(archive, info, _Count(frozenset({"si"}), strings.max_strings, too_many, file).start)
