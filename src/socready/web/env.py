"""Typed readers for ``SOCREADY_*`` environment variables; every setting the app reads goes through here."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "SOCREADY_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return ``SOCREADY_<name>`` as text, or the default when unset."""
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return ``SOCREADY_<name>`` as a boolean; anything but a clear yes/no is a configuration error."""
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return ``SOCREADY_<name>`` as an integer, refusing one below ``minimum`` when that is given."""
    raw = os.environ.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{PREFIX}{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``SOCREADY_<name>`` split on commas, blanks dropped."""
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


_PLACEHOLDER_KEYS = {"", "change-me", "changeme", "secret", "insecure", "dev", "placeholder"}


def _fernet_value(name: str, raw: str) -> str:
    try:
        decoded = base64.urlsafe_b64decode(raw.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        decoded = b""
    if len(decoded) != 32:
        raise ImproperlyConfigured(f"{PREFIX}{name} is not a Fernet key (url-safe base64 of 32 bytes, 44 characters)")
    return raw


def fernet_keys(name: str) -> tuple[str, ...]:
    """``SOCREADY_<name>`` as one or more comma-separated Fernet keys, newest first; () when unset or a
    placeholder. Each key is checked, and the position of a bad one is named."""
    raw = env_str(name).strip()
    if raw.lower() in _PLACEHOLDER_KEYS:
        return ()
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) == 1:
        return (_fernet_value(name, parts[0]),)
    keys = []
    for number, part in enumerate(parts, start=1):
        try:
            keys.append(_fernet_value(name, part))
        except ImproperlyConfigured:
            raise ImproperlyConfigured(f"{PREFIX}{name}: key {number} of {len(parts)} is not a Fernet key "
                                       "(url-safe base64 of 32 bytes, 44 characters)") from None
    if len(set(keys)) != len(keys):
        raise ImproperlyConfigured(f"{PREFIX}{name} lists the same key twice")
    return tuple(keys)


def data_dir() -> Path:
    """Return the data directory (SQLite file, stored evidence), created if missing."""
    raw = env_str("DATA_DIR")
    base = Path(raw) if raw else Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "socready"
    path = base.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_from_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name`` into a Django DATABASES entry (psycopg 3)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(
            f"{PREFIX}DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme!r}")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{PREFIX}DATABASE_URL names no database")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Reuse connections for a minute: the app serves many small requests per page.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def sqlite_database(path: Path) -> dict[str, object]:
    """Return the SQLite DATABASES entry tuned for a small multi-user web app."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep each thread's connection: opening one runs the PRAGMAs below and closing it checkpoints the WAL,
        # together about a millisecond of every request.
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # Take the write lock when a transaction starts, so two writers queue on the busy timeout
            # instead of one failing half-way with "database is locked" when it upgrades a read lock.
            "transaction_mode": "IMMEDIATE",
            # Seconds a connection waits for another writer before giving up (SQLite's busy timeout).
            "timeout": 20,
            "init_command": (
                # WAL lets readers run while one writer writes: pages stay fast during imports.
                "PRAGMA journal_mode=WAL;"
                # In WAL mode NORMAL is still crash-safe for the database; it skips an fsync per commit.
                "PRAGMA synchronous=NORMAL;"
                # Enforce the foreign keys Django declares (SQLite leaves them off by default).
                "PRAGMA foreign_keys=ON;"
                # Keep temporary tables and sort spills in memory; they are small for this app.
                "PRAGMA temp_store=MEMORY;"
            ),
        },
    }
