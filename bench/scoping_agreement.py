"""How often free-text scoping agrees with a practitioner's answer, and how fast it is.

Reads tests/data/profiles/agreement/descriptions.yaml (descriptions with the expected SOC 1 / SOC 2
decision and categories), scopes each from its description alone, and prints the agreement figures and
the misses. Run: .venv/bin/python bench/scoping_agreement.py [--verbose]
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import yaml

from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import recommend

CASES = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "profiles" / "agreement" / "descriptions.yaml"
)
TODAY = dt.date(2026, 1, 15)


def main() -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    verbose = "--verbose" in sys.argv
    decision = soc1 = soc2 = exact = 0
    misses = []
    started = time.perf_counter()
    for case in cases:
        rec = recommend(
            profile_from_dict({"name": case["id"], "description": case["description"]}), today=TODAY
        )
        got_cats = sorted(rec.soc2_categories)
        want_cats = sorted(case["categories"])
        soc1 += rec.soc1 == case["soc1"]
        soc2 += rec.soc2 == case["soc2"]
        both = rec.soc1 == case["soc1"] and rec.soc2 == case["soc2"]
        decision += both
        exact += got_cats == want_cats
        if not both or got_cats != want_cats or verbose:
            misses.append(
                f"  {case['id']}: soc1 {rec.soc1} (want {case['soc1']}), soc2 {rec.soc2} "
                f"(want {case['soc2']}), categories {got_cats} (want {want_cats}), "
                f"confidence {rec.confidence}"
            )
    elapsed = time.perf_counter() - started
    n = len(cases)
    print(
        f"soc1/soc2 decision {decision}/{n}, categories exact {exact}/{n} (soc1 {soc1}/{n}, soc2 {soc2}/{n})"
    )
    print(f"time: {elapsed * 1000 / n:.1f} ms per description ({n} descriptions)")
    if misses:
        print("differences:" if not verbose else "all cases:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
