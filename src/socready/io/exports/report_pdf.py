"""The readiness report as a paginated PDF with a table of contents, rendered by WeasyPrint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from socready.core.readiness.result import Readiness
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.io.exports.report_html import render_report_html


def render_report_pdf(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    scope_reasons: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> bytes:
    """Render the readiness report to PDF bytes (the HTML report laid out for A4 print)."""
    # Imported here: WeasyPrint is an optional extra and slow to import; other exports must not need it.
    from weasyprint import HTML

    html = render_report_html(snapshot, readiness, scope_reasons, generated)
    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf


def write_report_pdf(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    path: Path,
    scope_reasons: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> Path:
    """Write the PDF readiness report."""
    path.write_bytes(render_report_pdf(snapshot, readiness, scope_reasons, generated))
    return path
