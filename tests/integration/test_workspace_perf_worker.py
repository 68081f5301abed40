"""`socready worker` runs what the web app queued in the database, and refuses when tasks run inline."""

from __future__ import annotations

import threading

import pytest
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from socready.cli.main import app
from socready.work.models import WorkerBeat

runner = CliRunner()


@task()
def shout(word: str) -> str:
    """A stand-in for real background work: its result shows that it ran, and with which argument."""
    return word.upper()


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_the_queued_tasks_then_exits(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = [shout.enqueue("first"), shout.enqueue("second")]
    assert {DBTaskResult.objects.get(pk=r.id).status for r in queued} == {"READY"}

    result = runner.invoke(app, ["worker", "--batch"])

    assert result.exit_code == 0, result.output
    for item, word in zip(queued, ("FIRST", "SECOND"), strict=True):
        item.refresh()
        assert item.status == "SUCCESSFUL" and item.return_value == word
    # A batch run's heartbeat ends with it: left beating, it would outlive the command (and, here, the test).
    assert not [t for t in threading.enumerate() if t.name == "socready-heartbeat" and t.is_alive()]
    assert WorkerBeat.objects.get().dead


@pytest.mark.django_db
def test_worker_refuses_clearly_when_tasks_run_inline() -> None:
    result = runner.invoke(app, ["worker", "--batch"])
    assert result.exit_code == 2  # the CLI's status for a usage or configuration error
    assert "SOCREADY_TASKS_IMMEDIATE" in result.stderr and "no queue" in result.stderr
