"""Refuse a PDF whose compressed streams expand far beyond any real document, before a parser inflates them.

pdfminer inflates a content stream whole, in memory, when a page is read: a one-megabyte file can hold a
stream of gigabytes. Every ``stream ... endstream`` body of the file is inflated here incrementally,
never holding more than a chunk, and counted; a stream that is itself a zlib stream again (filters
applied twice) is followed one level down as well. Bodies that are not zlib data (images, other filters)
are skipped: the reader's child process, with its memory cap, is the backstop for those. Questionnaires
and vendors' SOC reports are both checked, each with its own limits.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socready.core.errors import InputError

# A page's content stream is kilobytes to a few MB; a full-page scanned image a few tens of MB.
MAX_STREAM_BYTES = 128 * 1024 * 1024
MAX_TOTAL_STREAM_BYTES = 512 * 1024 * 1024
_NESTED_LEVELS = 3


@dataclass(frozen=True)
class StreamLimits:
    """How far one stream and all streams of a PDF may inflate, and what the PDF is, for the refusal."""

    purpose: str  # "a questionnaire"
    max_stream_bytes: int
    max_total_bytes: int


QUESTIONNAIRE_STREAMS = StreamLimits("a questionnaire", MAX_STREAM_BYTES, MAX_TOTAL_STREAM_BYTES)
_CHUNK = 1024 * 1024
_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")


def _looks_like_zlib(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def inflated_size(body: bytes, limit: int) -> int:
    """How many bytes ``body`` inflates to (following zlib inside zlib), counting at most past ``limit``.

    Zero when the body is not zlib data.
    """
    if not _looks_like_zlib(body):
        return 0
    largest = 0
    level_input = body
    for _ in range(_NESTED_LEVELS):
        inflater = zlib.decompressobj()
        produced = 0
        head = b""
        pending = level_input
        kept: list[bytes] = []
        keep = True
        try:
            while pending and produced <= limit:
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(out)
                if len(head) < 2:
                    head += out[:2]
                if keep:
                    kept.append(out)
                    # Only a small inner stream is followed down; a large one is counted here already.
                    keep = produced <= 8 * _CHUNK
                if inflater.eof or not out:
                    break  # the stream ended, or zlib needs input that is not there (a truncated stream)
        except zlib.error:
            pass
        largest = max(largest, produced)
        if produced > limit or not keep or not _looks_like_zlib(head):
            break
        level_input = b"".join(kept)
    return largest


def check_pdf_streams(path: Path, file: str, limits: StreamLimits = QUESTIONNAIRE_STREAMS) -> None:
    """Refuse a PDF with a stream inflating past ``limits.max_stream_bytes``, or all past the total limit."""
    data = path.read_bytes()
    total = 0
    for match in _STREAM_RE.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        body = data[start:end if end >= 0 else len(data)]
        size = inflated_size(body, limits.max_stream_bytes)
        if size > limits.max_stream_bytes:
            raise InputError(f"a stream at byte {start:,} inflates to more than {limits.max_stream_bytes:,} bytes, "
                             f"the limit for {limits.purpose} (the file looks like a decompression bomb)", file=file)
        total += size
        if total > limits.max_total_bytes:
            raise InputError(f"the streams of the PDF inflate to more than {limits.max_total_bytes:,} bytes, the "
                             f"limit for {limits.purpose}", file=file)


def page_content_bytes(page_obj: Any) -> int:
    """The decoded size of a pdfminer page's content streams (each already bounded by check_pdf_streams).

    One stream may be drawn by every page: checked once on the raw bytes, it costs its full size on each
    page that is laid out, so the readers add these up page by page.
    """
    total = 0
    for stream in getattr(page_obj, "contents", None) or []:
        resolved = stream.resolve() if hasattr(stream, "resolve") else stream
        get_data = getattr(resolved, "get_data", None)
        if get_data is not None:
            total += len(get_data())
    return total
