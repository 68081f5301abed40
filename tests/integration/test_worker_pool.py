"""Several task workers: two tenants' imports run at the same time, each by its own worker process.

`socready worker --processes 2` runs two worker processes. Two organizations each queue a large import;
both end done, and their task rows show two different workers holding them over overlapping spans (each
started before the other finished). One worker process would have run them one after the other.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.integration.test_worker_recovery import RUN_CLI, start_worker, wait_for

ROWS = 1_000_000
MAKE_IMPORTS = f"""
from socready.cli import django_setup
django_setup.setup(); django_setup.migrate()
from socready.accounts.models import Organization
from socready.programs.models import Control
from socready.evidence import services_population as svc
for slug in ("acme", "globex"):
    org = Organization.objects.create(name=slug.title(), slug=slug)
    control = Control.objects.create(organization=org, code="CM-01", title="Changes", frequency="per-event")
    def rows():
        yield b"change_id,merged_on\\n"
        for start in range(0, {ROWS}, 100_000):
            yield b"".join(b"%s-%08d,2026-0%d-15\\n" % (slug.encode(), n, n % 6 + 1)
                           for n in range(start, start + 100_000))
    blob = svc.store_upload(rows())
    svc.create_population(control=control, engagement=None, kind="changes", source_name="changes.csv", blob=blob,
                          id_column="change_id", date_column="merged_on", attribute_columns=[], user=None)
"""
ENQUEUE = """
from socready.cli import django_setup
django_setup.setup()
from socready.evidence.models import Population
from socready.evidence.tasks import import_population
for population in Population.objects.order_by("pk"):
    import_population.enqueue(population.pk)
"""


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
        return con.execute(sql).fetchall()


def _when(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def test_two_workers_import_two_tenants_files_at_the_same_time(tmp_path: Path) -> None:
    env = {**os.environ, "SOCREADY_DATA_DIR": str(tmp_path / "data"), "SOCREADY_TASKS_IMMEDIATE": "0"}
    env.pop("SOCREADY_DATABASE_URL", None)
    database = tmp_path / "data" / "socready.sqlite3"
    subprocess.run([sys.executable, "-c", MAKE_IMPORTS], env=env, check=True, timeout=600)
    pool = start_worker(env, processes=2)
    try:
        # Both workers are up and polling before anything is queued.
        assert wait_for(lambda: _query(database, "SELECT count(*) FROM work_workerbeat WHERE NOT dead")[0][0] == 2,
                        120)
        subprocess.run([sys.executable, "-c", ENQUEUE], env=env, check=True, timeout=300)
        assert wait_for(lambda: _query(database, "SELECT count(*) FROM evidence_population "
                                                 "WHERE state IN ('done', 'failed')")[0][0] == 2, 600)
    finally:
        os.kill(pool.pid, signal.SIGTERM)  # the supervisor stops both workers
        pool.wait(120)
    assert _query(database, "SELECT state, rows FROM evidence_population") == [("done", ROWS), ("done", ROWS)]
    tasks = _query(database, "SELECT status, worker_ids, started_at, finished_at "
                             "FROM django_tasks_database_dbtaskresult ORDER BY started_at")
    assert [status for status, *_ in tasks] == ["SUCCESSFUL", "SUCCESSFUL"]
    (_, first_workers, first_start, first_end), (_, second_workers, second_start, second_end) = tasks
    assert first_workers != second_workers  # each held by its own worker
    assert _when(second_start) < _when(first_end) and _when(first_start) < _when(second_end)  # at the same time
    # The supervisor stopped its workers cleanly: neither is left counted as alive.
    assert _query(database, "SELECT count(*) FROM work_workerbeat WHERE NOT dead") == [(0,)]
    assert subprocess.run([sys.executable, "-c", RUN_CLI, "audit", "verify"], env=env, capture_output=True,
                          timeout=300, check=False).returncode == 0
