"""Exceptions, deviation rate and the conclusion a tested sample supports."""

import pytest

from socready.core.errors import InputError
from socready.core.sampling.conclusions import AttributeResult, ItemResult, Verdict, conclude
from socready.core.sampling.draw import Frequency, Risk, draw_sample, extend_sample

ATTRS = ("approved", "tested")
POPULATION = [f"CHG-{n}" for n in range(500)]


def results(sample, failing=()):
    return [ItemResult(item, tuple(AttributeResult(a, not (item in failing and a == "approved"),
                                                   note="no approver" if item in failing else "",
                                                   evidence_ref=f"ticket/{item}") for a in ATTRS))
            for item in sample.items]


def test_a_clean_sample_operates_effectively():
    sample = draw_sample(POPULATION, frequency=Frequency.CONTINUOUS, risk=Risk.LOW, seed=1)
    conclusion = conclude(sample, ATTRS, results(sample))
    assert conclusion.verdict == Verdict.EFFECTIVE
    assert conclusion.summary == "0 of 25 — no exceptions noted"


@pytest.mark.parametrize("frequency", [Frequency.ANNUAL, Frequency.SEMI_ANNUAL, Frequency.QUARTERLY,
                                       Frequency.MONTHLY])
def test_small_periodic_samples_fail_on_any_exception(frequency):
    sample = draw_sample(POPULATION[:12], frequency=frequency, risk=Risk.HIGH, seed=3)
    conclusion = conclude(sample, ATTRS, results(sample, failing={sample.items[0]}))
    assert conclusion.verdict == Verdict.NOT_EFFECTIVE
    assert conclusion.deviations[0].note == "no approver"


def test_one_deviation_in_25_asks_for_the_one_deviation_size_then_concludes():
    sample = draw_sample(POPULATION, frequency=Frequency.DAILY, risk=Risk.MODERATE, seed=5)
    first = conclude(sample, ATTRS, results(sample, failing={sample.items[3]}))
    assert first.verdict == Verdict.EXTEND and first.extend_to == 40
    assert first.summary == "1 of 25 — exception noted"
    assert first.deviation_rate == pytest.approx(0.04)
    bigger = extend_sample(sample, POPULATION, first.extend_to - sample.size)
    after = conclude(bigger, ATTRS, results(bigger, failing={sample.items[3]}))
    assert after.verdict == Verdict.EFFECTIVE_WITH_EXCEPTION
    worse = conclude(bigger, ATTRS, results(bigger, failing={sample.items[3], bigger.items[-1]}))
    assert worse.verdict == Verdict.NOT_EFFECTIVE


def test_deviation_rate_at_the_tolerable_rate_fails():
    sample = draw_sample(POPULATION, frequency=Frequency.DAILY, risk=Risk.LOW, seed=5)
    conclusion = conclude(sample, ATTRS, results(sample, failing=set(sample.items[:2])))
    assert conclusion.verdict == Verdict.NOT_EFFECTIVE
    assert conclusion.deviating_items == 2


def test_untested_items_leave_the_conclusion_open():
    sample = draw_sample(POPULATION, frequency=Frequency.WEEKLY, risk=Risk.LOW, seed=9)
    conclusion = conclude(sample, ATTRS, results(sample)[:3])
    assert conclusion.verdict == Verdict.INCOMPLETE
    assert conclusion.untested == sample.items[3:]


def test_results_for_an_item_outside_the_sample_or_missing_an_attribute_are_refused():
    sample = draw_sample(POPULATION, frequency=Frequency.WEEKLY, risk=Risk.LOW, seed=9)
    stranger = ItemResult("NOT-SAMPLED", (AttributeResult("approved", True), AttributeResult("tested", True)))
    with pytest.raises(InputError, match="not in the sample") as err:
        conclude(sample, ATTRS, [stranger])
    assert err.value.entry == "NOT-SAMPLED"
    partial = ItemResult(sample.items[0], (AttributeResult("approved", True),))
    with pytest.raises(InputError, match="no result") as err:
        conclude(sample, ATTRS, [partial])
    assert err.value.field == "tested"
