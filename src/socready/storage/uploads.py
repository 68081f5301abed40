"""Limits and names for files people upload, shared by every app that stores an upload."""

from __future__ import annotations

import datetime as dt
import os
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from socready.storage.blobs import TEMP_NAME, UploadRefused


def clean_file_name(name: str, fallback: str = "file") -> str:
    """A name safe to store and to offer back in a download: no folders, no control characters, at most
    200 characters, the extension kept when a long name is shortened."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{(stem or fallback)[:190]}.{ext}"
    return (base or fallback)[:200]


def check_upload_limits(files: Sequence[UploadedFile[bytes]]) -> None:
    """Refuse an upload breaking the configured count or size limits, saying which file and which limit."""
    if len(files) > settings.MAX_UPLOAD_FILES:
        raise UploadRefused(f"{len(files)} files sent; at most {settings.MAX_UPLOAD_FILES} per upload")
    for upload in files:
        if upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
            raise UploadRefused(f"{clean_file_name(upload.name or '')}: larger than the limit of "
                                f"{settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB")


def remove_stale_temp_files(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Delete upload temporary files left behind by a killed process; return how many were removed.

    A file named by a process (``blobs.temp_prefix``) goes as soon as that process is gone; any other file in
    the blob store's and Django's temporary folders once it is older than ``older_than``. ``socready serve``
    runs this as it starts, and every task worker every few seconds.
    """
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for folder in temp_folders():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if path.is_file() and _abandoned(path, cutoff):
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # another worker removed it first, or its process finished with it
    return removed


def _abandoned(path: Path, cutoff: float) -> bool:
    named = TEMP_NAME.match(path.name)
    if named and not process_alive(int(named.group(1))):
        return True
    return path.stat().st_mtime < cutoff


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (temporary folders are local to it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    # A killed process whose parent died too waits for the system's init to collect it, and signal 0 still
    # reaches it meanwhile; Linux shows its state as Z (or X) in /proc. Elsewhere there is no /proc: alive.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(errors="replace")
    except OSError:
        return False
    state = stat.rpartition(")")[2].split()[:1]  # the name in parentheses may itself hold spaces or ")"
    return state in (["Z"], ["X"])


def temp_folders() -> list[Path]:
    """The folders where uploads are spooled before they are stored."""
    folders = [Path(settings.EVIDENCE_DIR) / "tmp"]
    if settings.FILE_UPLOAD_TEMP_DIR:
        folders.append(Path(settings.FILE_UPLOAD_TEMP_DIR))
    return folders
