"""The background task worker: the ``socready worker`` command and the child process ``socready serve`` keeps.

Queued work (population imports) waits in the database until a worker runs it. ``socready serve`` starts one
worker as a child process, starts it again if it dies, and stops it when the server stops; ``socready worker``
runs one on its own, for installs that keep the web and the worker apart.
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
RECOVERY_EVERY_S = 15.0


def worker_command(parent_pid: int | None = None) -> list[str]:
    """The command line of a ``socready worker`` that exits when process ``parent_pid`` goes away."""
    command = [sys.executable, "-c", _RUN_CLI, "worker"]
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

    def stop(self) -> int | None:
        """Stop the child (SIGTERM, then SIGKILL after ``stop_timeout``); return its exit code."""
        if os.getpid() != self._owner_pid:
            return None
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                console.print("[yellow]The background task worker did not stop in time; killing it.[/]")
                process.kill()
                process.wait()
        if self._watcher is not None:
            self._watcher.join(self.stop_timeout)
        return process.returncode


@contextmanager
def worker_alongside(enabled: bool = True) -> Iterator[TaskWorker | None]:
    """Keep a task worker running for the duration of the block, when enabled and there is a queue to work."""
    if not enabled:
        yield None
        return
    if not queue_in_database():
        console.print("Background tasks run inline (SOCREADY_TASKS_IMMEDIATE=1); no task worker started.")
        yield None
        return
    worker = TaskWorker(worker_command(parent_pid=os.getpid()))
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


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
    """Queue again the imports whose worker died, and remove stale upload temp files (one pass)."""
    from django.db import close_old_connections

    from socready.evidence.tasks import recover_abandoned
    from socready.storage.uploads import remove_stale_temp_files

    try:
        recovered = recover_abandoned()
        if recovered:
            console.print(f"Queued again {len(recovered)} import(s) whose worker stopped: {recovered}")
        remove_stale_temp_files()
    finally:
        close_old_connections()


def _recover_in_background(every: float) -> None:
    """A thread of the worker that runs recover_once every ``every`` seconds; a failed pass is logged, not fatal."""

    def loop() -> None:
        while True:
            try:
                recover_once()
            except Exception as exc:  # noqa: BLE001 - the next pass tries again; the worker keeps working
                console.print(f"[yellow]Recovery pass failed: {exc}[/]")
            time.sleep(every)

    threading.Thread(target=loop, name="socready-recovery", daemon=True).start()


def worker(
    interval: float = typer.Option(1.0, min=0.1, help="Seconds to wait before looking at an empty queue again."),
    batch: bool = typer.Option(False, "--batch", help="Run the tasks already queued, then exit."),
    parent_pid: int = typer.Option(0, "--parent-pid", hidden=True, help="Exit when this process is gone."),
) -> None:
    """Run queued background tasks (population imports) until stopped."""
    django_setup.setup(serving=True)  # tasks may sign links or tokens: they need the configured secret
    if not parent_pid:
        django_setup.migrate()  # under `socready serve` the server has migrated already
    if not queue_in_database():
        raise fail("background tasks run inline here (SOCREADY_TASKS_IMMEDIATE=1): there is no queue to work")
    if parent_pid:
        _exit_with_parent(parent_pid)
    if batch:
        recover_once()
    else:
        _recover_in_background(RECOVERY_EVERY_S)
    from django.core.management import call_command

    call_command("db_worker", queue_name="*", interval=interval, batch=batch, reload=False, startup_delay=False,
                 verbosity=1)
