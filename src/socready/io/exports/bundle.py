"""One zip for the auditor: every export plus evidence files by control, with a SHA-256 manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

from socready.core.readiness.result import Readiness
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.core.scoping.profile import Profile
from socready.core.scoping.recommendation import Recommendation
from socready.io.exports.description import write_description
from socready.io.exports.matrix import write_matrix
from socready.io.exports.oscal import write_oscal
from socready.io.exports.pbc import write_pbc_csv, write_pbc_xlsx
from socready.io.exports.report_html import write_report_html
from socready.io.exports.report_pdf import write_report_pdf

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that cannot leave its folder: no separators, no '..', no control characters."""
    text = unicodedata.normalize("NFKC", name).replace("\\", "/").split("/")[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("_", text).strip(" .")
    return text[:120] or fallback


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bundle(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    path: Path,
    evidence: Sequence[tuple[str, str, Path]] = (),
    scope_reasons: Sequence[str] = (),
    profile: Profile | None = None,
    recommendation: Recommendation | None = None,
    include_pdf: bool = True,
    generated: dt.datetime | None = None,
) -> Path:
    """Write the zip: reports, matrix, PBC, description, OSCAL, evidence/<control>/<file>, manifest.json.

    ``evidence`` lists (control id, file name, path on disk); names are sanitized and de-duplicated.
    """
    with tempfile.TemporaryDirectory(prefix="socready-bundle-") as temp:
        work = Path(temp)
        files: list[tuple[str, Path]] = [
            (
                "readiness-report.html",
                write_report_html(snapshot, readiness, work / "r.html", scope_reasons, generated),
            ),
            ("control-matrix.xlsx", write_matrix(snapshot, work / "m.xlsx")),
            ("pbc-list.xlsx", write_pbc_xlsx(snapshot, work / "p.xlsx")),
            ("pbc-list.csv", write_pbc_csv(snapshot, work / "p.csv")),
            (
                "system-description.docx",
                write_description(snapshot, work / "d.docx", profile, recommendation),
            ),
        ]
        if include_pdf:
            files.append(
                (
                    "readiness-report.pdf",
                    write_report_pdf(snapshot, readiness, work / "r.pdf", scope_reasons, generated),
                )
            )
        files += [(f"oscal/{p.name}", p) for p in write_oscal(snapshot, work / "oscal", generated)]
        taken = {name for name, _ in files}
        for control, name, source in evidence:
            folder = safe_name(control, "control")
            base = safe_name(name)
            target, number = f"evidence/{folder}/{base}", 1
            while target in taken:
                number += 1
                target = f"evidence/{folder}/{number}-{base}"
            taken.add(target)
            files.append((target, source))
        manifest = {
            "organization": snapshot.organization,
            "as_of": snapshot.today.isoformat(),
            "files": [
                {"path": name, "sha256": _sha256(source), "bytes": source.stat().st_size}
                for name, source in files
            ],
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, source in files:
                # A fixed timestamp keeps two bundles of the same content byte-for-byte comparable.
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, source.read_bytes())
            info = zipfile.ZipInfo("manifest.json", date_time=_FIXED_TIME)
            archive.writestr(info, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return path
