"""Tasks whose worker died: found by the worker's stale heartbeat, then queued again or failed, never run twice.

django-tasks' database backend marks a task RUNNING when a worker claims it and leaves it so if that worker
is killed. Every worker writes a heartbeat (``heartbeat.py``); any worker sweeping finds a worker whose
heartbeat is older than SOCREADY_TASK_STALE_SECONDS, declares it dead (one conditional update, so only one
sweeper does), and hands each of its RUNNING tasks back to the queue, or fails it after MAX_ATTEMPTS
workers died on it (the task itself may be what kills them).

Each task row has a row people look at (an export job, a questionnaire, a connector run, a population
import). The app owning the task registers, in ``AppConfig.ready``, what to do with that row when its task
is queued again (show it queued) and when it is given up (show it failed, with a plain reason). The same
``fail`` runs when a task ends on an exception, so no row is left showing progress for a task that ended.
This module imports no app.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from socready.work.models import WorkerBeat

log = logging.getLogger(__name__)

# A task that this many workers died running is failed instead of being taken again.
MAX_ATTEMPTS = 3
KEEP_DEAD_WORKERS = dt.timedelta(days=7)
STOPPED_CLASS = "socready.work.recovery.WorkerStopped"
CRASH_REASON = "it stopped on an internal error; the server log has the details. Try again"

Args = list[Any]
Kwargs = dict[str, Any]


@dataclass(frozen=True)
class Recovery:
    """What to do with a task's user-facing row: queue it again, or show it failed with ``reason``."""

    retry: Callable[[Args, Kwargs], object]
    fail: Callable[[Args, Kwargs, str], object]


_recoveries: dict[str, Recovery] = {}


def register_recovery(task_path: str, retry: Callable[[Args, Kwargs], object],
                      fail: Callable[[Args, Kwargs, str], object]) -> None:
    """Record how the row behind the task at ``task_path`` (``module.function``) is recovered."""
    _recoveries[task_path] = Recovery(retry, fail)


def stale_after() -> dt.timedelta:
    """How old a worker's heartbeat may get before the worker counts as dead."""
    return dt.timedelta(seconds=settings.TASK_STALE_SECONDS)


def stopped_reason(attempts: int) -> str:
    """The plain reason a row shows when its task was given up after its workers died."""
    times = "once" if attempts == 1 else f"{attempts} times"
    return (f"the background worker stopped while doing this ({times}: it was killed or the machine restarted); "
            "nothing was kept. Try again, and tell your administrator if it happens again")


@dataclass
class Swept:
    """What one sweep did: workers declared dead, tasks queued again and tasks failed (their ids)."""

    dead_workers: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def declare_dead_workers(now: dt.datetime) -> list[str]:
    """Mark every worker whose heartbeat went stale as dead; return their ids."""
    dead = []
    stale = WorkerBeat.objects.filter(dead=False, beat_at__lt=now - stale_after())
    for worker_id, beat_at in stale.values_list("worker_id", "beat_at"):
        # Conditional on the beat seen: a worker that beat in the meantime is alive after all.
        if WorkerBeat.objects.filter(worker_id=worker_id, dead=False, beat_at=beat_at).update(dead=True):
            dead.append(worker_id)
    return dead


def _abandoned(now: dt.datetime) -> list[DBTaskResult[Any, Any]]:
    live = set(WorkerBeat.objects.filter(dead=False).values_list("worker_id", flat=True))
    known = set(WorkerBeat.objects.values_list("worker_id", flat=True))
    found = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        worker = result.worker_ids[-1] if result.worker_ids else None
        if worker in live:
            continue
        # A worker with no heartbeat row at all is an older worker or one already gone: judged by the start.
        if worker not in known and result.started_at and result.started_at > now - stale_after():
            continue
        found.append(result)
    return found


def recover_task(result: DBTaskResult[Any, Any], now: dt.datetime | None = None) -> str | None:
    """Queue a task whose worker died again, or fail it after MAX_ATTEMPTS; return "retried", "failed" or None.

    None when another sweeper or worker changed the task first. The task row and the user-facing row change
    in one transaction.
    """
    now = now or timezone.now()
    attempts = len(result.worker_ids)
    recovery = _recoveries.get(result.task_path)
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    same = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
    with transaction.atomic():
        if attempts < MAX_ATTEMPTS:
            if not same.update(status=TaskResultStatus.READY):
                return None
            if recovery:
                recovery.retry(args, kwargs)
            return "retried"
        reason = stopped_reason(attempts)
        if not same.update(status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                           exception_class_path=STOPPED_CLASS, traceback=reason):
            return None
        if recovery:
            recovery.fail(args, kwargs, reason)
        return "failed"


def sweep(now: dt.datetime | None = None) -> Swept:
    """One recovery pass (every worker runs one at start and then every few seconds)."""
    now = now or timezone.now()
    swept = Swept(dead_workers=declare_dead_workers(now))
    # Every start of a worker adds a row; those of workers long gone are only history.
    WorkerBeat.objects.filter(dead=True, beat_at__lt=now - KEEP_DEAD_WORKERS).delete()
    for result in _abandoned(now):
        try:
            outcome = recover_task(result, now)
        except Exception:
            log.exception("recovering task %s (%s) failed; the next pass tries again", result.pk, result.task_path)
            continue
        if outcome == "retried":
            swept.retried.append(str(result.pk))
        elif outcome == "failed":
            swept.failed.append(str(result.pk))
    return swept


def _on_task_finished(sender: object, task_result: Any, **_: object) -> None:
    """A task that ended on an exception: its row shows failed, whatever the task managed to record."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    recovery = _recoveries.get(task_result.task.module_path)
    if recovery is None:
        return
    try:
        recovery.fail(list(task_result.args), dict(task_result.kwargs), CRASH_REASON)
    except Exception:
        log.exception("marking the row of failed task %s failed did not work", task_result.id)


def connect_signals() -> None:
    """Listen for tasks that end on an exception (called once, from the app's ready)."""
    task_finished.connect(_on_task_finished, dispatch_uid="socready.work.recovery")
