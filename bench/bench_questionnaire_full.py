"""HECVAT-Full-size benchmark: a 1,000-question workbook read, scanned, mapped and drafted for the demo org.

The workbook has the traits of a current HECVAT (tests/hecvat_like.py): formula question cells with
cached values, an x14 drop-down answer column, a 700 x 340 scoring sheet, a sheet declaring 1,048,576
rows, a change log, an analyst sheet and hidden lookups; its 1,000 questions cycle through
bench/drafting_questions.yaml. The demo organization is loaded into a throwaway database first (not
timed), as a running server would have it. Then, timed: reading the file, scanning it for asks, mapping
and drafting every question, and writing the copy to send. Peak memory is the process's maximum
resident set size, demo loading included.

Target: read + scan + map + draft under 5 s on two cores, peak memory under 500 MB.

Run: .venv/bin/python bench/bench_questionnaire_full.py [--questions 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

TARGET_S = 5.0
TARGET_MB = 500
HERE = Path(__file__).parent


def questions(count: int) -> list[tuple[str, str, str]]:
    texts = [item["q"] for item in yaml.safe_load((HERE / "drafting_questions.yaml").read_text())["questions"]]
    return [(f"Q-{n:04d}", texts[n % len(texts)], "Provide supporting documentation." if n % 7 == 0 else "")
            for n in range(1, count + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="socready-bench-") as folder:
        os.environ["SOCREADY_DATA_DIR"] = folder
        os.environ.pop("SOCREADY_DATABASE_URL", None)
        from socready.cli import django_setup

        django_setup.setup()
        django_setup.migrate()
        from socready.accounts.models import Organization
        from socready.core.questionnaires.answering import Answerer, summarize
        from socready.core.questionnaires.asks import scan_questions
        from socready.core.questionnaires.mapping import default_mapper
        from socready.demo.organization import ensure_demo
        from socready.io.questionnaire import read_questionnaire
        from socready.io.questionnaire.answers import FilledAnswer, write_answers
        from socready.snapshot import build_view
        from tests.hecvat_like import build

        ensure_demo()
        snapshot = build_view(Organization.objects.get(slug="demo")).snapshot
        mapper = default_mapper()  # built once per process, as in a running server
        path = build(Path(folder) / "hecvat_full_size.xlsx", questions=questions(args.questions))
        size_mb = path.stat().st_size / 1e6

        started = time.perf_counter()
        questionnaire = read_questionnaire(path)
        read_s = time.perf_counter() - started
        asks = scan_questions(questionnaire.questions)
        scan_s = time.perf_counter() - started - read_s
        answerer = Answerer(snapshot, mapper.controls)
        drafts = [answerer.answer(q, mapper.map(q.text, question_id=q.id, control_limit=8))
                  for q in questionnaire.questions]
        total = time.perf_counter() - started
        draft_s = total - read_s - scan_s
        written = write_answers(path, [FilledAnswer(d.question_id, d.question, d.location, d.answer, d.explanation)
                                       for d in drafts], Path(folder) / "to-send.xlsx", internal=False)
        write_s = time.perf_counter() - started - total
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = summarize(drafts)
    ok = total < TARGET_S and peak_mb < TARGET_MB
    print(f"{len(questionnaire.questions)} questions in a {size_mb:.1f} MB workbook "
          f"({len(questionnaire.skipped)} sheets skipped: {', '.join(s.name for s in questionnaire.skipped)})")
    print(f"read {read_s:.3f} s, scan {scan_s:.3f} s ({len(asks)} asks), map + draft {draft_s:.3f} s; "
          f"total {total:.3f} s (target < {TARGET_S:.0f} s)")
    print(f"copy to send written in {write_s:.3f} s ({written.written} answers); peak memory {peak_mb:.0f} MB "
          f"(target < {TARGET_MB} MB) {'PASS' if ok else 'FAIL'}")
    print(f"drafts: Yes {summary.yes}, No {summary.no}, Partial {summary.partial}, N/A {summary.na}, "
          f"no answer {summary.unanswered}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
