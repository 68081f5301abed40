"""`socready serve` and `socready worker`: their options, and the task worker child the server keeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socready.cli import server, task_worker
from socready.cli.main import app
from socready.cli.task_worker import TaskWorker, worker_alongside, worker_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and fork")

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
runner = CliRunner()


def _wait_for(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_help_lists_workers_threads_and_no_worker() -> None:
    result = runner.invoke(app, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for option in ("--workers", "--threads", "--no-worker", "--host", "--port"):
        assert option in result.output


def test_worker_command_runs_this_socready_worker() -> None:
    command = worker_command(parent_pid=1234)
    assert command[0] == sys.executable and command[-3:] == ["worker", "--parent-pid", "1234"]
    shown = subprocess.run([*command[:-2], "--help"], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "COLUMNS": "200"}, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "--interval" in shown.stdout and "--batch" in shown.stdout and "--processes" in shown.stdout
    assert "--parent-pid" not in shown.stdout  # internal to serve


def test_default_workers_is_two_per_cpu_plus_one_within_bounds() -> None:
    assert server.default_workers() == min(2 * len(os.sched_getaffinity(0)) + 1, server.MAX_WORKERS)


def test_task_worker_starts_a_child_and_stop_terminates_it() -> None:
    worker = TaskWorker(SLEEPER, stop_timeout=10)
    worker.start()
    assert worker.process is not None and worker.process.poll() is None
    pid = worker.process.pid
    assert worker.stop() == -signal.SIGTERM
    assert not _alive(pid) and worker.starts == 1


def test_task_worker_starts_a_dead_child_again(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    # Each run leaves a mark; the first two exit at once as if they had crashed, the third keeps running.
    script = (f"import pathlib, sys, time; p = pathlib.Path({str(runs)!r}); p.mkdir(exist_ok=True); "
              "n = len(list(p.iterdir())); (p / str(n)).touch(); sys.exit(3) if n < 2 else time.sleep(60)")
    worker = TaskWorker([sys.executable, "-c", script], restart_delay=0.05, stop_timeout=10)
    worker.start()
    try:
        _wait_for(lambda: worker.starts == 3)
        assert worker.process is not None
        _wait_for(lambda: len(list(runs.iterdir())) == 3)
        assert worker.process.poll() is None
    finally:
        assert worker.stop() == -signal.SIGTERM
    assert worker.starts == 3  # a stopped worker is not started again


def test_task_worker_kills_a_child_that_ignores_the_stop_signal(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    script = (f"import pathlib, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
              f"pathlib.Path({str(ready)!r}).touch(); time.sleep(60)")
    worker = TaskWorker([sys.executable, "-c", script], stop_timeout=0.3)
    worker.start()
    _wait_for(ready.exists)
    assert worker.stop() == -signal.SIGKILL


def test_a_forked_web_worker_exiting_does_not_stop_the_task_worker() -> None:
    worker = TaskWorker(SLEEPER, stop_timeout=10)
    worker.start()
    try:
        pid = os.fork()
        if pid == 0:  # the forked copy runs the same cleanup a gunicorn web worker runs on its way out
            os._exit(0 if worker.stop() is None else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert worker.process is not None and worker.process.poll() is None
    finally:
        worker.stop()


def test_worker_alongside_starts_nothing_when_disabled_or_when_tasks_run_inline(settings) -> None:  # type: ignore[no-untyped-def]
    with worker_alongside(enabled=False) as workers:
        assert workers == []
    # The test settings run tasks inline: there is no queue for a worker to poll.
    with worker_alongside(enabled=True) as workers:
        assert workers == []


def test_serve_keeps_its_task_workers_while_serving_and_stops_them_after(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_QUEUE
    settings.DEBUG = False
    settings.TASK_WORKERS = 2
    seen: dict[str, object] = {}

    def command(parent_pid: int | None = None, interval: float | None = None) -> list[str]:
        seen["parent_pid"] = parent_pid
        return SLEEPER

    def fake_gunicorn(host: str, port: int, *, workers: int, threads: int) -> None:
        children = subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, check=False)
        seen["children"] = [int(pid) for pid in children.stdout.split()]
        seen["bind"] = (host, port, workers, threads)
        raise KeyboardInterrupt  # the server stops, as on Ctrl-C

    monkeypatch.setattr(task_worker, "worker_command", command)
    monkeypatch.setattr(server, "_serve_gunicorn", fake_gunicorn)
    with pytest.raises(KeyboardInterrupt):
        server._serve("127.0.0.1", 8123, workers=3, threads=2)
    assert seen["bind"] == ("127.0.0.1", 8123, 3, 2)
    assert seen["parent_pid"] == os.getpid()
    children = seen["children"]
    assert isinstance(children, list) and len(children) == 2  # SOCREADY_TASK_WORKERS processes
    _wait_for(lambda: not any(_alive(pid) for pid in children))


def test_serve_without_worker_starts_no_child(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_QUEUE
    settings.DEBUG = False
    seen: list[str] = []
    monkeypatch.setattr(task_worker, "worker_command",
                        lambda parent_pid=None, interval=None: seen.append("started") or SLEEPER)
    monkeypatch.setattr(server, "_serve_gunicorn", lambda *args, **kwargs: None)
    server._serve("127.0.0.1", 8123, workers=1, threads=1, task_worker=False)
    assert seen == []


def test_worker_started_by_a_parent_stops_when_the_parent_is_gone() -> None:
    # Process 1 is never this child's parent, so the watch sees "parent gone" at its first look.
    script = "import time; from socready.cli.task_worker import _exit_with_parent; _exit_with_parent(1); time.sleep(60)"
    child = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert child.returncode == -signal.SIGTERM


def test_gunicorn_forks_its_workers_after_the_views_and_catalogs_are_loaded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gunicorn.app.base import BaseApplication

    from socready.web import wsgi

    order: list[str] = []
    monkeypatch.setattr(wsgi, "warm_up", lambda: order.append("warm up"))
    monkeypatch.setattr(BaseApplication, "run", lambda self: order.append("fork and serve"))
    server._serve_gunicorn("127.0.0.1", 8123, workers=2, threads=1)
    assert order == ["warm up", "fork and serve"]


def test_warming_up_loads_every_url_module_and_the_catalogs() -> None:
    from django.urls import get_resolver

    from socready.core.catalog.catalog import default_catalog
    from socready.core.controls.library import default_library
    from socready.web import wsgi

    wsgi.warm_up()
    assert get_resolver()._populated
    assert default_catalog.cache_info().currsize == 1 and default_library.cache_info().currsize == 1


def test_serve_starts_from_an_empty_shared_cache(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Pages and scores cached by the previous run may come from another release: an upgrade restarts the server.
    from django.core.cache import caches

    settings.DEBUG = False
    caches["shared"].set("readiness:left-by-the-last-run", "stale")
    monkeypatch.setattr(server, "_serve_gunicorn", lambda *args, **kwargs: None)
    server._serve("127.0.0.1", 8123, workers=1, threads=1, task_worker=False)
    assert caches["shared"].get("readiness:left-by-the-last-run") is None
