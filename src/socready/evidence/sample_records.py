"""Turn a stored sample record (``Sample.to_dict()``) back into a core ``Sample``, policy included.

A sample row keeps the policy it was sized with, so extending or concluding an old sample uses the rules
it was drawn under even after the default policy changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socready.core.errors import InputError
from socready.core.sampling.draw import EventBand, Frequency, Risk, RiskSizes, Sample, SamplingPolicy


def _sizes(data: Mapping[str, Any]) -> RiskSizes:
    return RiskSizes(int(data["low"]), int(data["moderate"]), int(data["high"]))


def policy_from_dict(data: Mapping[str, Any]) -> SamplingPolicy:
    """Rebuild a SamplingPolicy from ``SamplingPolicy.to_dict()``."""
    return SamplingPolicy(
        periodic=tuple((Frequency(name), _sizes(sizes)) for name, sizes in data["periodic"].items()),
        census_up_to=int(data["census_up_to"]),
        event_bands=tuple(EventBand(None if band["up_to"] is None else int(band["up_to"]), _sizes(band))
                          for band in data["event_bands"]),
        tolerable_rate=float(data["tolerable_rate"]),
        one_deviation_sizes=tuple((int(a), int(b)) for a, b in data["one_deviation_sizes"]),
    )


def sample_from_record(record: Mapping[str, Any], source: str = "sample record") -> Sample:
    """Rebuild a Sample from ``Sample.to_dict()``; raise InputError naming the field that is wrong."""
    try:
        return Sample(
            items=tuple(str(item) for item in record["items"]),
            seed=int(record["seed"]),
            frequency=Frequency(record["frequency"]),
            risk=Risk(record["risk"]),
            population_size=int(record["population_size"]),
            population_sha256=str(record["population_sha256"]),
            method=str(record["method"]),
            size_basis=str(record["size_basis"]),
            policy=policy_from_dict(record["policy"]),
            extended_from=tuple(int(size) for size in record.get("extended_from", ())),
        )
    except KeyError as exc:
        raise InputError("is missing", file=source, field=str(exc.args[0])) from None
    except (TypeError, ValueError) as exc:
        raise InputError(f"cannot be read: {exc}", file=source) from None
