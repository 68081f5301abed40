"""kill -9 of the import worker in the middle of an import: the import is taken over and finishes once.

The real command (`socready worker`) runs in its own process group against a data directory of its own;
the test kills the whole group (worker and the child parsing the file), starts another worker, and
checks that the import ends done with every row, never half-written, and that the audit trail and the
stored files verify. Recovery time is printed (it is a figure for the notes, not an assertion).
"""

from __future__ import annotations

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


def population_state(database: Path) -> tuple[str, int, int | None, int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
        row = con.execute("SELECT state, progress, rows, attempts FROM evidence_population").fetchone()
    return row[0], row[1], row[2], row[3]


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", RUN_CLI, "worker", "--interval", "0.2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_for(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_an_import_whose_worker_is_killed_is_taken_over_and_finishes_once(tmp_path: Path) -> None:
    env = {**os.environ, "SOCREADY_DATA_DIR": str(tmp_path / "data"), "SOCREADY_TASKS_IMMEDIATE": "0",
           "SOCREADY_IMPORT_STALE_SECONDS": "10"}
    env.pop("SOCREADY_DATABASE_URL", None)
    database = tmp_path / "data" / "socready.sqlite3"
    subprocess.run([sys.executable, "-c", MAKE_IMPORT], env=env, check=True, timeout=600)

    first = start_worker(env)
    try:
        assert wait_for(lambda: population_state(database)[:2] == ("running", 30), 300), population_state(database)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and the child process parsing the file
        first.wait()
        killed_at = time.monotonic()
        assert population_state(database)[0] == "running"  # nothing half-recorded
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
    print(f"\nrecovered after kill -9 in {recovered_in:.1f} s (stale after 10 s, swept every 15 s)")
    assert (state, progress, rows, attempts) == ("done", 100, ROWS, 2)
    for command in (["audit", "verify"], ["evidence", "verify"]):
        checked = subprocess.run([sys.executable, "-c", RUN_CLI, *command], env=env, capture_output=True,
                                 text=True, timeout=300, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr
