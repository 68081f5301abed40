"""The text of each page of a PDF, read with pdfplumber within limits, on several processes when it is long.

A vendor's report comes from outside, so reading it is bounded: the file size, how far its compressed
streams inflate (checked on the raw bytes before any parser inflates one whole), the page count, the size
of each page's content streams and of all of them, and the time spent are all capped, and a file breaking a
cap is refused with a message saying which. An encrypted file that will not open without a password, a
truncated file and a file that is not a PDF are refused the same way, before any fact is taken from them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from socready.core.errors import InputError
from socready.io.questionnaire.pdf_limits import MAX_STREAM_BYTES, StreamLimits, check_pdf_streams, page_content_bytes


@dataclass(frozen=True)
class ReadLimits:
    """How much of a PDF the reader accepts."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 600
    max_page_stream_bytes: int = 20 * 1024 * 1024  # decoded content of one page
    # pdfminer keeps every page's decoded content until the file is closed: the sum is what the check costs.
    max_content_bytes: int = 256 * 1024 * 1024
    # Any one stream (content or image) and all of them, inflated; a 1 MB file once held a 1 GB stream.
    streams: StreamLimits = StreamLimits("a vendor report", MAX_STREAM_BYTES, 1024 * 1024 * 1024)
    max_seconds: float = 120.0
    workers: int = 2
    pages_per_worker_min: int = 24  # below this, starting processes costs more than it saves


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class PdfText:
    """The text of every page (index 0 is page 1), the pages with no text layer, and the document properties."""

    pages: tuple[str, ...]
    image_only: tuple[int, ...]
    metadata: dict[str, str]


def _refuse(path: Path, reason: str) -> InputError:
    return InputError(reason, file=path.name)


def _open(path: Path) -> Any:
    try:
        return pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _refuse(path, "the PDF is encrypted and will not open without a password") from None
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise _refuse(path, "the PDF is encrypted and will not open without a password") from None
        raise _refuse(path, "not a readable PDF (damaged, truncated or another kind of file)") from None
    except (PDFSyntaxError, PSException):
        raise _refuse(path, "not a readable PDF (damaged, truncated or another kind of file)") from None


PageText = tuple[str, bool]
IMAGE_PAGE_MAX_CHARS = 60  # a scanned page may still carry a printed footer: so little text means an image page


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
        finally:
            textpage.close()
        if len("".join(text.split())) >= IMAGE_PAGE_MAX_CHARS:
            return text, False
        images = next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)), None)
    finally:
        page.close()
    return text, images is not None


def _page_texts(path: str, first: int, last: int, limits: ReadLimits, deadline: float) -> list[PageText]:
    """Text of pages first..last (0-based, inclusive) and whether each page is mostly an image.

    The text comes from pdfium, which pdfplumber is built on too: pdfminer's layout pass costs a third of a
    second or more a page, too slow for a report of hundreds of pages (docs/decisions/0002-vendor-report-text.md).
    """
    out = []
    document = pdfium.PdfDocument(path)
    try:
        for index in range(first, last + 1):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading stopped at page {index + 1}: it took longer than "
                                   f"{limits.max_seconds:g} seconds")
            out.append(_page_text(document, index))
    finally:
        document.close()
    return out


def _check_streams(pdf: Any, limits: ReadLimits) -> None:
    """Refuse a page whose decoded content streams pass the limit, or pages whose content together does.

    pdfplumber reads the streams without laying the pages out.
    """
    total = 0
    for number, page in enumerate(pdf.pages, start=1):
        size = page_content_bytes(page.page_obj)
        if size > limits.max_page_stream_bytes:
            raise ValueError(f"page {number} holds {size:,} bytes of content, more than the limit of "
                             f"{limits.max_page_stream_bytes:,}")
        total += size
        if total > limits.max_content_bytes:
            raise ValueError(f"the pages up to page {number} hold {total:,} bytes of content, more than the limit of "
                             f"{limits.max_content_bytes:,} for the whole report")


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    size = -(-count // workers)
    return [(start, min(start + size, count) - 1) for start in range(0, count, size)]


def _check_file(path: Path, limits: ReadLimits) -> None:
    """Refuse, before parsing, a file that is missing, empty, too large or not a PDF."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, f"cannot be read: {exc.strerror}") from None
    if size == 0:
        raise _refuse(path, "the file is empty")
    if size > limits.max_bytes:
        raise _refuse(path, f"the file is larger than the limit of {limits.max_bytes // (1024 * 1024)} MB")
    with path.open("rb") as handle:
        if handle.read(1024).find(b"%PDF-") < 0:
            raise _refuse(path, "not a PDF (no PDF header)")


def _page_count_and_metadata(path: Path, limits: ReadLimits) -> tuple[int, dict[str, str]]:
    """The number of pages and the document properties, after checking every page's streams."""
    with _open(path) as pdf:
        try:
            count = len(pdf.pages)
        except (PdfminerException, PDFSyntaxError, PSException, KeyError, TypeError, ValueError):
            raise _refuse(path, "not a readable PDF (damaged or truncated page tree)") from None
        metadata = {str(k): _plain(v) for k, v in (pdf.metadata or {}).items()}
        if count <= limits.max_pages:
            try:
                _check_streams(pdf, limits)
            except ValueError as exc:
                raise _refuse(path, str(exc)) from None
            except (PdfminerException, PDFSyntaxError, PSException, KeyError, TypeError, AttributeError):
                raise _refuse(path, "not a readable PDF (damaged or truncated content)") from None
    if count == 0:
        raise _refuse(path, "the PDF has no pages")
    if count > limits.max_pages:
        raise _refuse(path, f"the PDF has {count} pages, more than the limit of {limits.max_pages}")
    return count, metadata


def read_pdf_text(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> PdfText:
    """Read every page's text and the document properties of ``path``.

    Raises InputError naming the file for a file that is not a readable PDF, is locked, or breaks a limit.
    """
    _check_file(path, limits)
    check_pdf_streams(path, path.name, limits.streams)
    deadline = time.monotonic() + limits.max_seconds
    count, metadata = _page_count_and_metadata(path, limits)
    workers = max(1, min(limits.workers, os.cpu_count() or 1, count // limits.pages_per_worker_min))
    try:
        if workers == 1:
            results = _page_texts(str(path), 0, count - 1, limits, deadline)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(_page_texts, str(path), a, b, limits, deadline)
                           for a, b in _chunks(count, workers)]
                results = [entry for future in futures for entry in future.result()]
    except (TimeoutError, ValueError) as exc:
        raise _refuse(path, str(exc)) from None
    except (PdfminerException, pdfium.PdfiumError, PDFSyntaxError, PSException, KeyError, TypeError, AttributeError,
            AssertionError):
        raise _refuse(path, "not a readable PDF (damaged or truncated content)") from None
    texts = tuple(text for text, _ in results)
    image_only = tuple(number for number, (_, blank) in enumerate(results, start=1) if blank)
    return PdfText(pages=texts, image_only=image_only, metadata=metadata)


def _plain(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    if isinstance(value, Sequence) and not isinstance(value, str):
        return " ".join(_plain(v) for v in value)
    return str(value)
