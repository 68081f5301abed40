"""Answering benchmark: draft answers to a generated 300-question workbook for the demo organization.

Creates a throwaway data directory, migrates a fresh SQLite database, loads the demo organization
(``ensure_demo``), writes the same generated workbook as bench_questionnaire.py, then times each step of
``socready questionnaire answer``: reading the file, reading the program from the database, drafting every
answer (mapping included) and writing the filled copy. Prints the seconds per step, the total against the
target (under 5 s for 300 questions), how the drafts came out, and the time of the web upload of the same
file (which also stores it and writes one audited row per answer).

Run: .venv/bin/python bench/bench_answering.py [--questions 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="socready-bench-") as folder:
        os.environ["SOCREADY_DATA_DIR"] = folder
        os.environ.pop("SOCREADY_DATABASE_URL", None)
        from socready.cli import django_setup

        django_setup.setup()
        django_setup.migrate()
        from bench_questionnaire import load_devset, make_workbook

        from socready.accounts.models import Organization
        from socready.core.questionnaires.answering import Answerer, summarize
        from socready.core.questionnaires.mapping import default_mapper
        from socready.demo.organization import ensure_demo
        from socready.io.questionnaire import read_questionnaire
        from socready.io.questionnaire.answers import from_draft, write_answers
        from socready.snapshot import build_view

        ensure_demo()
        org = Organization.objects.get(slug="demo")
        path = Path(folder) / "generated.xlsx"
        make_workbook(path, args.questions, load_devset())
        mapper = default_mapper()  # built once per process, as in a running server; not part of the timing

        started = time.perf_counter()
        questionnaire = read_questionnaire(path)
        read_s = time.perf_counter() - started
        snapshot = build_view(org).snapshot
        snapshot_s = time.perf_counter() - started - read_s
        answerer = Answerer(snapshot, mapper.controls)
        drafts = [answerer.answer(q, mapper.map(q.text, question_id=q.id, control_limit=8))
                  for q in questionnaire.questions]
        draft_s = time.perf_counter() - started - read_s - snapshot_s
        written = write_answers(path, [from_draft(d) for d in drafts], Path(folder) / "filled.xlsx")
        total = time.perf_counter() - started
        write_s = total - read_s - snapshot_s - draft_s

        # The web upload does the same and also stores the file and one audited row per answer.
        from django.core.files.uploadedfile import SimpleUploadedFile

        from socready.questionnaires.services_reading import store_questionnaire

        started = time.perf_counter()
        store_questionnaire(org, None, SimpleUploadedFile("generated.xlsx", path.read_bytes()))
        upload_s = time.perf_counter() - started
    summary = summarize(drafts)
    print(f"demo program: {len(snapshot.controls)} controls, {sum(len(c.evidence) for c in snapshot.controls)} "
          f"evidence links, {len(snapshot.engagements)} engagements")
    print(f"{len(questionnaire.questions)}-question xlsx: read {read_s:.3f} s, program {snapshot_s:.3f} s, "
          f"draft {draft_s:.3f} s, write {write_s:.3f} s; total {total:.3f} s (target < {TARGET_S:.0f} s) "
          f"{'PASS' if total < TARGET_S else 'FAIL'}")
    print(f"drafts: Yes {summary.yes}, No {summary.no}, Partial {summary.partial}, no answer {summary.unanswered}, "
          f"needs review {summary.needs_review}; {written.written} answers written")
    print(f"web upload of the same file (store, draft, {len(drafts)} audited answer rows): {upload_s:.3f} s")
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
