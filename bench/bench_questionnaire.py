"""Questionnaire benchmark: mapping quality on the labeled dev set, and the time to scan and map a workbook.

Prints hit@3 (share of questions with an expected criterion among the top three) and recall@5 (share of
expected criteria found in the top five, averaged over questions) for the socready mapper and for a plain
BM25 baseline over each criterion's title and summary, both measured in this run, then the seconds taken to
read, scan and map a generated 300-question .xlsx.

Run: .venv/bin/python bench/bench_questionnaire.py [--questions 300]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import yaml
from openpyxl import Workbook

from socready.core.catalog.catalog import default_catalog
from socready.core.questionnaires.asks import scan_questions
from socready.core.questionnaires.mapping import QuestionMapper, default_mapper, library_controls, tokenize
from socready.core.questionnaires.vocabulary import default_vocabulary
from socready.io.questionnaire import read_questionnaire

DEVSET = Path(__file__).with_name("devset_questions.yaml")
Rank = Callable[[str], Sequence[str]]


def load_devset() -> list[tuple[str, set[str]]]:
    data = yaml.safe_load(DEVSET.read_text(encoding="utf-8"))
    return [(item["q"], set(item["expect"])) for item in data["questions"]]


def baseline_ranker() -> Rank:
    """Plain BM25 over title + summary, the same tokenizer, no vocabulary, no controls, no phrases."""
    criteria = default_catalog().criteria
    index = bm25s.BM25()
    index.index([tokenize(f"{c.title} {c.summary}") or ["_"] for c in criteria], show_progress=False)
    ids = [c.id for c in criteria]

    def rank(text: str) -> list[str]:
        tokens = tokenize(text)
        if not tokens:
            return []
        scores = np.asarray(index.get_scores(tokens))
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:5] if scores[i] > 0]

    return rank


def evaluate(rank: Rank, devset: list[tuple[str, set[str]]]) -> tuple[float, float]:
    hits = 0
    recall = 0.0
    for text, expected in devset:
        ranked = list(rank(text))
        hits += bool(expected & set(ranked[:3]))
        recall += len(expected & set(ranked[:5])) / len(expected)
    return hits / len(devset), recall / len(devset)


def make_workbook(path: Path, count: int, devset: list[tuple[str, set[str]]]) -> None:
    """Write a two-sheet questionnaire with a title block, sections and ids, drawing on varied wording."""
    rng = random.Random(7)
    book = Workbook()
    sheets = [book.active, book.create_sheet("Privacy")]
    for number, sheet in enumerate(sheets):
        sheet.title = sheet.title if number else "Security"
        sheet.append(["Vendor security assessment"])
        sheet.append(["Instructions: answer every question and add comments where useful."])
        sheet.append([])
        sheet.append(["ID", "Question", "Answer", "Comments", "Guidance"])
    asks = ["Please attach your latest SOC 2 Type II report.", "Do you have an ISO 27001 certificate?"]
    for index in range(count):
        sheet = sheets[index * 2 // count]
        if index % 25 == 0:
            sheet.append(["", f"Section {index // 25 + 1}"])
        text = asks[index % 2] if index < 2 else rng.choice(devset)[0]
        sheet.append([f"SEC-{index + 1:03d}", text, rng.choice(["Yes", "No", "N/A"]), "", ""])
    book.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args(argv)
    devset = load_devset()
    series = {c.split(".")[0] for _, expected in devset for c in expected}
    print(f"dev set: {len(devset)} questions, {len(series)} criteria series")

    started = time.perf_counter()
    mapper = default_mapper()
    build = time.perf_counter() - started
    catalog, vocabulary, controls = default_catalog(), default_vocabulary(), library_controls()
    rankers: list[tuple[str, Rank]] = [
        ("baseline: BM25 over title+summary", baseline_ranker()),
        ("socready without vocabulary/controls",
         lambda t, m=QuestionMapper(catalog, None, ()): m.map(t).criterion_ids),
        ("socready with vocabulary, no controls",
         lambda t, m=QuestionMapper(catalog, vocabulary, ()): m.map(t).criterion_ids),
        (f"socready mapper (vocabulary + {len(controls)} controls)", lambda t: mapper.map(t).criterion_ids),
    ]
    print(f"{'ranker':<52} {'hit@3':>7} {'recall@5':>9}")
    for name, rank in rankers:
        hit3, recall5 = evaluate(rank, devset)
        print(f"{name:<52} {hit3:>7.3f} {recall5:>9.3f}")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.xlsx"
        make_workbook(path, args.questions, devset)
        started = time.perf_counter()
        questionnaire = read_questionnaire(path)
        read_s = time.perf_counter() - started
        asks = scan_questions(questionnaire.questions, source=str(path))
        scan_s = time.perf_counter() - started - read_s
        mapper.map_many((q.id, q.text) for q in questionnaire.questions)
        total = time.perf_counter() - started
    print(f"index build (once per process): {build:.3f} s")
    print(f"{len(questionnaire.questions)}-question xlsx: read {read_s:.3f} s, scan {scan_s:.3f} s "
          f"({len(asks)} asks), read+scan+map {total:.3f} s (target < 3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
