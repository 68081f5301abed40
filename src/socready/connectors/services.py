"""Connections and runs: create a connection (tested first), run it, store what it found.

A run that cannot finish is recorded as failed with its error and stores nothing as evidence, so a broken
connection never looks like a passing one. A finished run stores its document as an automated result linked
to the adopted controls its checks support, one CheckResult row per check, and its populations through the
population import path (hashed and validated like an upload).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.connectors.crypto import CredentialsUnreadable, redact, seal, unseal
from socready.connectors.models import CheckResult, Connection, Run, RunStatus
from socready.connectors.populations import import_populations
from socready.connectors.registry import UnknownConnector, connector
from socready.core.connectors.checks import Outcome
from socready.core.connectors.document import digest, run_document
from socready.core.connectors.mapping import controls_of
from socready.core.connectors.plugin import Collection, CollectionError, ConnectionConfig, check_options
from socready.core.text import counted
from socready.core.window import Window
from socready.evidence.models import EvidenceKind
from socready.evidence.services import Content, add_evidence
from socready.programs.models import Control, Engagement, ReportType

log = logging.getLogger(__name__)
# After a failed scheduled run the next try comes sooner than the schedule, doubling each time up to it.
FIRST_RETRY = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Settings:
    """A connection's settings split the way they are stored: plain options and secrets."""

    options: dict[str, str]
    secrets: dict[str, str]


def split_settings(kind: str, values: Mapping[str, str]) -> Settings:
    """Sort entered values into options and secrets by the connector's own option list (blanks dropped)."""
    specs = {o.name: o for o in connector(kind).options}
    options = {k: v.strip() for k, v in values.items() if v.strip() and not (k in specs and specs[k].secret)}
    secrets = {k: v.strip() for k, v in values.items() if v.strip() and k in specs and specs[k].secret}
    return Settings(options, secrets)


def observation_window(org: Organization, today: dt.date) -> tuple[Engagement | None, Window | None]:
    """The Type II window runs collect populations for: the one running today, else the latest one."""
    engagements = [e for e in Engagement.objects.filter(organization=org, report_type=ReportType.TYPE2)
                   if e.period_start and e.period_end]
    if not engagements:
        return None, None
    running = [e for e in engagements if e.period_start <= today <= e.period_end]  # type: ignore[operator]
    chosen = running[0] if running else max(engagements, key=lambda e: e.period_end)  # type: ignore[arg-type,return-value]
    return chosen, Window(chosen.period_start, chosen.period_end)  # type: ignore[arg-type]


def build_config(org: Organization, name: str, stored: Settings, today: dt.date | None = None) -> ConnectionConfig:
    """What a connector is given for one test or run."""
    today = today or timezone.localdate()
    _, window = observation_window(org, today)
    return ConnectionConfig(name=name, options=stored.options, secrets=stored.secrets, today=today, window=window,
                            timeout_s=float(settings.CONNECTOR_TIMEOUT_S), max_attempts=settings.CONNECTOR_MAX_ATTEMPTS)


def test_settings(org: Organization, kind: str, name: str, stored: Settings) -> str:
    """Check the settings and reach the system; return what was reached or raise CollectionError (redacted)."""
    plugin = connector(kind)
    check_options(plugin, stored.options, stored.secrets)
    try:
        return plugin.test(build_config(org, name, stored))
    except CollectionError as exc:
        raise CollectionError(redact(str(exc), stored.secrets)) from None


def create_connection(org: Organization, user: Any, *, kind: str, name: str, stored: Settings,
                      schedule_hours: int = 24, test_first: bool = True) -> Connection:
    """Save a connection; with ``test_first`` it is saved only once the system answered."""
    name = name.strip()
    if not name:
        raise CollectionError("give the connection a name")
    if Connection.objects.filter(organization=org, name=name).exists():
        raise CollectionError(f"a connection named {name!r} already exists")
    plugin = connector(kind)
    check_options(plugin, stored.options, stored.secrets)
    if test_first:
        test_settings(org, kind, name, stored)
    interval = dt.timedelta(hours=schedule_hours) if schedule_hours else None
    return Connection.objects.create(
        organization=org, kind=kind, name=name, options=stored.options, credentials=seal(stored.secrets),
        schedule_hours=schedule_hours, next_run_at=timezone.now() + interval if interval else None, created_by=user)


def edited_settings(connection: Connection, entered: Settings, forget: Set[str] = frozenset()) -> Settings:
    """A connection's settings after an edit: the entered options; stored secrets kept unless replaced or forgotten.

    Stored secrets no key opens any more count as absent, so entering them again repairs the connection.
    """
    try:
        secrets = unseal(connection.credentials)
    except CredentialsUnreadable:
        secrets = {}
    kept = {k: v for k, v in secrets.items() if k not in forget}
    return Settings(dict(entered.options), {**kept, **entered.secrets})


def update_connection(connection: Connection, *, name: str, stored: Settings, schedule_hours: int,
                      test_first: bool = True) -> Connection:
    """Save an edited connection; with ``test_first`` only once the system answered with the new settings.

    The secrets are sealed again only when they changed, so the audit trail shows "(hidden, replaced)"
    exactly when a secret was replaced or forgotten.
    """
    name = name.strip()
    if not name:
        raise CollectionError("give the connection a name")
    if Connection.objects.filter(organization=connection.organization, name=name).exclude(pk=connection.pk).exists():
        raise CollectionError(f"a connection named {name!r} already exists")
    check_options(connector(connection.kind), stored.options, stored.secrets)
    if test_first:
        test_settings(connection.organization, connection.kind, name, stored)
    try:
        unchanged = unseal(connection.credentials) == stored.secrets
    except CredentialsUnreadable:
        unchanged = False
    if not unchanged:
        connection.credentials = seal(stored.secrets)
    if schedule_hours != connection.schedule_hours:
        connection.schedule_hours = schedule_hours
        connection.next_run_at = timezone.now() + dt.timedelta(hours=schedule_hours) if schedule_hours else None
    connection.name, connection.options = name, stored.options
    connection.save()
    return connection


def stored_secret_names(connection: Connection) -> set[str]:
    """Which secrets a connection holds (names only), or none when no configured key opens them."""
    try:
        return set(unseal(connection.credentials))
    except CredentialsUnreadable:
        return set()


def stored_settings(connection: Connection) -> Settings:
    """The connection's options and decrypted secrets."""
    return Settings(dict(connection.options), unseal(connection.credentials))


def queue_run(connection: Connection, trigger: str = "on demand") -> Run:
    """A queued run; the caller enqueues (or runs) it."""
    return Run.objects.create(connection=connection, trigger=trigger, status=RunStatus.QUEUED)


def execute(run: Run) -> Run:
    """Run a queued run to its end: ok with its results stored, or failed with its error. Never raises."""
    started_at = timezone.now()
    # One conditional update claims the run: a repeated task, or a second worker, never collects twice.
    if not Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING,
                                                                        started_at=started_at):
        run.refresh_from_db()
        return run
    connection = run.connection
    started = time.monotonic()
    run.status, run.started_at = RunStatus.RUNNING, started_at
    secrets: dict[str, str] = {}
    try:
        stored = stored_settings(connection)
        secrets = stored.secrets
        plugin = connector(connection.kind)
        check_options(plugin, stored.options, stored.secrets)
        collection = plugin.collect(build_config(connection.organization, connection.name, stored))
        _store(run, collection)
    except (CollectionError, CredentialsUnreadable, UnknownConnector) as exc:
        _fail(run, redact(str(exc), secrets), started)
    except Exception as exc:
        log.exception("run %s of connection %s stopped on an internal error", run.pk, connection.pk)
        _fail(run, redact(f"the run stopped on an internal error ({exc.__class__.__name__}: {exc}); "
                          "the server log has the details", secrets), started)
    else:
        run.status = RunStatus.OK
        run.finished_at = timezone.now()
        run.duration_ms = round((time.monotonic() - started) * 1000)
        run.save()
    _after_run(connection, run)
    return run


def requeue_abandoned(run_id: int) -> None:
    """Show a run queued again: the worker running it died and its task goes back to the queue."""
    Run.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(status=RunStatus.QUEUED)


def fail_abandoned(run_id: int, reason: str) -> None:
    """Fail a run that did not finish (its task was given up, or ended on an error), saying why."""
    run = Run.objects.filter(pk=run_id).exclude(status__in=(RunStatus.OK, RunStatus.FAILED)).first()
    if run is not None:
        run.status, run.error, run.finished_at = RunStatus.FAILED, reason, timezone.now()
        run.save()


def fail_scheduled_runs(connection_id: int, reason: str) -> list[Run]:
    """Fail the scheduled runs of a connection left running by a worker that died; return them."""
    failed = []
    for run_id in Run.objects.filter(connection_id=connection_id, trigger="schedule",
                                     status=RunStatus.RUNNING).values_list("pk", flat=True):
        fail_abandoned(run_id, reason)
        failed.append(Run.objects.get(pk=run_id))
    return failed


def move_schedule_on(connection: Connection, run: Run) -> None:
    """Set the connection's next due time after ``run`` (the back-off of a failure, or the interval)."""
    _after_run(connection, run)


def _fail(run: Run, error: str, started: float) -> None:
    run.status, run.error = RunStatus.FAILED, error or "the run failed without a message"
    run.finished_at = timezone.now()
    run.duration_ms = round((time.monotonic() - started) * 1000)
    run.evidence = None
    run.save()


def _after_run(connection: Connection, run: Run) -> None:
    """Move the schedule on: the full interval after a success, a growing back-off after a failure."""
    failures = 0 if run.status == RunStatus.OK else connection.failures_in_a_row + 1
    interval = connection.interval
    next_run = None
    if interval is not None:
        wait = interval if failures == 0 else min(interval, FIRST_RETRY * 2 ** (failures - 1))
        next_run = timezone.now() + wait
    Connection.objects.filter(pk=connection.pk).update(failures_in_a_row=failures, next_run_at=next_run)
    connection.failures_in_a_row, connection.next_run_at = failures, next_run


def _store(run: Run, collection: Collection) -> None:
    """Check rows, the evidence item and the populations of a finished run, in one transaction."""
    connection = run.connection
    org = connection.organization
    collected_at = timezone.now()
    document = run_document(connection=connection.name, kind=connection.kind, account=collection.account,
                            collected_at=collected_at, results=collection.checks)
    codes = controls_of(r.check for r in collection.checks)
    controls = list(Control.objects.filter(organization=org, code__in=codes).order_by("code"))
    failing = [r for r in collection.checks if r.outcome != Outcome.PASS]
    notes = list(collection.notes)
    with transaction.atomic():
        for entry in document["checks"]:
            _row(run, entry).save()  # one by one, so each row is audited
        run.account = collection.account[:300]
        run.result_sha256 = digest(document)
        if controls:
            title = (f"{connection.name}: {counted(len(failing), 'check')} of {len(collection.checks)} failing"
                     if failing else f"{connection.name}: all {len(collection.checks)} checks pass")
            run.evidence = add_evidence(
                org, None, kind=EvidenceKind.RESULT, title=title, effective_date=timezone.localdate(collected_at),
                controls=controls,
                content=Content(result=document, result_name=f"{connection.kind}-{connection.name}-run-"
                                                             f"{collected_at:%Y%m%dT%H%M%SZ}.json"),
                description=(f"Collected automatically by the {connection.kind} connection {connection.name!r} "
                             f"from {collection.account} at {collected_at.isoformat(timespec='seconds')}. "
                             f"SHA-256 of the result: {run.result_sha256}."))
        else:
            notes.append("none of the controls these checks support is adopted, so nothing was stored as evidence")
    engagement, _ = observation_window(org, timezone.localdate(collected_at))
    population_ids, population_notes = import_populations(org, engagement, collection.populations)
    run.population_ids = population_ids
    notes.extend(population_notes)
    run.notes = "; ".join(notes)


def _row(run: Run, entry: dict[str, Any]) -> CheckResult:
    return CheckResult(run=run, check_id=entry["id"][:120], title=entry["title"][:300], status=entry["status"],
                       controls=entry["controls"], failing=entry["failing"], finding=entry["finding"],
                       error=entry["error"], resources=entry["resources"])


def verify_run(run: Run) -> bool:
    """Whether the stored evidence still hashes to the digest recorded when the run finished."""
    if run.evidence is None or run.evidence.current is None:
        return False
    return digest(run.evidence.current.result) == run.result_sha256
