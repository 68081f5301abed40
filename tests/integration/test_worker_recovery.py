"""kill -9 of the import worker in the middle of an import: the import is taken over and finishes once.

The real command (`socready worker`) runs in its own process group against a data directory of its own;
the test kills the worker alone (the kernel kills the child parsing the file with it), starts another
worker, and checks that the import ends done with every row, never half-written, that its task row ends
successful after exactly two claims (the dead worker's and the new one's, never a third), and that the
audit trail and the stored files verify. Recovery time is printed (a figure for the notes, not an assertion).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

RUN_CLI = "from socready.cli.main import main; main()"
ROWS = 3_000_000
MAKE_IMPORT = f"""
from socready.cli import django_setup
django_setup.setup(); django_setup.migrate()
from socready.accounts.models import Organization
from socready.programs.models import Control
from socready.evidence import services_population as svc
from socready.evidence.tasks import import_population
org = Organization.objects.create(name="Acme", slug="acme")
control = Control.objects.create(organization=org, code="CM-01", title="Changes", frequency="per-event")
def rows():
    yield b"change_id,merged_on\\n"
    for start in range(0, {ROWS}, 100_000):
        yield b"".join(b"CHG-%08d,2026-0%d-15\\n" % (n, n % 6 + 1) for n in range(start, start + 100_000))
blob = svc.store_upload(rows())
population = svc.create_population(control=control, engagement=None, kind="changes", source_name="changes.csv",
    blob=blob, id_column="change_id", date_column="merged_on", attribute_columns=[], user=None)
import_population.enqueue(population.pk)
"""


def task_rows(database: Path) -> list[tuple[str, list[str]]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
        rows = con.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult").fetchall()
    return [(status, json.loads(workers)) for status, workers in rows]


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(child) for child in found.stdout.split()]


def population_state(database: Path) -> tuple[str, int, int | None, int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
        row = con.execute("SELECT state, progress, rows, attempts FROM evidence_population").fetchone()
    return row[0], row[1], row[2], row[3]


def start_worker(env: dict[str, str], processes: int = 1) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", RUN_CLI, "worker", "--interval", "0.2",
                             "--processes", str(processes)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def wait_for(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_an_import_whose_worker_is_killed_is_taken_over_and_finishes_once(tmp_path: Path) -> None:
    env = {**os.environ, "SOCREADY_DATA_DIR": str(tmp_path / "data"), "SOCREADY_TASKS_IMMEDIATE": "0",
           "SOCREADY_TASK_STALE_SECONDS": "10"}
    env.pop("SOCREADY_DATABASE_URL", None)
    database = tmp_path / "data" / "socready.sqlite3"
    subprocess.run([sys.executable, "-c", MAKE_IMPORT], env=env, check=True, timeout=600)

    first = start_worker(env)
    try:
        assert wait_for(lambda: population_state(database)[:2] == ("running", 30), 300), population_state(database)
        parser = children_of(first.pid)
        os.kill(first.pid, signal.SIGKILL)  # the worker only: the child parsing the file must not outlive it
        first.wait()
        killed_at = time.monotonic()
        assert population_state(database)[0] == "running"  # nothing half-recorded
        assert [status for status, _ in task_rows(database)] == ["RUNNING"]  # what a killed worker leaves
        assert parser and wait_for(lambda: not any(alive(pid) for pid in parser), 10), "the parsing child lived on"
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    second = start_worker(env)
    try:
        assert wait_for(lambda: population_state(database)[0] in ("done", "failed"), 300)
        recovered_in = time.monotonic() - killed_at
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(60)
    state, progress, rows, attempts = population_state(database)
    print(f"\nrecovered after kill -9 in {recovered_in:.1f} s (stale after 10 s, swept every 10 s)")
    assert (state, progress, rows, attempts) == ("done", 100, ROWS, 2)
    [(status, workers)] = task_rows(database)
    assert status == "SUCCESSFUL" and len(workers) == len(set(workers)) == 2  # taken over once, run to the end once
    for command in (["audit", "verify"], ["evidence", "verify"]):
        checked = subprocess.run([sys.executable, "-c", RUN_CLI, *command], env=env, capture_output=True,
                                 text=True, timeout=300, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_frozen_worker_declared_dead_exits_when_it_wakes_instead_of_finishing_a_taken_task(
        tmp_path: Path) -> None:
    # SIGSTOP stands for a worker frozen (or cut off from the database) past the stale limit: another worker
    # declares it dead and would take its tasks over, so on waking it must stop rather than carry on.
    env = {**os.environ, "SOCREADY_DATA_DIR": str(tmp_path / "data"), "SOCREADY_TASKS_IMMEDIATE": "0",
           "SOCREADY_TASK_STALE_SECONDS": "10"}
    env.pop("SOCREADY_DATABASE_URL", None)
    database = tmp_path / "data" / "socready.sqlite3"

    def workers() -> dict[int, bool]:
        if not database.exists():
            return {}
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
            try:
                return {pid: bool(dead) for pid, dead in con.execute("SELECT pid, dead FROM work_workerbeat")}
            except sqlite3.OperationalError:
                return {}  # not migrated yet

    frozen = start_worker(env)
    other = None
    try:
        assert wait_for(lambda: frozen.pid in workers(), 120)
        os.kill(frozen.pid, signal.SIGSTOP)
        other = start_worker(env)
        assert wait_for(lambda: workers().get(frozen.pid) is True, 120), workers()
        os.kill(frozen.pid, signal.SIGCONT)
        assert frozen.wait(60) == 75  # DECLARED_DEAD_EXIT, at its next heartbeat
        assert workers()[other.pid] is False  # the one that took over runs on
    finally:
        for process in (frozen, other):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
