"""Drafting benchmark: how many of 250 realistic questions the demo organization's program answers rightly.

Loads the demo organization into a throwaway database, drafts an answer to every question of
bench/drafting_questions.yaml (written for socready, each hand-labelled with the library controls that
answer it) and prints:

* drafted: the share of questions that got an answer (Yes, No, Partial or N/A);
* drafted right: the share that got an answer whose first cited control is one the label accepts
  (the measure the target of 60% applies to);
* cited wrongly: answers resting on a control the label does not accept;
* left to a person: questions labelled with no control (descriptions, names, reports) that got no answer.

With --show, each question is printed with its draft and label.

Run: .venv/bin/python bench/bench_drafting.py [--show]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

TARGET = 0.60
HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every question with its draft")
    args, _ = parser.parse_known_args(argv)
    items = yaml.safe_load((HERE / "drafting_questions.yaml").read_text(encoding="utf-8"))["questions"]
    with tempfile.TemporaryDirectory(prefix="socready-bench-") as folder:
        os.environ["SOCREADY_DATA_DIR"] = folder
        os.environ.pop("SOCREADY_DATABASE_URL", None)
        from socready.cli import django_setup

        django_setup.setup()
        django_setup.migrate()
        from socready.accounts.models import Organization
        from socready.core.questionnaires.answering import Answerer
        from socready.core.questionnaires.mapping import default_mapper
        from socready.demo.organization import ensure_demo
        from socready.io.questionnaire import Question
        from socready.snapshot import build_view

        ensure_demo()
        snapshot = build_view(Organization.objects.get(slug="demo")).snapshot
        mapper = default_mapper()
        answerer = Answerer(snapshot, mapper.controls)
        outcome: Counter[str] = Counter()
        answered_kinds: Counter[str] = Counter()
        for number, item in enumerate(items, start=1):
            question = Question(id=f"D{number}", text=item["q"], location=f"item {number}")
            draft = answerer.answer(question, mapper.map(question.text, question_id=question.id, control_limit=8))
            expected = set(item["expect"])
            lead = draft.controls[0].code if draft.controls else None
            if draft.answer is not None:
                outcome["drafted"] += 1
                answered_kinds[draft.answer] += 1
                if lead in expected:
                    outcome["right"] += 1
                elif lead is not None or expected:
                    outcome["wrong"] += 1
            elif not expected:
                outcome["left to a person"] += 1
            if args.show:
                mark = "ok " if draft.answer is not None and lead in expected else \
                    "-- " if draft.answer is None else "BAD"
                print(f"{mark} {draft.answer or '-':8} {lead or '-':7} want {','.join(sorted(expected)) or '-':16} "
                      f"{item['q'][:80]}")
    total = len(items)
    unlabelled = sum(1 for i in items if not i["expect"])
    right = outcome["right"] / total
    print(f"{total} questions ({unlabelled} that no control answers), demo organization with "
          f"{len(snapshot.controls)} controls")
    print(f"drafted {outcome['drafted']} ({outcome['drafted'] / total:.0%}): "
          + ", ".join(f"{k} {v}" for k, v in sorted(answered_kinds.items())))
    print(f"drafted right (first cited control answers the question): {outcome['right']} ({right:.0%}; "
          f"target >= {TARGET:.0%}) {'PASS' if right >= TARGET else 'FAIL'}")
    print(f"drafted on a control the label does not accept: {outcome['wrong']}; "
          f"left to a person as expected: {outcome['left to a person']} of {unlabelled}")
    return 0 if right >= TARGET else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
