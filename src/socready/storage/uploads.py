"""Limits and names for files people upload, shared by every app that stores an upload."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from socready.storage.blobs import UploadRefused


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
