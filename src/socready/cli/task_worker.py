"""The background task workers: the ``socready worker`` command and the child processes ``socready serve`` keeps.

Queued work (population imports, exports, questionnaire drafting, connector runs) waits in the database until
a worker runs it. ``socready serve`` starts SOCREADY_TASK_WORKERS worker processes as children, starts each
again if it dies, and stops them when the server stops; ``socready worker`` runs them on its own, for installs
that keep the web and the workers apart. Each worker runs one task at a time and writes a heartbeat; any
worker queues again (or fails) the tasks of one whose heartbeat went stale (``socready.work.recovery``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import typer

from socready.cli import django_setup
from socready.cli.output import console, fail

# The child runs this Python and this socready, whatever the PATH holds.
_RUN_CLI = "from socready.cli.main import main; main()"
RESTART_DELAY_S = 5.0
# A running task is allowed to finish when the server stops; past this it is killed.
STOP_TIMEOUT_S = 30.0
PARENT_CHECK_S = 1.0
# How often a worker looks for imports whose worker died, and for upload temp files a killed process left.
RECOVERY_EVERY_S = 10.0


def worker_command(parent_pid: int | None = None, interval: float | None = None) -> list[str]:
    """The command line of a ``socready worker`` that exits when process ``parent_pid`` goes away."""
    command = [sys.executable, "-c", _RUN_CLI, "worker"]
    if interval is not None:
        command += ["--interval", f"{interval:g}"]
    if parent_pid is not None:
        command += ["--parent-pid", str(parent_pid)]
    return command


def queue_in_database() -> bool:
    """Whether the configured task backend queues work in the database (rather than running it inline)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


class TaskWorker:
    """A worker child process, started again after ``restart_delay`` seconds whenever it exits on its own."""

    def __init__(self, command: Sequence[str], *, restart_delay: float = RESTART_DELAY_S,
                 stop_timeout: float = STOP_TIMEOUT_S) -> None:
        self.command = list(command)
        self.restart_delay = restart_delay
        self.stop_timeout = stop_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        # Web workers are forked from the server process and run its cleanup when they exit; only the process
        # that started the worker may stop it.
        self._owner_pid = os.getpid()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._signalled = False
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        """Start the child and the thread that restarts it."""
        self._launch()
        self._watcher = threading.Thread(target=self._watch, name="socready-task-worker", daemon=True)
        self._watcher.start()

    def _launch(self) -> bool:
        with self._lock:
            if self._stopping.is_set():
                return False
            # Its own session keeps a terminal's Ctrl-C away from it: the server stops it, once and gracefully.
            self.process = subprocess.Popen(self.command, start_new_session=sys.platform != "win32")
            self.starts += 1
            return True

    def _watch(self) -> None:
        while True:
            process = self.process
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            console.print(f"[yellow]The background task worker exited with code {code}; "
                          f"starting it again in {self.restart_delay:g} s.[/]")
            if self._stopping.wait(self.restart_delay) or not self._launch():
                return

    def request_stop(self) -> None:
        """Ask the child to stop (SIGTERM) without waiting: it finishes the task in hand first."""
        if os.getpid() != self._owner_pid:
            return
        with self._lock:
            self._stopping.set()
            process = self.process
            if process is not None and process.poll() is None and not self._signalled:
                self._signalled = True  # once: a second SIGTERM makes db_worker drop the task in hand
                process.terminate()

    def stop(self) -> int | None:
        """Stop the child (SIGTERM, then SIGKILL after ``stop_timeout``); return its exit code."""
        if os.getpid() != self._owner_pid:
            return None
        self.request_stop()
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                console.print("[yellow]The background task worker did not stop in time; killing it.[/]")
                process.kill()
                process.wait()
        if self._watcher is not None:
            self._watcher.join(self.stop_timeout)
        return process.returncode


def start_workers(count: int, parent_pid: int, interval: float | None = None) -> list[TaskWorker]:
    """Start ``count`` worker children that exit when process ``parent_pid`` goes away."""
    workers = [TaskWorker(worker_command(parent_pid=parent_pid, interval=interval)) for _ in range(count)]
    for one in workers:
        one.start()
    return workers


def stop_workers(workers: Sequence[TaskWorker]) -> None:
    """Stop every child together: all are asked at once, so stopping takes one timeout, not one each."""
    for one in workers:
        one.request_stop()
    for one in workers:
        one.stop()


@contextmanager
def worker_alongside(enabled: bool = True) -> Iterator[list[TaskWorker]]:
    """Keep SOCREADY_TASK_WORKERS task workers running for the block, when enabled and there is a queue."""
    if not enabled:
        yield []
        return
    if not queue_in_database():
        console.print("Background tasks run inline (SOCREADY_TASKS_IMMEDIATE=1); no task worker started.")
        yield []
        return
    from django.conf import settings

    workers = start_workers(settings.TASK_WORKERS, os.getpid())
    try:
        yield workers
    finally:
        stop_workers(workers)


def _exit_with_parent(parent_pid: int) -> None:
    """Stop this worker gracefully once the process that started it is gone (even if it was killed)."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="socready-parent-watch", daemon=True).start()


def recover_once() -> None:
    """One recovery pass: tasks whose worker died are queued again or failed; stale upload temp files go."""
    from django.db import close_old_connections

    from socready.storage.uploads import remove_stale_temp_files
    from socready.work.recovery import sweep

    try:
        swept = sweep()
        if swept.dead_workers:
            console.print(f"Workers that stopped writing their heartbeat: {', '.join(swept.dead_workers)}")
        if swept.retried or swept.failed:
            console.print(f"Tasks of stopped workers: {len(swept.retried)} queued again, {len(swept.failed)} failed")
        remove_stale_temp_files()
    finally:
        close_old_connections()


def _recover_in_background(every: float) -> None:
    """A thread of the worker that runs recover_once every ``every`` seconds; a failed pass is logged, not fatal."""

    def loop() -> None:
        while True:
            time.sleep(every)
            try:
                recover_once()
            except Exception as exc:  # noqa: BLE001 - the next pass tries again; the worker keeps working
                console.print(f"[yellow]Recovery pass failed: {exc}[/]")

    threading.Thread(target=loop, name="socready-recovery", daemon=True).start()


def _supervise(processes: int, interval: float) -> None:
    """Run ``processes`` worker children until this process is told to stop, then stop them together."""
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    workers = start_workers(processes, os.getpid(), interval)
    console.print(f"Started {processes} task worker processes.")
    try:
        stop.wait()
    finally:
        stop_workers(workers)


def _run_one(interval: float, batch: bool) -> None:
    """This process works the queue, with a heartbeat and a recovery pass now and every few seconds."""
    import atexit

    from django.core.management import call_command

    from socready.work import mark_worker
    from socready.work.heartbeat import Heartbeat, new_worker_id

    mark_worker()
    heartbeat = Heartbeat(new_worker_id())
    heartbeat.start()
    atexit.register(heartbeat.stop)
    recover_once()
    if not batch:
        _recover_in_background(RECOVERY_EVERY_S)
    try:
        call_command("db_worker", queue_name="*", interval=interval, batch=batch, reload=False,
                     startup_delay=False, worker_id=heartbeat.worker_id, verbosity=1)
    finally:
        # A batch run returns here with the process still alive (in tests, inside another program): its
        # heartbeat must not outlive it, beating against a database that has moved on.
        heartbeat.stop()
        atexit.unregister(heartbeat.stop)


def worker(
    interval: float = typer.Option(1.0, min=0.1, help="Seconds to wait before looking at an empty queue again."),
    batch: bool = typer.Option(False, "--batch", help="Run the tasks already queued, then exit."),
    processes: int = typer.Option(0, "--processes", min=0,
                                  help="Worker processes to run, each one task at a time "
                                       "(default: SOCREADY_TASK_WORKERS)."),
    parent_pid: int = typer.Option(0, "--parent-pid", hidden=True, help="Exit when this process is gone."),
) -> None:
    """Run queued background tasks (imports, exports, questionnaires, connector runs) until stopped."""
    django_setup.setup(serving=True)  # tasks may sign links or tokens: they need the configured secret
    if not parent_pid:
        django_setup.migrate()  # under `socready serve` the server has migrated already
    if not queue_in_database():
        raise fail("background tasks run inline here (SOCREADY_TASKS_IMMEDIATE=1): there is no queue to work")
    from django.conf import settings

    count = processes or settings.TASK_WORKERS
    if parent_pid:
        _exit_with_parent(parent_pid)
    elif count > 1 and not batch:
        from django.db import connections

        connections.close_all()  # the children open their own
        _supervise(count, interval)
        return
    _run_one(interval, batch)
