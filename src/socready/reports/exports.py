"""The auditor package's files, written from a scored program: one function per kind, evidence read and checked.

The CLI writes them where it is told; the downloads page writes them into a temporary folder and streams them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from socready.io.exports.bundle import write_bundle
from socready.io.exports.description import write_description
from socready.io.exports.matrix import write_matrix
from socready.io.exports.oscal import write_oscal
from socready.io.exports.pbc import write_pbc_csv, write_pbc_xlsx
from socready.io.exports.report_html import write_report_html
from socready.io.exports.report_pdf import write_report_pdf
from socready.reports.kinds import BY_KIND, ExportKind, file_name
from socready.reports.services import ProgramReadiness, ReportError
from socready.storage.blobs import CorruptBlob, blob_store, copy_verified


def export_kind(kind: str) -> ExportKind:
    """The export called ``kind``; an unknown name raises ReportError listing the valid ones."""
    if kind not in BY_KIND:
        raise ReportError(f"unknown export '{kind}'; choose one of: {', '.join(BY_KIND)}")
    return BY_KIND[kind]


def download_name(program: ProgramReadiness, kind: str, suffix: str) -> str:
    """The file name a download of this program's export gets."""
    return file_name(program.organization.slug, kind, suffix, program.engagement_id, program.snapshot.today)


def copy_evidence(program: ProgramReadiness, folder: Path) -> list[tuple[str, str, Path]]:
    """Copy each stored evidence file once into ``folder`` after checking its hash; (control, name, path).

    A file that is missing or no longer matches its hash stops the export: an auditor package must not
    carry content nobody can vouch for. The error names the control and the file.
    """
    store = blob_store()
    copied: dict[str, Path] = {}
    entries = []
    for control, name, sha256 in program.evidence_files:
        if sha256 not in copied:
            target = folder / sha256
            try:
                copy_verified(store, sha256, target)
            except CorruptBlob as exc:
                raise ReportError(f"evidence file '{name}' of control {control} cannot be packed: {exc}") from None
            copied[sha256] = target
        entries.append((control, name, copied[sha256]))
    return entries


def _zip_folder(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(folder.iterdir()):
            archive.write(item, item.name)
    return path


def _oscal(program: ProgramReadiness, path: Path, generated: dt.datetime | None) -> Path:
    # A path ending in .zip gets the documents zipped (what the downloads page sends); anything else is a folder.
    if path.suffix.lower() != ".zip":
        write_oscal(program.snapshot, path, generated)
        return path
    with tempfile.TemporaryDirectory(prefix="socready-oscal-") as temp:
        write_oscal(program.snapshot, Path(temp), generated)
        return _zip_folder(Path(temp), path)


def _bundle(program: ProgramReadiness, path: Path, generated: dt.datetime | None) -> Path:
    scope = program.scope
    with tempfile.TemporaryDirectory(prefix="socready-evidence-") as temp:
        evidence = copy_evidence(program, Path(temp))
        return write_bundle(program.snapshot, program.readiness, path, evidence, scope.reasons, scope.profile,
                            scope.recommendation, generated=generated)


Writer = Callable[[ProgramReadiness, Path, dt.datetime | None], Path]
_WRITERS: dict[str, Writer] = {
    "report-html": lambda p, path, g: write_report_html(p.snapshot, p.readiness, path, p.scope.reasons, g),
    "report-pdf": lambda p, path, g: write_report_pdf(p.snapshot, p.readiness, path, p.scope.reasons, g),
    "matrix": lambda p, path, g: write_matrix(p.snapshot, path),
    "pbc": lambda p, path, g: (write_pbc_csv if path.suffix.lower() == ".csv" else write_pbc_xlsx)(p.snapshot, path),
    "description": lambda p, path, g: write_description(p.snapshot, path, p.scope.profile, p.scope.recommendation),
    "oscal": _oscal,
    "bundle": _bundle,
}


def write_export(program: ProgramReadiness, kind: str, path: Path, generated: dt.datetime | None = None) -> Path:
    """Write one export of the program to ``path`` (for pbc, a .csv path gives CSV; for oscal, see ``_oscal``)."""
    export_kind(kind)
    return _WRITERS[kind](program, path, generated)
