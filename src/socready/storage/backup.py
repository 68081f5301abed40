"""Back up and restore the database and the stored evidence, with a manifest of hashes and row counts.

A backup is a folder:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs) or
  ``database.sql`` (``pg_dump``, plain SQL, no owners or privileges, so it restores into any database);
- ``blobs/ab/cd/<sha256>``: every stored file, hashed again while it is copied (a file that no longer
  matches its name is reported and left out, never copied as if it were good);
- ``manifest.json``: when, which engine, the database file's SHA-256, the rows of every table, and the
  size of every blob.

A restore checks every hash of the manifest before it writes anything, refuses a target that already
holds data unless forced, and counts the rows again afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from socready.storage.blobs import CHUNK, LocalBlobStore

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


def _blob_files(root: Path) -> Iterator[Path]:
    """Every stored file under a blob root (``ab/cd/<sha256>``), skipping the temporary folder."""
    if not root.is_dir():
        return
    for first in sorted(root.iterdir()):
        if len(first.name) != 2 or not first.is_dir():
            continue
        for second in sorted(first.iterdir()):
            if second.is_dir():
                yield from (p for p in sorted(second.iterdir()) if p.is_file() and len(p.name) == 64)


def verify_blobs(root: Path | None = None) -> BlobCheck:
    """Hash every stored file and list those whose content no longer matches their SHA-256 name."""
    store_root = root or Path(settings.EVIDENCE_DIR)
    result = BlobCheck()
    for path in _blob_files(store_root):
        result.checked += 1
        result.bytes += path.stat().st_size
        if file_sha256(path) != path.name:
            result.bad.append(path.name)
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
    if settings.EVIDENCE_S3_BUCKET:
        raise BackupError("evidence is stored in an S3 bucket, which this command does not copy; back the bucket "
                          "up with its own versioning or replication")
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
    blobs: dict[str, int] = {}
    bad: list[str] = []
    for path in _blob_files(Path(settings.EVIDENCE_DIR)):
        destination = target / "blobs" / path.name[:2] / path.name[2:4] / path.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        if file_sha256(destination) != path.name:
            destination.unlink()
            bad.append(path.name)
            continue
        blobs[path.name] = destination.stat().st_size
    manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "engine": engine, "database": {"file": database.name, "sha256": file_sha256(database)},
                "tables": counts, "blobs": blobs, "blobs_left_out": bad}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


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
    return has_rows or next(_blob_files(Path(settings.EVIDENCE_DIR)), None) is not None


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
    database = source / manifest["database"]["file"]
    connection.close()
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
    else:
        env, url = _pg_env_and_url()
        _run(["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--command",
              "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;", url], env, "empty the database")
        _run(["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--file",
              str(database), url], env, "load the dump")
    store = LocalBlobStore(Path(settings.EVIDENCE_DIR))
    if force:
        for path in list(_blob_files(store.root)):
            if path.name not in manifest["blobs"]:
                path.unlink()
    for sha256 in manifest["blobs"]:
        destination = store.path(sha256)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "blobs" / sha256[:2] / sha256[2:4] / sha256, destination)
    counts = table_counts()
    if counts != manifest["tables"]:
        differing = sorted(n for n in set(counts) | set(manifest["tables"])
                           if counts.get(n) != manifest["tables"].get(n))
        raise BackupError(f"restored row counts differ from the manifest in: {', '.join(differing)}")
    return manifest
