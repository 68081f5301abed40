"""How many facts the SOC report reader gets right on the report variants of tests/soc_variety.py.

Each variant is written as a PDF (WeasyPrint) into a temporary folder and read as ``socready vendor read``
reads it; the facts read are compared with those expected. Prints right/total by fact and every miss.
Run from the checkout root: ``.venv/bin/python bench/bench_soc_variety.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from socready.core.errors import InputError  # noqa: E402
from socready.io.socreport.reader import read_soc_report  # noqa: E402
from tests.soc_variety import FACTS, VARIANTS, Tally, build, score  # noqa: E402


def main() -> int:
    tally = Tally()
    misses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="soc-variety-") as folder:
        for variant in VARIANTS:
            path = build(variant, Path(folder))
            try:
                facts = read_soc_report(path, ocr=None)
            except InputError as exc:
                tally.add(dict.fromkeys(variant.expect, (False, None, None)))
                misses.append(f"{variant.name}: refused: {exc}")
                continue
            scored = score(facts, variant.expect)
            tally.add(scored)
            misses += [f"{variant.name}: {name}: read {got!r}, expected {want!r}"
                       for name, (ok, got, want) in scored.items() if not ok]
    for name in FACTS:
        if name in tally.total:
            print(f"{name:26} {tally.right[name]:3}/{tally.total[name]}")
    right, total = sum(tally.right.values()), sum(tally.total.values())
    print(f"{'all facts':26} {right:3}/{total} ({100 * right / total:.0f}%) over {len(VARIANTS)} reports")
    for miss in misses:
        print("miss:", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
