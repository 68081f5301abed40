"""Benchmark: validate and sample a large population CSV, against DuckDB's own count(*) scan of the file.

    .venv/bin/python bench/bench_population.py            # 10 million rows
    .venv/bin/python bench/bench_population.py --rows 1000000

Each measurement runs in its own subprocess so its peak memory (ru_maxrss, which includes DuckDB's
allocations) can be read separately. Times are the best of --repeat runs in the same invocation.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

_CHILD = r"""
import json, sys, time
sys.path.insert(0, SRC)
import duckdb
mode, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = float("inf")
result = None
for _ in range(repeat):
    start = time.perf_counter()
    if mode == "count":
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")
            result = con.execute("SELECT count(*) FROM read_csv($1)", [path]).fetchone()[0]
    else:
        import datetime as dt
        from pathlib import Path
        from socready.core.sampling import Frequency, Risk
        from socready.core.window import Window
        from socready.io.population import PopulationSpec
        from socready.io.population_sample import sample_population
        spec = PopulationSpec("id", "date", (), Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
        drawn = sample_population(Path(path), spec, frequency=Frequency.CONTINUOUS, risk=Risk.HIGH, seed=42,
                                  spread_months=True)
        result = {"rows": drawn.population.record.rows, "sample": drawn.sample.size,
                  "first": drawn.sample.items[:3]}
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "result": result}))
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


def measure(mode: str, path: Path, repeat: int) -> tuple[float, object, float]:
    """Run one measurement in a child process; return best seconds, its result and its peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(repeat)], capture_output=True,
                          text=True, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    data = json.loads(done.stdout.strip().splitlines()[-1])
    # RUSAGE_CHILDREN keeps the largest child so far; children run largest-last would hide earlier ones.
    return data["seconds"], data["result"], max(peak, before) / 1024


def main() -> None:
    """Generate the file, measure both and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socready-bench-") as folder:
        path = Path(folder) / "population.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows, {path.stat().st_size / 2**20:,.0f} MiB in "
              f"{time.perf_counter() - start:.1f} s")
        count_s, count, count_mib = measure("count", path, args.repeat)
        ours_s, ours, ours_mib = measure("sample", path, args.repeat)
    print(f"duckdb count(*) scan      : {count_s:.2f} s  ({count:,} rows, peak {count_mib:,.0f} MiB)")
    print(f"validate + sample (ours)  : {ours_s:.2f} s  (peak {ours_mib:,.0f} MiB)  {ours}")
    print(f"ratio                     : {ours_s / count_s:.2f}x  (target <= 1.5x, peak < 1024 MiB)")


if __name__ == "__main__":
    main()
