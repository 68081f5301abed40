"""Sample sizes follow the documented table and any size can be overridden."""

import pytest

from socready.core.sampling.draw import (
    DEFAULT_POLICY,
    Frequency,
    Risk,
    RiskSizes,
    parse_frequency,
    parse_risk,
    sample_size,
)

# The table in docs/sampling.md: (frequency, low, moderate, high).
TABLE = [
    ("annual", 1, 1, 1), ("semi-annual", 1, 1, 2), ("quarterly", 2, 2, 2), ("monthly", 2, 2, 2),
    ("weekly", 5, 5, 5), ("daily", 25, 25, 25), ("continuous", 25, 40, 60), ("automated", 1, 1, 1),
]


@pytest.mark.parametrize(("frequency", "low", "moderate", "high"), TABLE)
def test_default_sizes_match_the_documented_table(frequency, low, moderate, high):
    freq = Frequency(frequency)
    got = [sample_size(freq, risk, 10_000).size for risk in (Risk.LOW, Risk.MODERATE, Risk.HIGH)]
    assert got == [low, moderate, high]


@pytest.mark.parametrize(("population", "risk", "expected"), [
    (1, Risk.HIGH, 1), (5, Risk.HIGH, 5), (6, Risk.LOW, 5), (12, Risk.HIGH, 5), (13, Risk.HIGH, 13),
    (30, Risk.LOW, 10), (30, Risk.HIGH, 15), (100, Risk.MODERATE, 25), (100, Risk.HIGH, 40),
    (251, Risk.LOW, 25), (5000, Risk.MODERATE, 40), (5000, Risk.HIGH, 60),
])
def test_per_event_sizes_grow_with_the_population_up_to_the_risk_cap(population, risk, expected):
    assert sample_size(Frequency.PER_EVENT, risk, population).size == expected


def test_per_event_sizes_never_shrink_as_the_population_grows():
    for risk in Risk:
        sizes = [sample_size(Frequency.PER_EVENT, risk, n).size for n in range(0, 600)]
        assert sizes == sorted(sizes)
        assert all(size <= n for n, size in enumerate(sizes))


def test_a_population_smaller_than_the_table_is_tested_in_full():
    decision = sample_size(Frequency.DAILY, Risk.LOW, 7)
    assert decision.size == 7
    assert "only 7" in decision.basis


def test_an_organization_can_override_one_frequency_without_touching_the_others():
    policy = DEFAULT_POLICY.with_sizes(Frequency.WEEKLY, RiskSizes(5, 8, 10))
    assert sample_size(Frequency.WEEKLY, Risk.HIGH, 1000, policy).size == 10
    assert sample_size(Frequency.MONTHLY, Risk.HIGH, 1000, policy).size == 2
    assert sample_size(Frequency.WEEKLY, Risk.HIGH, 1000).size == 5


def test_policy_record_holds_every_size_for_reproduction():
    record = DEFAULT_POLICY.to_dict()
    assert record["periodic"]["continuous"] == {"low": 25, "moderate": 40, "high": 60}
    assert record["census_up_to"] == 5
    assert record["event_bands"][-1]["up_to"] is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Monthly", Frequency.MONTHLY), ("semi annual", Frequency.SEMI_ANNUAL),
    ("per_transaction", Frequency.CONTINUOUS), ("as needed", Frequency.PER_EVENT),
])
def test_frequency_names_accept_common_spellings(text, expected):
    assert parse_frequency(text) == expected


def test_unknown_frequency_and_risk_name_the_known_values():
    with pytest.raises(ValueError, match="known: annual"):
        parse_frequency("fortnightly")
    with pytest.raises(ValueError, match="low, moderate, high"):
        parse_risk("extreme")
    assert parse_risk("Medium") == Risk.MODERATE
