"""A vendor's SOC report PDF to its facts: the text read within limits, then core's reading rules."""

from __future__ import annotations

from pathlib import Path

from socready.core.errors import InputError
from socready.core.vendors.facts import ReportFacts
from socready.core.vendors.reading import looks_like_soc_report, read_facts
from socready.io.socreport.pdftext import DEFAULT_LIMITS, ReadLimits, read_pdf_text


def read_soc_report(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> ReportFacts:
    """The facts of the SOC report at ``path``.

    Raises InputError naming the file when it cannot be read or does not read as a SOC report (then
    nothing about it should be stored).
    """
    text = read_pdf_text(path, limits)
    if not any(page.strip() for page in text.pages):
        raise InputError("no page has a text layer (a scanned document); socready reads reports with text",
                         file=path.name)
    if not looks_like_soc_report(text.pages):
        raise InputError("does not read as a SOC report: no SOC 1, SOC 2, SOC 3 or ISAE 3402 report is named "
                         "on its first pages", file=path.name)
    return read_facts(text.pages, text.metadata, text.image_only)
