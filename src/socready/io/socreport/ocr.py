"""Text for pages that are only images, read by OCR: the page drawn by ``pdftoppm``, read by ``tesseract``.

Both are run as child processes with a wall-clock limit and a memory cap each, and only on the few pages the
caller names (the image-only pages of the auditor's report), so a report of hundreds of pages costs nothing
more. Where either program is missing, or a page fails or runs out of time, the page stays unread and the
outcome says why: the reader then warns as it does without OCR, and never fails because of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_MB = 1024 * 1024


@dataclass(frozen=True)
class OcrLimits:
    """How much OCR one report may cost: pages, resolution, seconds and memory per page, seconds in all."""

    max_pages: int = 6
    dpi: int = 200  # enough for the body text of a scanned letter; 300 doubles the time for little gain
    seconds_per_page: float = 60.0
    total_seconds: float = 180.0
    memory_bytes: int = 1024 * _MB


DEFAULT_OCR_LIMITS = OcrLimits()
TOOLS = ("pdftoppm", "tesseract")


@dataclass(frozen=True)
class OcrOutcome:
    """The text OCR gave for each page it read (1-based numbers), and why any named page was not read."""

    texts: dict[int, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def missing_tools() -> tuple[str, ...]:
    """The OCR programs not found on PATH (empty when OCR can run)."""
    return tuple(tool for tool in TOOLS if shutil.which(tool) is None)


def _run(command: list[str], seconds: float, limits: OcrLimits) -> bytes:
    # One thread: tesseract's OpenMP threads fight over two shared cores and run several times slower.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    # The memory cap is set by the shell before exec (a preexec_fn is unsafe in a threaded web server): a hostile
    # page that makes either program balloon is stopped there.
    capped = ["sh", "-c", 'ulimit -v "$0" && exec "$@"', str(limits.memory_bytes // 1024), *command]
    done = subprocess.run(capped, capture_output=True, timeout=seconds, check=True, env=env)
    return done.stdout


def _ocr_page(pdf: Path, number: int, folder: Path, limits: OcrLimits, seconds: float) -> str:
    start = time.monotonic()
    root = folder / f"page-{number}"
    _run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(limits.dpi), "-gray", "-png",
          "-singlefile", str(pdf), str(root)], seconds, limits)
    left = seconds - (time.monotonic() - start)
    if left <= 0:
        raise subprocess.TimeoutExpired("pdftoppm", seconds)
    out = _run(["tesseract", f"{root}.png", "stdout", "-l", "eng", "--psm", "3"], left, limits)
    return out.decode("utf-8", "replace")


def ocr_pages(pdf: Path, numbers: Sequence[int], limits: OcrLimits = DEFAULT_OCR_LIMITS) -> OcrOutcome:
    """OCR the pages ``numbers`` (1-based) of ``pdf``, at most ``limits.max_pages`` of them, within the limits.

    Never raises for a missing program or a page that fails: those pages are left out of ``texts`` and a note
    says why.
    """
    if not numbers:
        return OcrOutcome()
    missing = missing_tools()
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        return OcrOutcome(notes=(f"OCR was not run: {' and '.join(missing)} {verb} not installed "
                                 "(install tesseract-ocr, tesseract-ocr-eng and poppler-utils to read image pages)",))
    chosen, skipped = list(numbers[:limits.max_pages]), list(numbers[limits.max_pages:])
    texts: dict[int, str] = {}
    failed: list[str] = []
    deadline = time.monotonic() + limits.total_seconds
    with tempfile.TemporaryDirectory(prefix="socready-ocr-") as folder:
        for number in chosen:
            seconds = min(limits.seconds_per_page, deadline - time.monotonic())
            if seconds <= 0:
                failed.append(f"page {number}: the {limits.total_seconds:g} s OCR budget was spent")
                continue
            try:
                text = _ocr_page(pdf, number, Path(folder), limits, seconds)
            except subprocess.TimeoutExpired:
                failed.append(f"page {number}: OCR took longer than {seconds:g} s")
                continue
            except (subprocess.CalledProcessError, OSError):
                failed.append(f"page {number}: OCR failed")
                continue
            if text.strip():
                texts[number] = text
            else:
                failed.append(f"page {number}: OCR found no text")
    notes = [f"OCR did not read {'; '.join(failed)}"] if failed else []
    if skipped:
        notes.append(f"OCR is limited to {limits.max_pages} pages: page(s) {', '.join(map(str, skipped))} "
                     "were not read")
    return OcrOutcome(texts=texts, notes=tuple(notes))
