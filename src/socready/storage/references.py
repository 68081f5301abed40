"""Which rows still name a stored blob, so a file is removed only when nothing refers to it.

Content is shared by hash across the evidence, populations and questionnaires of every organization.
Each app that keeps blobs registers a check in its ``AppConfig.ready``; this module imports no app, so
storage stays below all of them.
"""

from __future__ import annotations

from collections.abc import Callable

from socready.storage.blobs import blob_store

BlobCheck = Callable[[str], bool]
_checks: dict[str, BlobCheck] = {}


def register_blob_references(name: str, in_use: BlobCheck) -> None:
    """Record that rows of ``name`` may refer to blobs; ``in_use(sha256)`` says whether one still does."""
    _checks[name] = in_use


def blob_in_use(sha256: str) -> bool:
    """Whether any registered kind of row still names this blob."""
    return any(check(sha256) for check in _checks.values())


def release_blob(sha256: str) -> bool:
    """Remove a stored file no row refers to any more (a refused import); return whether it was removed."""
    # With no check registered nothing is known about the blob's users, so it is kept.
    if not _checks or blob_in_use(sha256):
        return False
    blob_store().delete(sha256)
    return True
