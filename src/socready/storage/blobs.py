"""Content-addressed storage of evidence files: a directory under the data dir, or an S3-compatible bucket.

A file is stored under its SHA-256, so the same file uploaded twice is kept once and a stored file can
always be checked against the hash its rows recorded. Reads go through ``verified_file``, which refuses
content whose hash no longer matches instead of handing a corrupted file to an auditor.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings

CHUNK = 1024 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")


class UploadRefused(ValueError):
    """An upload broke a limit; the message says which, for the person who sent it."""


class CorruptBlob(RuntimeError):
    """A stored file is missing or its content no longer matches its SHA-256."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int


class BlobStore(Protocol):
    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob: ...

    def open(self, sha256: str) -> IO[bytes]: ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None: ...

    def names(self) -> Iterator[str]: ...

    def replace(self, sha256: str, source: Path) -> None: ...


def _check_hash(sha256: str) -> str:
    # Hashes come from our own rows, but they become paths: never let anything else through.
    if not HEX64.match(sha256):
        raise CorruptBlob(f"not a SHA-256: {sha256!r}")
    return sha256


TEMP_NAME = re.compile(r"^socready-(\d+)-")


def temp_prefix() -> str:
    """The start of a temporary file's name: it names this process, so a file whose process died (killed in
    the middle of an upload) can be told from one still being written (see storage.uploads)."""
    return f"socready-{os.getpid()}-"


def spool_folder() -> Path:
    """Where uploads are spooled before they are stored (cleaned of files of dead processes)."""
    folder = Path(settings.EVIDENCE_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spool(chunks: Iterable[bytes], max_bytes: int, directory: Path | None = None) -> tuple[Path, StoredBlob]:
    """Copy chunks into a temporary file while hashing them; refuse once ``max_bytes`` is passed."""
    digest, size = hashlib.sha256(), 0
    handle = tempfile.NamedTemporaryFile(delete=False, dir=directory or spool_folder(),  # noqa: SIM115 - closed below
                                         prefix=f"{temp_prefix()}upload-")
    try:
        with handle:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(f"the file is larger than the limit of {max_bytes // (1024 * 1024)} MB")
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        os.unlink(handle.name)
        raise
    return Path(handle.name), StoredBlob(digest.hexdigest(), size)


class LocalBlobStore:
    """Files under ``root/ab/cd/<sha256>``, written through a temporary file and renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        sha = _check_hash(sha256)
        return self.root / sha[:2] / sha[2:4] / sha

    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        temp, blob = spool(chunks, max_bytes, self.root / "tmp")  # same file system: the rename is atomic
        target = self.path(blob.sha256)
        if target.exists():
            temp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)  # atomic: a reader never sees half a file
        return blob

    def open(self, sha256: str) -> IO[bytes]:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise CorruptBlob(f"stored file {sha256} is missing") from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        """The SHA-256 of every stored file (``ab/cd/<sha256>``), the temporary folder left out."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    yield from (p.name for p in sorted(second.iterdir()) if p.is_file() and HEX64.match(p.name))

    def replace(self, sha256: str, source: Path) -> None:
        """Store the file at ``source`` under ``sha256`` (already checked by the caller), over any copy there."""
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f"{target.name}.{temp_prefix()}restore")
        shutil.copyfile(source, temp)
        os.replace(temp, target)


class S3Client(Protocol):
    """The calls of a boto3 S3 client that the store makes (boto3 ships no type information)."""

    def upload_file(self, filename: str, bucket: str, key: str) -> None: ...

    def download_fileobj(self, bucket: str, key: str, fileobj: IO[bytes]) -> None: ...

    def head_object(self, *, Bucket: str, Key: str) -> object: ...

    def delete_object(self, *, Bucket: str, Key: str) -> object: ...

    def list_objects_v2(self, **kwargs: str) -> dict[str, Any]: ...


class S3BlobStore:
    """Objects named by their SHA-256 in an S3-compatible bucket (needs the ``s3`` extra: boto3)."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 client: S3Client | None = None) -> None:
        if client is None:
            import boto3  # optional dependency, only needed when S3 storage is configured

            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def key(self, sha256: str) -> str:
        sha = _check_hash(sha256)
        return f"{self.prefix}/{sha}" if self.prefix else sha

    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob:
        temp, blob = spool(chunks, max_bytes)
        try:
            if not self.exists(blob.sha256):
                self.client.upload_file(str(temp), self.bucket, self.key(blob.sha256))
        finally:
            temp.unlink()
        return blob

    def open(self, sha256: str) -> IO[bytes]:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
        try:
            self.client.download_fileobj(self.bucket, self.key(sha256), handle)
        except Exception as exc:  # botocore raises its own ClientError family
            handle.close()
            raise CorruptBlob(f"stored file {sha256} cannot be read: {exc}") from None
        handle.seek(0)
        return handle

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception:
            return False
        return True

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def names(self) -> Iterator[str]:
        """The SHA-256 of every object under the prefix (other keys in the bucket are not socready's)."""
        prefix = f"{self.prefix}/" if self.prefix else ""
        request = {"Bucket": self.bucket, "Prefix": prefix}
        while True:
            page = self.client.list_objects_v2(**request)
            for item in page.get("Contents", []):
                name = str(item["Key"])[len(prefix):]
                if HEX64.match(name):
                    yield name
            if not page.get("IsTruncated"):
                return
            request["ContinuationToken"] = str(page["NextContinuationToken"])

    def replace(self, sha256: str, source: Path) -> None:
        """Store the file at ``source`` under ``sha256`` (already checked by the caller), over any copy there."""
        self.client.upload_file(str(source), self.bucket, self.key(sha256))


def blob_store() -> BlobStore:
    """The store the settings choose: S3 when ``SOCREADY_S3_BUCKET`` is set, else the data directory."""
    if settings.EVIDENCE_S3_BUCKET:
        return S3BlobStore(settings.EVIDENCE_S3_BUCKET, settings.EVIDENCE_S3_PREFIX, settings.EVIDENCE_S3_ENDPOINT)
    return LocalBlobStore(Path(settings.EVIDENCE_DIR))


def verified_file(store: BlobStore, sha256: str) -> IO[bytes]:
    """Open a stored file after checking its content still hashes to ``sha256``; raise CorruptBlob if not."""
    handle = store.open(sha256)
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        handle.close()
        raise CorruptBlob(f"stored file {sha256} does not match its hash")
    handle.seek(0)
    return handle


def copy_verified(store: BlobStore, sha256: str, target: Path) -> Path:
    """Copy a stored file to ``target``, hashing it on the way (one read); on a mismatch remove the copy and
    raise CorruptBlob, so no altered file is ever handed on."""
    digest = hashlib.sha256()
    with store.open(sha256) as source, target.open("wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        target.unlink()
        raise CorruptBlob(f"stored file {sha256} does not match its hash")
    return target
