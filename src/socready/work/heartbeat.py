"""A task worker's heartbeat: a thread that writes "still alive" every few seconds.

When the heartbeat finds its worker already declared dead (it was frozen, or cut off from the database,
for longer than the stale limit, and another worker took its tasks over) it ends the process at once:
the tasks it held now belong to someone else and must not be finished twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from socready.work.models import WorkerBeat

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
# The exit status of a worker that found itself declared dead (EX_TEMPFAIL: a supervisor may start it again).
DECLARED_DEAD_EXIT = 75


def new_worker_id() -> str:
    """A worker id unique across hosts and restarts (at most 64 characters, as django-tasks requires)."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(12)}"


class Heartbeat:
    """Registers the worker and keeps its heartbeat fresh from a daemon thread until ``stop``."""

    def __init__(self, worker_id: str, every: float = BEAT_SECONDS) -> None:
        self.worker_id = worker_id
        self.every = every
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Record the worker as alive and start beating."""
        now = timezone.now()
        WorkerBeat.objects.update_or_create(worker_id=self.worker_id, defaults={
            "host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now, "beat_at": now, "dead": False})
        self._thread = threading.Thread(target=self._loop, name="socready-heartbeat", daemon=True)
        self._thread.start()

    def beat(self) -> bool:
        """Write one heartbeat; False when this worker has been declared dead."""
        return bool(WorkerBeat.objects.filter(worker_id=self.worker_id, dead=False).update(beat_at=timezone.now()))

    def _loop(self) -> None:
        while not self._stopping.wait(self.every):
            try:
                alive = self.beat()
            except Exception:
                log.exception("writing the heartbeat failed; trying again")
                close_old_connections()
                continue
            finally:
                connection.close()  # the thread's own connection; not held open between beats
            if not alive and not self._stopping.is_set():  # stop() marks the row dead itself
                log.error("worker %s was declared dead by another worker (no heartbeat for too long); its tasks "
                          "were taken over, so it stops now", self.worker_id)
                os._exit(DECLARED_DEAD_EXIT)

    def stop(self) -> None:
        """Stop beating and record a clean exit, so the worker's tasks need not wait for the stale limit."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(self.every + 5)  # a beat in flight must not read the row this marks dead
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).update(dead=True)
        finally:
            if not connection.in_atomic_block:  # a caller's own transaction stays usable
                connection.close()
