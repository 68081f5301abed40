"""Every test profile gets the answer a practitioner would give, with every expected reason."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from socready.core.scoping.profile_reader import load_profile
from socready.core.scoping.recommendation import recommend
from tests.unit.scoping.conftest import PROFILES, TODAY

EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((PROFILES / "expected.yaml").read_text())["cases"]
PROFILE_FILES = sorted(p for p in PROFILES.glob("*.yaml") if p.name != "expected.yaml")


def test_there_are_at_least_forty_profiles_each_with_an_expectation() -> None:
    names = {p.stem for p in PROFILE_FILES}
    assert len(names) >= 40
    assert names == set(EXPECTED), f"unmatched: {names ^ set(EXPECTED)}"


def test_profiles_cover_structured_and_free_text_forms() -> None:
    free_text = [p for p in PROFILE_FILES if set(yaml.safe_load(p.read_text())) <= {"name", "description"}]
    assert len(free_text) >= 15
    assert len(PROFILE_FILES) - len(free_text) >= 20


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_profile_gets_the_expected_recommendation_and_reasons(path: Any) -> None:
    expected = EXPECTED[path.stem]
    rec = recommend(load_profile(path, today=TODAY), today=TODAY)
    assert (rec.soc1, rec.soc2) == (expected["soc1"], expected["soc2"])
    assert list(rec.soc2_categories) == expected["categories"]
    assert rec.report_type == expected["report_type"]
    assert rec.observation_window_months == expected["window"]
    if "soc3" in expected:
        assert rec.soc3 is expected["soc3"]
    if "isae" in expected:
        assert [i["standard"] for i in rec.isae if i["status"] == "recommended"] == expected["isae"]
    if "max_confidence" in expected:
        assert rec.confidence <= expected["max_confidence"]
    given = {(r.conclusion, r.fact) for r in rec.reasons}
    missing = [tuple(pair) for pair in expected["reasons"] if tuple(pair) not in given]
    assert not missing, f"missing reasons {missing}; got {sorted(given)}"
