"""A stored sample record turns back into the same core Sample, so old samples extend and conclude as drawn."""

import pytest

from socready.core.errors import InputError
from socready.core.sampling.draw import DEFAULT_POLICY, Frequency, Risk, RiskSizes, draw_sample, extend_sample
from socready.evidence.sample_records import policy_from_dict, sample_from_record

IDS = [f"CHG-{n}" for n in range(60)]


def test_record_round_trip_gives_back_the_same_sample_and_policy() -> None:
    policy = DEFAULT_POLICY.with_sizes(Frequency.WEEKLY, RiskSizes(5, 8, 10))
    sample = draw_sample(IDS, frequency=Frequency.WEEKLY, risk=Risk.MODERATE, seed=42, policy=policy)
    extended = extend_sample(sample, IDS, 3)
    for original in (sample, extended):
        assert sample_from_record(original.to_dict()) == original
    assert policy_from_dict(policy.to_dict()) == policy != DEFAULT_POLICY
    assert sample_from_record(extended.to_dict()).extended_from == (8,)


def test_a_record_missing_a_field_is_refused_naming_it() -> None:
    record = draw_sample(IDS, frequency=Frequency.DAILY, risk=Risk.LOW, seed=1).to_dict()
    del record["seed"]
    with pytest.raises(InputError, match="field 'seed'"):
        sample_from_record(record, source="sample 7")


def test_a_record_with_an_unknown_frequency_is_refused() -> None:
    record = draw_sample(IDS, frequency=Frequency.DAILY, risk=Risk.LOW, seed=1).to_dict()
    record["frequency"] = "fortnightly"
    with pytest.raises(InputError, match="sample record.*fortnightly"):
        sample_from_record(record)
