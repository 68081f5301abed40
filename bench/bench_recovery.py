"""Recovery after kill -9 of a task worker in the middle of an import, with the default settings.

Queues a 3,000,000-row population import in a throwaway data directory, starts `socready worker`, kills
it with SIGKILL while the file is being validated, starts another worker, and prints how long it took
from the kill until the task was queued again (or taken by the new worker) and until the import was done.
Run: .venv/bin/python bench/bench_recovery.py
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.test_worker_recovery import (  # noqa: E402
    MAKE_IMPORT,
    population_state,
    start_worker,
    task_rows,
    wait_for,
)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="socready-recovery-") as folder:
        env = {**os.environ, "SOCREADY_DATA_DIR": str(Path(folder) / "data"), "SOCREADY_TASKS_IMMEDIATE": "0",
               "SOCREADY_SECRET_KEY": secrets.token_urlsafe(50)}
        for name in ("SOCREADY_DATABASE_URL", "SOCREADY_TASK_STALE_SECONDS", "SOCREADY_DEBUG"):
            env.pop(name, None)
        env.setdefault("SOCREADY_CONNECTOR_KEY", "dGVzdHMtb25seS1jb25uZWN0b3Ita2V5LTAxMjM0NTY=")
        database = Path(folder) / "data" / "socready.sqlite3"
        subprocess.run([sys.executable, "-c", MAKE_IMPORT], env=env, check=True, timeout=600)
        first = start_worker(env)
        if not wait_for(lambda: population_state(database)[:2] == ("running", 30), 300):
            first.kill()
            print("the import never started")
            return 1
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        second = start_worker(env)
        try:
            wait_for(lambda: task_rows(database)[0][0] != "RUNNING" or len(task_rows(database)[0][1]) == 2, 300)
            queued_again = time.monotonic() - killed
            wait_for(lambda: population_state(database)[0] in ("done", "failed"), 600)
            finished = time.monotonic() - killed
        finally:
            os.kill(second.pid, signal.SIGTERM)
            second.wait(60)
        state, _, rows, attempts = population_state(database)
        print(f"kill -9 to task queued again: {queued_again:.1f} s; to import {state}: {finished:.1f} s "
              f"({rows:,} rows, {attempts} attempts; SOCREADY_TASK_STALE_SECONDS default, sweep every 10 s)")
        return 0 if state == "done" else 1


if __name__ == "__main__":
    raise SystemExit(main())
