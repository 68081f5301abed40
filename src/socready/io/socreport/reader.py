"""A vendor's SOC report PDF to its facts: the text read within limits, then core's reading rules.

The image-only pages of the auditor's report are read by OCR first (``ocr.py``).
"""

from __future__ import annotations

from pathlib import Path

from socready.core.errors import InputError
from socready.core.vendors.facts import ReportFacts
from socready.core.vendors.reading import auditor_report_pages, looks_like_soc_report, read_facts
from socready.io.socreport.ocr import DEFAULT_OCR_LIMITS, OcrLimits, ocr_pages
from socready.io.socreport.pdftext import DEFAULT_LIMITS, ReadLimits, read_pdf_text


def read_soc_report(path: Path, limits: ReadLimits = DEFAULT_LIMITS,
                    ocr: OcrLimits | None = DEFAULT_OCR_LIMITS) -> ReportFacts:
    """The facts of the SOC report at ``path``.

    Only the image-only pages of the auditor's report are read by OCR (``ocr=None`` reads none); the facts
    taken from them say so. Raises InputError naming the file when it cannot be read or does not read as a
    SOC report (then nothing about it should be stored).
    """
    text = read_pdf_text(path, limits)
    if not any(page.strip() for page in text.pages):
        raise InputError("no page has a text layer (a scanned document); socready reads reports with text",
                         file=path.name)
    if not looks_like_soc_report(text.pages):
        raise InputError("does not read as a SOC report: no SOC 1, SOC 2 or SOC 3 report, nor its standard "
                         "(SSAE 18, AT-C 320, ISAE 3402, or AT-C 205 / ISAE 3000 on the trust services criteria), is "
                         "named on its first pages", file=path.name)
    blank = set(text.image_only)
    wanted = [n for n in auditor_report_pages(text.pages, text.image_only) if n in blank]
    if ocr is None or not wanted:
        return read_facts(text.pages, text.metadata, text.image_only)
    outcome = ocr_pages(path, wanted, ocr)
    # A scanned page may carry a printed footer in its text layer: the OCR text replaces it, as it holds it too.
    pages = [outcome.texts.get(number, page) for number, page in enumerate(text.pages, start=1)]
    return read_facts(pages, text.metadata, text.image_only, ocr_pages=tuple(sorted(outcome.texts)),
                      notes=outcome.notes)
