"""The kinds of export the auditor package offers and the names their files get (no database needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from socready.io.exports.bundle import safe_name


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its name on the command line, what it holds and the file it makes."""

    kind: str
    title: str
    what: str
    suffix: str
    # Other endings a file of this kind may be given; the ending chooses the format where there are two.
    other_suffixes: tuple[str, ...] = ()

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Every ending a file of this kind may have, the usual one first."""
        return (self.suffix, *self.other_suffixes)


KINDS: tuple[ExportKind, ...] = (
    ExportKind("report-html", "Readiness report (HTML)",
               "Scores with their explanations, charts, gaps, plan and ready date, in one self-contained page.",
               ".html", (".htm",)),
    ExportKind("report-pdf", "Readiness report (PDF)", "The same report laid out for print, with a contents page.",
               ".pdf"),
    ExportKind("matrix", "Control matrix (xlsx)",
               "Every control with its criteria, objectives, tests and status; one sheet per report and one for "
               "the controls both reports share.", ".xlsx"),
    ExportKind("pbc", "Evidence request list (PBC)",
               "Every evidence request as the PBC page lists it: controls, status, due date, assignee, the "
               "evidence provided and the latest comment.", ".xlsx",
               (".csv",)),
    ExportKind("description", "System description draft (docx)",
               "The DC 200 sections filled from scoping, with highlighted placeholders for what only you know.",
               ".docx"),
    ExportKind("oscal", "OSCAL (JSON)",
               "The control set as an OSCAL catalog and one assessment plan per engagement.", ".zip"),
    ExportKind("bundle", "Auditor bundle (zip)",
               "All of the above plus the evidence files by control, with a manifest of SHA-256 hashes.", ".zip"),
)
BY_KIND: dict[str, ExportKind] = {k.kind: k for k in KINDS}


def output_problem(kind: ExportKind, path: Path) -> str | None:
    """Why ``path`` is the wrong name for an export of ``kind`` (its ending says another format), or None.

    OSCAL is also written to a folder: a name without an ending, or a folder that exists.
    """
    suffix = path.suffix.lower()
    if suffix in kind.suffixes or (kind.kind == "oscal" and (not suffix or path.is_dir())):
        return None
    endings = " or ".join(kind.suffixes)
    if kind.kind == "oscal":
        return f"oscal is written to a folder or a {endings} file; give a folder name without an extension " \
               f"or a name ending in {endings}"
    return f"{kind.kind} is written as {endings}; give a name ending in {endings}"


def file_name(org_slug: str, kind: str, suffix: str, engagement_id: str | None, today: dt.date) -> str:
    """A safe file name saying whose export it is, of what, for which engagement and as of when."""
    scope = f"-engagement-{engagement_id}" if engagement_id else ""
    return safe_name(f"{org_slug}-{kind}{scope}-{today.isoformat()}{suffix}", fallback=f"export{suffix}")
