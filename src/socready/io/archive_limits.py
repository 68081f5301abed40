"""Refuse a zip-based document (docx) that would cost far more to open than its size suggests.

Checked on the zip directory before any XML is parsed: the number of parts, each part's uncompressed
size, the total, and how much each part is compressed (a part squeezed a thousand times is padding meant
to expand). Python's zipfile never inflates a part beyond the size its directory entry declares, so the
declared sizes can be trusted. Then one XML part can be streamed through expat, counting chosen elements
and stopping as soon as a count passes its limit; nothing is built in memory.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from xml.parsers import expat

from socready.core.errors import InputError

_CHUNK = 64 * 1024
# Office XML shrinks 5 to 20 times when zipped; far more than this is a decompression bomb.
DEFAULT_MAX_RATIO = 100
# Small regular parts (styles, numbering) may compress very well; the ratio matters only past this size.
RATIO_FROM_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """How many parts a zip document may hold and how large they may be once unzipped."""

    purpose: str  # how the refusal names the file's role: "a questionnaire"
    max_parts: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: int = DEFAULT_MAX_RATIO


def check_archive(archive: zipfile.ZipFile, file: str, limits: ArchiveLimits) -> None:
    """Refuse an archive past ``limits`` with an InputError naming the file, the part and the limit."""
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise InputError(f"the document holds {len(infos):,} parts; the limit for {limits.purpose} is "
                         f"{limits.max_parts:,}", file=file)
    check_unzipped_sizes(infos, file, limits, "document")


class SizeLimits(Protocol):
    """The size limits a zip directory is checked against: per part, in all, compression ratio, purpose."""

    @property
    def purpose(self) -> str:
        """What the limits are for, as the refusal names it."""
        ...
    @property
    def max_part_bytes(self) -> int:
        """The most one part may unzip to."""
        ...
    @property
    def max_total_bytes(self) -> int:
        """The most all parts together may unzip to."""
        ...
    @property
    def max_ratio(self) -> int:
        """The most a part may grow when unzipped, as a multiple of its zipped size."""
        ...


def check_unzipped_sizes(infos: Sequence[zipfile.ZipInfo], file: str, limits: SizeLimits, noun: str) -> None:
    """Refuse, from the zip directory alone, a part or a whole ``noun`` that would unzip past its limits."""
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > limits.max_part_bytes:
            raise InputError(f"the part {info.filename} unzips to {size:,} bytes; the limit for {limits.purpose} "
                             f"is {limits.max_part_bytes:,}", file=file)
        if size > RATIO_FROM_BYTES and size > packed * limits.max_ratio:
            raise InputError(f"the part {info.filename} unzips to {size // packed:,} times its zipped size; the "
                             f"limit is {limits.max_ratio} times (the file looks like a decompression bomb)",
                             file=file)
        total += size
        if total > limits.max_total_bytes:
            raise InputError(f"the {noun} unzips to more than {limits.max_total_bytes:,} bytes, the limit for "
                             f"{limits.purpose}", file=file)


@dataclass
class _Counter:
    limits: Mapping[str, tuple[int, str]]  # local element name -> (limit, what it is, in words)
    file: str
    part: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, attrs: object) -> None:
        local = name if ":" not in name else name.rpartition(":")[2]
        rule = self.limits.get(local)
        if rule is None:
            return
        count = self.counts.get(local, 0) + 1
        self.counts[local] = count
        if count > rule[0]:
            raise InputError(f"the document holds more than {rule[0]:,} {rule[1]} (counted up to {self.part}), "
                             "the limit", file=self.file)


def count_elements(archive: zipfile.ZipFile, parts: Sequence[str], file: str,
                   limits: Mapping[str, tuple[int, str]]) -> dict[str, int]:
    """Stream ``parts`` and count elements by local name over all of them.

    A count past its (limit, words) is refused at once. A missing or damaged part is left for the real
    parser to refuse with its own message.
    """
    counter = _Counter(limits, file)
    for part in parts:
        counter.part = part
        stream_elements(archive, part, counter.start)
    return counter.counts


def stream_elements(archive: zipfile.ZipFile, part: str | zipfile.ZipInfo,
                    start: Callable[[str, dict[str, str]], None]) -> None:
    """Stream one part of ``archive`` through expat, calling ``start`` with each element's name and attributes.

    Whatever ``start`` raises (a refusal, or a signal to stop early) reaches the caller. A missing or damaged
    part ends quietly: the real parser refuses it with its own message.
    """
    parser = expat.ParserCreate()  # no namespace processing: faster; callers strip prefixes themselves
    parser.StartElementHandler = start
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (KeyError, zipfile.BadZipFile, zlib.error, expat.ExpatError, EOFError, OSError):
        return
