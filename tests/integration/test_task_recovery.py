"""Tasks whose worker died: found by the worker's stale heartbeat, queued again or failed, never run twice.

These build the rows a killed worker leaves (a RUNNING task naming a worker whose heartbeat stopped, and
the user-facing row mid-progress) and run one recovery sweep. The kill -9 of a real worker is in
test_worker_recovery.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from socready.connectors.models import Connection, Run, RunStatus
from socready.connectors.services import execute
from socready.evidence.models import ImportState
from socready.questionnaires.models import ReadState
from socready.questionnaires.services_reading import read_and_draft
from socready.reports.jobs import run_job
from socready.reports.models import ExportJob, JobState
from socready.work.heartbeat import Heartbeat
from socready.work.models import WorkerBeat
from socready.work.recovery import MAX_ATTEMPTS, STOPPED_CLASS, sweep
from tests.factories import ControlFactory, PopulationFactory, QuestionnaireFactory
from tests.integration.conftest import Personas

LONG_AGO = dt.timedelta(minutes=5)


def _worker(worker_id: str, *, alive: bool) -> None:
    beat = timezone.now() - (dt.timedelta(0) if alive else LONG_AGO)
    WorkerBeat.objects.create(worker_id=worker_id, started_at=beat, beat_at=beat)


def _running_task(task_path: str, args: list[Any], workers: list[str]) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.create(
        task_path=task_path, args_kwargs={"args": args, "kwargs": {}}, backend_name="default",
        run_after=timezone.now(), status=TaskResultStatus.RUNNING, worker_ids=workers,
        started_at=timezone.now() - LONG_AGO)


def _status(task: DBTaskResult[Any, Any]) -> str:
    task.refresh_from_db()
    return str(task.status)


def test_a_task_of_a_dead_worker_is_queued_again_and_its_job_shows_queued(personas: Personas) -> None:
    _worker("dead", alive=False)
    job = ExportJob.objects.create(organization=personas.acme, kind="report-pdf", state=JobState.RUNNING,
                                   progress=30, phase="Laying out the pages")
    task = _running_task("socready.reports.tasks.make_export", [job.pk], ["dead"])
    swept = sweep()
    assert swept.dead_workers == ["dead"] and swept.retried == [str(task.pk)] and swept.failed == []
    assert _status(task) == TaskResultStatus.READY
    job.refresh_from_db()
    assert (job.state, job.progress) == (JobState.QUEUED, 0) and "worker stopped" in job.phase
    assert WorkerBeat.objects.get(worker_id="dead").dead
    assert sweep().retried == []  # nothing left to recover: a second sweep changes nothing


def test_a_task_whose_workers_died_max_attempts_times_fails_with_a_plain_reason(personas: Personas) -> None:
    workers = [f"dead-{n}" for n in range(MAX_ATTEMPTS)]
    for worker_id in workers:
        _worker(worker_id, alive=False)
    job = ExportJob.objects.create(organization=personas.acme, kind="bundle", state=JobState.RUNNING, progress=30)
    task = _running_task("socready.reports.tasks.make_export", [job.pk], workers)
    assert sweep().failed == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == STOPPED_CLASS
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert f"background worker stopped while doing this ({MAX_ATTEMPTS} times" in job.error


def test_a_task_of_a_live_worker_is_left_alone_however_long_it_runs(personas: Personas) -> None:
    _worker("alive", alive=True)
    job = ExportJob.objects.create(organization=personas.acme, kind="bundle", state=JobState.RUNNING, progress=30)
    task = _running_task("socready.reports.tasks.make_export", [job.pk], ["alive"])
    swept = sweep()
    assert swept.retried == swept.failed == swept.dead_workers == []
    assert _status(task) == TaskResultStatus.RUNNING
    job.refresh_from_db()
    assert job.state == JobState.RUNNING


def test_a_task_of_a_worker_without_heartbeat_is_judged_by_its_start(personas: Personas) -> None:
    # A worker from before heartbeats, or one whose row is gone: its task counts as abandoned once it is old.
    job = ExportJob.objects.create(organization=personas.acme, kind="bundle", state=JobState.RUNNING)
    old = _running_task("socready.reports.tasks.make_export", [job.pk], ["unknown"])
    recent = _running_task("socready.reports.tasks.make_export", [job.pk], ["unknown-2"])
    DBTaskResult.objects.filter(pk=recent.pk).update(started_at=timezone.now())
    assert sweep().retried == [str(old.pk)]
    assert _status(recent) == TaskResultStatus.RUNNING


def test_a_population_import_of_a_dead_worker_is_queued_again_then_failed(personas: Personas) -> None:
    _worker("dead", alive=False)
    population = PopulationFactory(organization=personas.acme, control=ControlFactory(organization=personas.acme),
                                   state=ImportState.RUNNING, progress=30)
    task = _running_task("socready.evidence.tasks.import_population", [population.pk], ["dead"])
    sweep()
    population.refresh_from_db()
    assert (population.state, population.progress) == (ImportState.QUEUED, 10)
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING,
                                                   worker_ids=["dead", "dead", "dead"])
    population.state = ImportState.RUNNING
    population.save()
    sweep()
    population.refresh_from_db()
    assert population.state == ImportState.FAILED and "background worker stopped" in population.error


def test_a_questionnaire_being_drafted_by_a_dead_worker_is_queued_again(personas: Personas) -> None:
    _worker("dead", alive=False)
    questionnaire = QuestionnaireFactory(organization=personas.acme, state=ReadState.DRAFTING, progress=40)
    _running_task("socready.questionnaires.tasks.read_questionnaire_upload", [questionnaire.pk], ["dead"])
    sweep()
    questionnaire.refresh_from_db()
    assert (questionnaire.state, questionnaire.progress) == (ReadState.QUEUED, 5)


def test_a_connector_run_of_a_dead_worker_is_failed_after_the_last_attempt(personas: Personas) -> None:
    workers = [f"dead-{n}" for n in range(MAX_ATTEMPTS)]
    for worker_id in workers:
        _worker(worker_id, alive=False)
    connection = Connection.objects.create(organization=personas.acme, kind="github", name="GitHub")
    run = Run.objects.create(connection=connection, trigger="on demand", status=RunStatus.RUNNING)
    _running_task("socready.connectors.tasks.collect_run", [run.pk], workers)
    sweep()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "background worker stopped" in run.error


def test_a_job_is_claimed_once_so_a_repeated_task_does_not_run_it_again(personas: Personas,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    monkeypatch.setattr("socready.reports.jobs.program_readiness", lambda *a: made.append(1) or 1 / 0)
    job = ExportJob.objects.create(organization=personas.acme, kind="report-pdf", state=JobState.RUNNING)
    assert run_job(job.pk) == JobState.RUNNING and made == []  # another worker has it
    questionnaire = QuestionnaireFactory(organization=personas.acme, state=ReadState.READING)
    assert read_and_draft(questionnaire.pk) == "nothing to do"
    connection = Connection.objects.create(organization=personas.acme, kind="github", name="GitHub")
    run = Run.objects.create(connection=connection, trigger="on demand", status=RunStatus.RUNNING)
    monkeypatch.setattr("socready.connectors.services.stored_settings", lambda *a: made.append(2) or 1 / 0)
    assert execute(run).status == RunStatus.RUNNING and made == []


def test_a_task_that_ends_on_an_exception_leaves_its_row_failed_not_in_progress(
        personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    from socready.questionnaires.tasks import read_questionnaire_upload

    def crash(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("socready.questionnaires.services_reading._draft", crash)
    monkeypatch.setattr("socready.questionnaires.services_reading._original", lambda q, folder: folder / "x.csv")
    monkeypatch.setattr("socready.questionnaires.services_reading.read_questionnaire_file",
                        lambda path: ((object(),), ()))
    questionnaire = QuestionnaireFactory(organization=personas.acme, state=ReadState.QUEUED)
    result = read_questionnaire_upload.enqueue(questionnaire.pk)  # the test settings run it inline
    assert result.status == TaskResultStatus.FAILED
    questionnaire.refresh_from_db()
    assert questionnaire.state == ReadState.FAILED and "internal error" in questionnaire.error


def test_a_worker_declared_dead_learns_it_at_its_next_beat(db: None) -> None:
    heartbeat = Heartbeat("w-1")
    WorkerBeat.objects.create(worker_id="w-1", started_at=timezone.now(), beat_at=timezone.now())
    assert heartbeat.beat()
    WorkerBeat.objects.filter(worker_id="w-1").update(beat_at=timezone.now() - LONG_AGO)
    assert sweep().dead_workers == ["w-1"]
    assert not heartbeat.beat()  # the worker's heartbeat thread then ends the process: its tasks are taken


def test_rows_of_workers_gone_for_a_week_are_pruned(db: None) -> None:
    long_gone = timezone.now() - dt.timedelta(days=8)
    WorkerBeat.objects.create(worker_id="old", started_at=long_gone, beat_at=long_gone, dead=True)
    WorkerBeat.objects.create(worker_id="recent", started_at=timezone.now(), beat_at=timezone.now(), dead=True)
    sweep()
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["recent"]


def test_a_scheduled_collection_given_up_fails_its_run_and_the_schedule_goes_on(personas: Personas) -> None:
    workers = [f"dead-{n}" for n in range(MAX_ATTEMPTS)]
    for worker_id in workers:
        _worker(worker_id, alive=False)
    due = timezone.now() - dt.timedelta(minutes=10)
    connection = Connection.objects.create(organization=personas.acme, kind="github", name="GitHub",
                                           schedule_hours=24, next_run_at=due)
    run = Run.objects.create(connection=connection, trigger="schedule", status=RunStatus.RUNNING)
    _running_task("socready.connectors.tasks.scheduled_collection", [connection.pk, due.isoformat()], workers)
    sweep()
    run.refresh_from_db()
    connection.refresh_from_db()
    assert run.status == RunStatus.FAILED and "background worker stopped" in run.error
    # Moved on by the failure back-off, not left due forever with no task to run it.
    assert connection.failures_in_a_row == 1 and connection.next_run_at is not None and connection.next_run_at > due
