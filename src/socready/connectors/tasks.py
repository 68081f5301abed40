"""Background work of connectors, run by the task worker that ``socready serve`` starts.

Each scheduled connection keeps one chain of tasks: a run enqueues the next one for the connection's
``next_run_at``. A task whose due time no longer matches the connection's (the schedule changed, or a
second chain started) does nothing, so chains never multiply.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from socready.connectors import services
from socready.connectors.models import Connection, Run


@task()
def collect_run(run_id: int) -> str:
    """Run one queued run (from "run now", the command line or the schedule)."""
    run = Run.objects.select_related("connection__organization").filter(pk=run_id).first()
    if run is None:
        return "missing"
    return str(services.execute(run).status)


@task()
def scheduled_collection(connection_id: int, due_at: str) -> str:
    """The scheduled run of a connection, then the next one queued for its next due time."""
    connection = Connection.objects.select_related("organization").filter(pk=connection_id).first()
    if connection is None or not connection.enabled or connection.next_run_at is None:
        return "unscheduled"
    if connection.next_run_at.isoformat() != due_at:
        return "superseded"
    if connection.next_run_at > timezone.now() + dt.timedelta(seconds=5):
        return "early"  # a backend that ignores run_after: the chain is left for the due sweep
    run = services.execute(services.queue_run(connection, "schedule"))
    schedule(connection)
    return str(run.status)


def give_up_scheduled(connection_id: int, reason: str) -> None:
    """A scheduled collection given up (its workers died, or it ended on an error): its run shows failed with
    the reason, and the next one is queued, after the failure back-off, so the schedule does not stop."""
    failed = services.fail_scheduled_runs(connection_id, reason)
    connection = Connection.objects.select_related("organization").filter(pk=connection_id).first()
    if connection is None or not connection.enabled or connection.next_run_at is None:
        return
    if failed:
        services.move_schedule_on(connection, failed[-1])
    schedule(connection)


def schedule(connection: Connection) -> None:
    """Queue the connection's next scheduled run for its ``next_run_at`` (nothing when on demand only)."""
    if connection.next_run_at is None or not connection.enabled:
        return
    if not scheduled_collection.get_backend().supports_defer:
        return  # the inline backend (tests, SOCREADY_TASKS_IMMEDIATE) cannot wait; `socready collect` runs them
    scheduled_collection.using(run_after=connection.next_run_at).enqueue(
        connection.pk, connection.next_run_at.isoformat())


def run_now(connection: Connection, trigger: str = "on demand") -> Run:
    """Queue a run and hand it to the worker; with the immediate backend it has finished on return."""
    run = services.queue_run(connection, trigger)
    collect_run.enqueue(run.pk)
    run.refresh_from_db()
    return run
