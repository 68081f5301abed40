"""Benchmark: validate and sample a large population CSV, against DuckDB's own count(*) scan of the file.

    .venv/bin/python bench/bench_population.py            # 10 million rows
    .venv/bin/python bench/bench_population.py --rows 1000000 --rounds 2 --repeat 2

Every measurement runs in a fresh subprocess that reports its own peak memory (ru_maxrss, which includes
DuckDB's allocations) and CPU time. The baseline and our import alternate, round after round, on the
same file in the same invocation, so a busy machine slows both alike; each figure is the best run seen.
The SHA-256 of the file alone is timed too, as a reference: the import must compute it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SRC = str(Path(__file__).resolve().parents[1] / "src")

_CHILD = r"""
import hashlib, json, resource, sys, time
sys.path.insert(0, SRC)
import duckdb
mode, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def count():
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        return con.execute("SELECT count(*) FROM read_csv($1)", [path]).fetchone()[0]

def sha256():
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()[:12]

def sample():
    import datetime as dt
    from pathlib import Path
    from socready.core.sampling.draw import Frequency, Risk
    from socready.core.window import Window
    from socready.io.population import PopulationSpec
    from socready.io.population_sample import sample_population
    spec = PopulationSpec("id", "date", (), Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
    drawn = sample_population(Path(path), spec, frequency=Frequency.CONTINUOUS, risk=Risk.HIGH, seed=42,
                              spread_months=True)
    return {"rows": drawn.population.record.rows, "sample": drawn.sample.size, "first": drawn.sample.items[:3]}

run = {"count": count, "sha256": sha256, "sample": sample}[mode]
best, best_cpu, result = float("inf"), float("inf"), None
for _ in range(repeat):
    start, used = time.perf_counter(), cpu()
    result = run()
    elapsed = time.perf_counter() - start
    if elapsed < best:
        best, best_cpu = elapsed, cpu() - used
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": best, "cpu": best_cpu, "peak_mib": peak, "result": result}))
""".replace("SRC", repr(SRC))


def generate(path: Path, rows: int) -> None:
    """Write a CSV of ``rows`` changes: id, date in the first half of 2026, status and owner."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"""COPY (SELECT 'CHG-' || lpad(((i * 7919) % {rows})::VARCHAR, 9, '0') AS id,
                              DATE '2026-01-01' + (i % 181)::INTEGER AS date,
                              CASE WHEN i % 3 = 0 THEN 'approved' ELSE 'pending' END AS status,
                              'user' || (i % 97) AS owner
                        FROM range({rows}) t(i)) TO $1 (HEADER)""", [str(path)])


@dataclass
class Figures:
    """The best run of one kind of measurement, and the highest peak memory of any of its runs."""

    seconds: float
    cpu: float
    peak_mib: float
    result: Any

    def merge(self, other: Figures) -> Figures:
        """Keep the faster run's time and result, and the larger peak."""
        faster = self if self.seconds <= other.seconds else other
        return Figures(faster.seconds, faster.cpu, max(self.peak_mib, other.peak_mib), faster.result)


def measure(mode: str, path: Path, repeat: int) -> Figures:
    """Run one measurement in a child process; return its best seconds, CPU seconds, peak MiB and result."""
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(repeat)], capture_output=True,
                          text=True, check=True)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Figures(data["seconds"], data["cpu"], data["peak_mib"], data["result"])


def main() -> None:
    """Generate the file, measure the baseline and our import in alternation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternations of baseline and import")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs inside each child process")
    args = parser.parse_args()
    best: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="socready-bench-") as folder:
        path = Path(folder) / "population.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size
        print(f"generated {args.rows:,} rows, {size / 2**20:,.0f} MiB in {time.perf_counter() - start:.1f} s; "
              f"{os.cpu_count()} CPUs")
        for _ in range(args.rounds):
            for mode in ("count", "sample", "sha256"):
                figures = measure(mode, path, args.repeat)
                best[mode] = best[mode].merge(figures) if mode in best else figures
    count, ours, sha = best["count"], best["sample"], best["sha256"]
    if ours.result["rows"] != count.result:
        raise SystemExit(f"row counts differ: ours {ours.result['rows']}, DuckDB {count.result}")
    print(f"duckdb count(*) scan      : {count.seconds:.2f} s  cpu {count.cpu:.2f} s  "
          f"({count.result:,} rows, peak {count.peak_mib:,.0f} MiB)")
    print(f"validate + sample (ours)  : {ours.seconds:.2f} s  cpu {ours.cpu:.2f} s  "
          f"(peak {ours.peak_mib:,.0f} MiB)  {ours.result}")
    print(f"sha-256 of the file alone : {sha.seconds:.2f} s  (one core; ours must compute it too)")
    print(f"ratio                     : {ours.seconds / count.seconds:.2f}x  (target <= 1.5x, peak < 1024 MiB)")


if __name__ == "__main__":
    main()
