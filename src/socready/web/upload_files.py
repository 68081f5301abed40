"""Django's temporary upload files, named by the process writing them.

A server killed in the middle of a large upload leaves the half-received file in FILE_UPLOAD_TEMP_DIR.
With the process id in the name, the next start (or any task worker) removes it as soon as that process
is gone, instead of waiting an hour (socready.storage.uploads.remove_stale_temp_files).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from socready.storage.blobs import temp_prefix


class NamedTemporaryUploadedFile(TemporaryUploadedFile):
    """TemporaryUploadedFile whose file name starts with the writing process's id."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None,
                 content_type_extra: dict[str, bytes] | None = None) -> None:
        _, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(prefix=temp_prefix(), suffix=".upload" + ext[:10],  # noqa: SIM115
                                           dir=settings.FILE_UPLOAD_TEMP_DIR)
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class NamedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams an upload to disk like Django's handler, into a file named by this process."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        """Open the temporary file the upload is written to."""
        super(TemporaryFileUploadHandler, self).new_file(*args, **kwargs)
        self.file = NamedTemporaryUploadedFile(self.file_name or "", self.content_type or "", 0, self.charset,
                                               self.content_type_extra)
