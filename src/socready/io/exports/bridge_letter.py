"""The bridge letter as Word (python-docx) and PDF (WeasyPrint), from core's BridgeLetter."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from docx import Document

from socready.core.vendors.bridge import BridgeLetter


def _sections(letter: BridgeLetter) -> list[tuple[str, tuple[str, ...], str]]:
    return [("Changes to controls recorded since the period end", letter.changes, "No control changes recorded."),
            ("Checks that failed since the period end", letter.failing_checks, "No failing checks recorded."),
            ("Incidents", letter.incidents, "No incidents recorded.")]


def _title(letter: BridgeLetter) -> str:
    return f"Bridge letter: {letter.organization} {letter.report}"


def _dates(letter: BridgeLetter) -> str:
    start = f"{letter.period_start} to " if letter.period_start else ""
    first = letter.period_end + dt.timedelta(days=1)
    return f"Last report period: {start}{letter.period_end}. This letter covers {first} to {letter.through}: " \
           f"{letter.gap_days} days."


def write_bridge_letter_docx(letter: BridgeLetter, path: Path) -> Path:
    """Write the letter as an editable Word document."""
    document = Document()
    document.core_properties.title = _title(letter)
    document.core_properties.author = letter.organization
    document.add_heading(_title(letter), level=0)
    document.add_paragraph(_dates(letter))
    if letter.auditor_firm:
        document.add_paragraph(f"Service auditor of the last report: {letter.auditor_firm}.")
    document.add_heading("Management's statement", level=1)
    document.add_paragraph(letter.statement)
    for heading, lines, empty in _sections(letter):
        document.add_heading(heading, level=1)
        for line in lines or (empty,):
            document.add_paragraph(line, style="List Bullet")
    document.add_paragraph("")
    document.add_paragraph("Signed: ____________________    Name and title: ____________________    Date: __________")
    document.save(str(path))
    return path


def render_bridge_letter_html(letter: BridgeLetter) -> str:
    """The letter as a printable HTML page (every value escaped)."""
    parts = [f"<h1>{escape(_title(letter))}</h1>", f"<p>{escape(_dates(letter))}</p>"]
    if letter.auditor_firm:
        parts.append(f"<p>Service auditor of the last report: {escape(letter.auditor_firm)}.</p>")
    parts += ["<h2>Management's statement</h2>", f"<p>{escape(letter.statement)}</p>"]
    for heading, lines, empty in _sections(letter):
        items = "".join(f"<li>{escape(line)}</li>" for line in lines or (empty,))
        parts.append(f"<h2>{escape(heading)}</h2><ul>{items}</ul>")
    parts.append("<p class='sign'>Signed: ____________________ &nbsp; Name and title: ____________________ "
                 "&nbsp; Date: __________</p>")
    style = ("@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4 } "
             "h1 { font-size: 18pt } h2 { font-size: 12.5pt; margin-top: 1.2em } .sign { margin-top: 3em }")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(_title(letter))}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def write_bridge_letter_pdf(letter: BridgeLetter, path: Path) -> Path:
    """Write the letter as PDF."""
    # Imported here: WeasyPrint is an optional extra and slow to import, as in the readiness report.
    from weasyprint import HTML

    HTML(string=render_bridge_letter_html(letter)).write_pdf(path)
    return path
