"""The program version: the newest audit event of an organization, and a cache keyed by it.

Every change to tenant data writes an audit event (see ``recorder``), and appends are serialized by the
chain head's row lock, so event ids become visible in the order they were given. The id of an
organization's newest event (and its hash) therefore changes whenever anything the organization owns changes: figures
computed from its rows (readiness, the snapshot behind the exports) can be kept under that version and
reused until the next change, however many pages show them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from socready.audit.models import AuditEvent

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
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computing and keeping it when absent."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()  # outside the lock: a slow computation must not hold up other organizations
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> T | None:
        """The value under ``key`` if it was computed already; never computes it."""
        with self._lock:
            return self._entries.get(key)

    def clear(self) -> None:
        """Forget every entry (tests that rewrite rows without audit events use it)."""
        with self._lock:
            self._entries.clear()
