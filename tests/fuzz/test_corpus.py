"""The kept corpus (tests/fuzz/corpus.py) through its readers: each file ends as issue #18 says it must.

Every refusal names the file and holds the words of the limit it broke; a case kept as a bounded read
must read. No case may crash, hang or take more than 1 GB, whatever its expected ending.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.fuzz import corpus
from tests.fuzz import targets as t
from tests.fuzz.harness import FUZZ_LIMITS, LONG, READ, REFUSED, check, run_input

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# A case too slow to build for the short run is left to `make fuzz`; a smaller one of its kind stays.
RUNS = [(case, target) for case in corpus.CASES if LONG or not case.big_only for target in case.targets]


@pytest.mark.parametrize(("case", "target"), RUNS, ids=[f"{c.name} / {g.name}" for c, g in RUNS])
def test_kept_file_ends_as_it_must(tmp_path: Path, case: corpus.Case, target: t.Target) -> None:
    path = corpus.build(tmp_path, case, issue_scale=LONG)
    limits = replace(FUZZ_LIMITS, seconds=case.seconds) if case.seconds else FUZZ_LIMITS
    outcome = run_input(target.read, path, path.name, f"corpus: {case.name} / {target.name}", limits)
    check(outcome, f"{case.name} through the {target.name} reader")
    if case.expect == (corpus.EITHER,):
        return
    if case.expect == (READ,):
        assert outcome.kind == READ, outcome.detail
        return
    assert outcome.kind == REFUSED, outcome.detail
    assert path.name in outcome.detail
    for words in case.expect:
        assert words in outcome.detail, outcome.detail


def test_every_failure_of_the_issue_is_kept() -> None:
    kept = {case.issue.split(":")[0] for case in corpus.CASES if case.issue}
    assert kept == {"1", "2", "3", "5"}
    assert len([case for case in corpus.CASES if case.issue]) >= 11
