"""The program version: the newest audit event of an organization, and a cache keyed by it.

Every change to tenant data writes an audit event (see ``recorder``), and appends are serialized by the
chain head's row lock, so event ids become visible in the order they were given. The id of an
organization's newest event (and its hash) therefore changes whenever anything the organization owns changes: figures
computed from its rows (readiness, the snapshot behind the exports) can be kept under that version and
reused until the next change, however many pages show them.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import caches

from socready.audit.models import AuditEvent

log = logging.getLogger(__name__)

T = TypeVar("T")


def program_version(organization_id: int) -> str:
    """The hash of the organization's newest audit event ("" before any): one index lookup.

    The hash rather than the id: an id can come back after a rolled-back transaction (SQLite reuses the
    highest one), a hash chained to its predecessor and time never does.
    """
    newest = (AuditEvent.objects.filter(organization_id=organization_id).order_by("-id")
              .values_list("hash", flat=True).first())
    return newest or ""


class VersionedCache(Generic[T]):
    """A small per-process cache of values computed from an organization's rows, keyed by its version.

    A key holds the organization and its program version (plus whatever else the value depends on, such as
    the day), so a change anywhere in the organization makes the old entries unreachable; they age out of
    the bounded, least-recently-used store. Values are shared between requests: callers must not mutate them.

    With a ``shared`` name, a value this process lacks is looked for in the "shared" cache (a folder every
    process of the install reads) before it is computed, and a computed one is left there: one scoring per
    change serves every web worker, not one per worker. The key's ``repr`` names it there, so keys hold
    plain values (ids, strings, dates).
    """

    def __init__(self, size: int = 16, shared: str = "") -> None:
        self._size = size
        self._shared = shared
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computing and keeping it when absent."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = self._load(key)
        if value is None:
            value = compute()  # outside the lock: a slow computation must not hold up other organizations
            self._store(key, value)
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def _shared_store(self) -> Any:
        return caches["shared"] if self._shared and "shared" in settings.CACHES else None

    def _shared_key(self, key: Hashable) -> str:
        # A digest: cache keys must be short and free of spaces, a repr of dates and tuples is neither.
        return f"{self._shared}:{hashlib.sha256(repr(key).encode()).hexdigest()}"

    def _load(self, key: Hashable) -> T | None:
        store = self._shared_store()
        if store is None:
            return None
        try:
            value: T | None = store.get(self._shared_key(key))
        except Exception:  # an unreadable entry (a different release's classes) is computed again
            log.warning("shared cache entry %s:%r could not be read", self._shared, key, exc_info=True)
            return None
        return value

    def _store(self, key: Hashable, value: T) -> None:
        store = self._shared_store()
        if store is None:
            return
        try:
            store.set(self._shared_key(key), value)
        except Exception:  # a full disk must not fail the page that computed the value
            log.warning("shared cache entry %s:%r could not be written", self._shared, key, exc_info=True)

    def peek(self, key: Hashable) -> T | None:
        """The value under ``key`` if this or another process computed it already; never computes it."""
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        value = self._load(key)
        if value is not None:
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry (tests that rewrite rows without audit events use it)."""
        with self._lock:
            self._entries.clear()
