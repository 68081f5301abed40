"""Benchmark readiness scoring (150 controls, 10,000 evidence items) and the PDF report.

Run: .venv/bin/python bench/bench_readiness.py [--runs N] [--skip-database]
Targets: readiness under 100 ms (median), PDF of a demo-sized snapshot under 5 s, and the PDF for the demo
organization under 5 s measured end to end as the downloads page makes it: read from the database (a throwaway
SQLite data directory with the demo loaded by ``ensure_demo``), scored, rendered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from socready.core.controls.library import default_library
from socready.core.readiness.scoring import assess
from socready.core.readiness.snapshot import (
    ControlState,
    Engagement,
    EvidenceItem,
    ProgramSnapshot,
    RemediationTask,
    SampleSummary,
)
from socready.io.exports.report_pdf import write_report_pdf

TODAY = dt.date(2026, 9, 1)
STATUSES = ("operating", "operating", "operating", "implemented", "designed", "in_progress", "not_started")


def synthetic(controls: int, evidence: int, seed: int = 7) -> ProgramSnapshot:
    """A reproducible program: the library's controls, evidence spread over the last year."""
    rng = random.Random(seed)
    soc2 = Engagement(
        "soc2",
        "soc2",
        "Type II",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        categories=("Security", "Availability", "Confidentiality", "Processing Integrity"),
    )
    soc1 = Engagement(
        "soc1",
        "soc1",
        "Type I",
        as_of=dt.date(2026, 10, 31),
        objectives=("ITGC-ACCESS", "ITGC-CHANGE", "ITGC-OPS", "ITGC-BACKUP", "PAYROLL-01"),
    )
    library = list(default_library().controls)
    chosen = (library * (controls // len(library) + 1))[:controls]
    per_control = evidence // controls
    states = []
    for index, control in enumerate(chosen):
        items = tuple(
            EvidenceItem(f"E{index}-{n}", "record", TODAY - dt.timedelta(days=rng.randint(0, 365)))
            for n in range(per_control + (1 if index < evidence % controls else 0))
        )
        engagements = tuple(
            e.id for e, on in ((soc2, bool(control.criteria)), (soc1, bool(control.objectives))) if on
        )
        states.append(
            ControlState(
                control=control,
                status=STATUSES[index % len(STATUSES)],
                owner="Owner",
                engagements=engagements,
                evidence=items,
                samples=SampleSummary(25, 1 if index % 9 == 0 else 0),
            )
        )
    # Repeating library controls for a larger program needs unique ids.
    unique = []
    for index, state in enumerate(states):
        if index >= len(library):
            state = replace(state, control=replace(state.control, id=f"{state.control.id}-{index}"))
        unique.append(state)
    tasks = tuple(
        RemediationTask(f"Task {n}", unique[n].id, "Owner", TODAY + dt.timedelta(days=n)) for n in range(30)
    )
    return ProgramSnapshot("Bench Co", (soc2, soc1), tuple(unique), tasks, TODAY)


PDF_TARGET_S = 5.0


def demo_pdf_from_database(runs: int = 3) -> bool:
    """Time the demo organization's PDF from the database: read the program, score it, render the PDF."""
    with tempfile.TemporaryDirectory(prefix="socready-bench-demo-") as folder:
        # Set before Django starts: a fresh SQLite database in the throwaway folder, never a configured one.
        os.environ["SOCREADY_DATA_DIR"] = folder
        os.environ.pop("SOCREADY_DATABASE_URL", None)
        from socready.cli import django_setup

        django_setup.setup()
        django_setup.migrate()
        from django.db import connections

        from socready.accounts.models import Organization
        from socready.demo.organization import ensure_demo
        from socready.reports.exports import write_export
        from socready.reports.services import program_readiness

        slug = ensure_demo()["slug"]
        org = Organization.objects.get(slug=slug)
        write_export(program_readiness(org), "report-pdf", Path(folder) / "warm.pdf")  # fonts, templates
        reads, totals = [], []
        for _ in range(runs):
            start = time.perf_counter()
            program = program_readiness(org)
            read = time.perf_counter()
            path = write_export(program, "report-pdf", Path(folder) / "demo.pdf")
            totals.append(time.perf_counter() - start)
            reads.append(read - start)
        size = path.stat().st_size
        controls = len(program.snapshot.controls)
        connections.close_all()
    total = statistics.median(totals)
    print(
        f"report-pdf: demo organization from the database ({controls} controls, {size // 1024} KiB): median "
        f"{total:.2f} s over {runs} runs, of which reading and scoring {statistics.median(reads) * 1000:.0f} ms "
        f"(target < {PDF_TARGET_S:.0f} s) {'PASS' if total < PDF_TARGET_S else 'FAIL'}"
    )
    return total < PDF_TARGET_S


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-database", action="store_true", help="Skip the demo organization PDF figure.")
    args = parser.parse_args()
    library = default_library()
    snapshot = synthetic(150, 10_000)
    assess(snapshot, library=library)  # warm caches (catalog load) before timing
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = assess(snapshot, library=library)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"readiness: 150 controls, 10,000 evidence items: median {statistics.median(timings):.1f} ms, "
        f"min {min(timings):.1f} ms over {args.runs} runs (target < 100 ms); overall {result.overall.value}, "
        f"{len(result.gaps)} gaps"
    )
    demo = synthetic(40, 1_200)
    demo_result = assess(demo, library=library)
    with tempfile.TemporaryDirectory() as temp:
        pdf_times = []
        for _ in range(3):
            start = time.perf_counter()
            write_report_pdf(demo, demo_result, Path(temp) / "r.pdf", ["reason one", "reason two"])
            pdf_times.append(time.perf_counter() - start)
    print(
        f"report-pdf: demo snapshot (40 controls): median {statistics.median(pdf_times):.2f} s over 3 runs "
        f"(target < 5 s)"
    )
    if not args.skip_database:
        demo_pdf_from_database()


if __name__ == "__main__":
    main()
