"""The kinds of export the auditor package offers and the names their files get (no database needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socready.io.exports.bundle import safe_name


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its name on the command line, what it holds and the file it makes."""

    kind: str
    title: str
    what: str
    suffix: str


KINDS: tuple[ExportKind, ...] = (
    ExportKind("report-html", "Readiness report (HTML)",
               "Scores with their explanations, charts, gaps, plan and ready date, in one self-contained page.",
               ".html"),
    ExportKind("report-pdf", "Readiness report (PDF)", "The same report laid out for print, with a contents page.",
               ".pdf"),
    ExportKind("matrix", "Control matrix (xlsx)",
               "Every control with its criteria, objectives, tests and status; one sheet per report and one for "
               "the controls both reports share.", ".xlsx"),
    ExportKind("pbc", "Evidence request list (PBC)",
               "Every evidence request as the PBC page lists it: controls, status, due date, assignee, the "
               "evidence provided and the latest comment.", ".xlsx"),
    ExportKind("description", "System description draft (docx)",
               "The DC 200 sections filled from scoping, with highlighted placeholders for what only you know.",
               ".docx"),
    ExportKind("oscal", "OSCAL (JSON)",
               "The control set as an OSCAL catalog and one assessment plan per engagement.", ".zip"),
    ExportKind("bundle", "Auditor bundle (zip)",
               "All of the above plus the evidence files by control, with a manifest of SHA-256 hashes.", ".zip"),
)
BY_KIND: dict[str, ExportKind] = {k.kind: k for k in KINDS}


def file_name(org_slug: str, kind: str, suffix: str, engagement_id: str | None, today: dt.date) -> str:
    """A safe file name saying whose export it is, of what, for which engagement and as of when."""
    scope = f"-engagement-{engagement_id}" if engagement_id else ""
    return safe_name(f"{org_slug}-{kind}{scope}-{today.isoformat()}{suffix}", fallback=f"export{suffix}")
