"""One row per task worker process, with the time it last said it was alive."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A task worker's heartbeat. A worker that stops writing it is declared dead, and its tasks recovered.

    ``dead`` is set once, by the first worker that finds the heartbeat stale (or by the worker itself on a
    clean exit); a worker that finds itself declared dead stops at once, so a task taken over is never run
    by two workers.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, default="")
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    dead = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["dead", "beat_at"])]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"
