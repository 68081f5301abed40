"""Back up and restore the database and the stored evidence, with a manifest of hashes and row counts.

A backup is a folder:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs) or
  ``database.sql`` (``pg_dump``, plain SQL, no owners or privileges, so it restores into any database);
- ``blobs/ab/cd/<sha256>``: every stored file, from the data directory or the S3 bucket, hashed again
  while it is copied (a file that no longer matches its name is reported and left out, never copied as if
  it were good);
- ``manifest.json``: when, which engine, the database file's SHA-256, the rows of every table, and the
  size of every blob.

A restore checks every hash of the manifest before it writes anything, refuses a target that already
holds data unless forced, puts the files into whichever store is configured (a backup of a bucket can
be restored into a data directory and the other way round), and counts the rows again afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from socready.storage.blobs import CHUNK, BlobStore, CorruptBlob, S3BlobStore, blob_store, copy_verified

MANIFEST = "manifest.json"
FORMAT = 1
# Tables `migrate` fills by itself: rows there do not make a data directory "in use".
_SCHEMA_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BlobCheck:
    """The result of hashing every stored file."""

    checked: int = 0
    bytes: int = 0
    bad: list[str] = field(default_factory=list)  # sha256 names whose content no longer matches

    @property
    def ok(self) -> bool:
        """Whether every stored file matched its name."""
        return not self.bad


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_blobs(store: BlobStore | None = None) -> BlobCheck:
    """Hash every stored file (data directory or bucket) and list those whose content no longer matches."""
    store = store or blob_store()
    result = BlobCheck()
    for name in store.names():
        result.checked += 1
        digest = hashlib.sha256()
        try:
            with store.open(name) as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    result.bytes += len(chunk)
                    digest.update(chunk)
        except CorruptBlob:
            result.bad.append(name)  # listed, then gone or unreadable
            continue
        if digest.hexdigest() != name:
            result.bad.append(name)
    return result


def table_counts() -> dict[str, int]:
    """Rows of every table of the configured database, by table name."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - a table name
            row = cursor.fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def _pg_env_and_url() -> tuple[dict[str, str], str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    url_parts = ["postgresql://", str(db.get("USER") or ""), "@", str(db.get("HOST") or "localhost")]
    if db.get("PORT"):
        url_parts += [":", str(db["PORT"])]
    url_parts += ["/", str(db["NAME"])]
    return env, "".join(url_parts)


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _run(command: list[str], env: dict[str, str], what: str, **kwargs: Any) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, **kwargs)  # noqa: S603 - fixed tools
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed; it is needed to {what}") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(f"{command[0]} failed to {what}: {detail[-1] if detail else exc}") from None


def create_backup(target: Path) -> dict[str, Any]:
    """Write a backup of the database and every stored file into the empty or new folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target}: the folder is not empty; give a new or empty folder")
    target.mkdir(parents=True, exist_ok=True)
    counts = table_counts()
    if _is_sqlite():
        database = target / "database.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(database))
        try:
            with copy:
                source.backup(copy)  # pages copied under SQLite's locking: a consistent snapshot
        finally:
            copy.close()
            source.close()
        engine = "sqlite"
    else:
        database = target / "database.sql"
        env, url = _pg_env_and_url()
        _run(["pg_dump", "--no-owner", "--no-privileges", "--file", str(database), url], env, "dump the database")
        engine = "postgresql"
    store = blob_store()
    blobs, bad = _copy_blobs(store, target / "blobs")
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "engine": engine, "database": {"file": database.name, "sha256": file_sha256(database)},
                "storage": _describe(store), "tables": counts, "blobs": blobs, "blobs_left_out": bad}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def _describe(store: BlobStore) -> str:
    if isinstance(store, S3BlobStore):
        return f"s3://{store.bucket}/{store.prefix}".rstrip("/")
    return "data directory"


def _copy_blobs(store: BlobStore, folder: Path) -> tuple[dict[str, int], list[str]]:
    """Copy every stored file into ``folder/ab/cd/<sha256>``, hashing it on the way; return the sizes of
    those copied and the names of those left out because their content no longer matches."""
    blobs: dict[str, int] = {}
    bad: list[str] = []
    for name in store.names():
        destination = folder / name[:2] / name[2:4] / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            copy_verified(store, name, destination)
        except CorruptBlob:
            destination.unlink(missing_ok=True)
            bad.append(name)
            continue
        blobs[name] = destination.stat().st_size
    return blobs, bad


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup folder, after checking the database file and every blob against it."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source}: no {MANIFEST}; this is not a socready backup") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{source / MANIFEST}: not readable JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST}: backup format {manifest.get('format')!r} is not {FORMAT}")
    database = source / manifest["database"]["file"]
    if not database.is_file() or file_sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database}: missing or does not match the SHA-256 in the manifest")
    for sha256 in manifest["blobs"]:
        path = source / "blobs" / sha256[:2] / sha256[2:4] / sha256
        if not path.is_file() or file_sha256(path) != sha256:
            raise BackupError(f"{path}: missing or does not match its SHA-256")
    return manifest


def target_holds_data() -> bool:
    """Whether the configured database has any table with rows, or the evidence folder any stored file."""
    try:
        has_rows = any(count for name, count in table_counts().items() if name not in _SCHEMA_TABLES)
    except Exception:  # noqa: BLE001 - an unreadable database is not an empty one
        return True
    return has_rows or next(blob_store().names(), None) is not None


def _load_database(engine: str, database: Path) -> None:
    """Replace the configured database with the backup's copy (SQLite) or dump (PostgreSQL)."""
    if engine == "sqlite":
        name = Path(str(settings.DATABASES["default"]["NAME"]))
        name.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        restored = sqlite3.connect(str(database))
        target = sqlite3.connect(str(name))
        try:
            with target:
                restored.backup(target)
        finally:
            target.close()
            restored.close()
        return
    env, url = _pg_env_and_url()
    _run(["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--command",
          "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", url], env, "empty the database")
    _run(["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--file",
          str(database), url], env, "load the dump")


def _restore_blobs(source: Path, manifest: dict[str, Any], *, force: bool) -> None:
    """Put every file of the backup into the configured store (data directory or bucket); when forced, first
    remove the stored files the backup does not hold."""
    store = blob_store()
    if force:
        for stored in list(store.names()):
            if stored not in manifest["blobs"]:
                store.delete(stored)
    for sha256 in manifest["blobs"]:
        store.replace(sha256, source / "blobs" / sha256[:2] / sha256[2:4] / sha256)


def restore_backup(source: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore a backup into the configured database and evidence folder; return the manifest.

    Refuses when the target already holds data unless ``force``; then its tables and stored files are
    replaced. Raises BackupError when the restored row counts differ from the manifest's.
    """
    manifest = read_manifest(source)
    engine = "sqlite" if _is_sqlite() else "postgresql"
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; the configured one is {engine}")
    if target_holds_data() and not force:
        raise BackupError("the target database or evidence folder already holds data; restore into an empty data "
                          "directory, or pass --force to replace what is there")
    connection.close()
    _load_database(engine, source / manifest["database"]["file"])
    _restore_blobs(source, manifest, force=force)
    counts = table_counts()
    if counts != manifest["tables"]:
        differing = sorted(n for n in set(counts) | set(manifest["tables"])
                           if counts.get(n) != manifest["tables"].get(n))
        raise BackupError(f"restored row counts differ from the manifest in: {', '.join(differing)}")
    return manifest
