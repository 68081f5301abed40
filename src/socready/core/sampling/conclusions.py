"""Test results of a sample, attribute by attribute, and the conclusion they support.

Rules (docs/sampling.md): a control tested on a small sample (annual, semi-annual, quarterly, monthly,
automated) fails on any exception. Larger samples compare the deviation rate with the policy's tolerable
rate; exactly one deviation in a sample that has not yet been extended asks for the one-deviation size
before concluding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from socready.core.errors import InputError
from socready.core.sampling.draw import DEFAULT_POLICY, SMALL_SAMPLE_FREQUENCIES, Sample, SamplingPolicy


@dataclass(frozen=True)
class AttributeResult:
    """Whether one test attribute held for one sampled item, with a note and where the evidence is."""

    attribute: str
    passed: bool
    note: str = ""
    evidence_ref: str = ""


@dataclass(frozen=True)
class ItemResult:
    """All attribute results for one sampled item."""

    item_id: str
    attributes: tuple[AttributeResult, ...]

    @property
    def passed(self) -> bool:
        """An item passes when every attribute held."""
        return all(a.passed for a in self.attributes)


@dataclass(frozen=True)
class Deviation:
    """One exception: an attribute that did not hold for an item."""

    item_id: str
    attribute: str
    note: str
    evidence_ref: str


class Verdict(StrEnum):
    """What the test results support."""

    EFFECTIVE = "operating effectively"
    EFFECTIVE_WITH_EXCEPTION = "operating effectively, exception noted"
    NOT_EFFECTIVE = "not operating effectively"
    EXTEND = "extend the sample"
    INCOMPLETE = "testing incomplete"


@dataclass(frozen=True)
class Conclusion:
    """The summary of a tested sample and the verdict with its reasons."""

    verdict: Verdict
    tested: int
    sample_size: int
    deviations: tuple[Deviation, ...]
    deviating_items: int
    deviation_rate: float
    summary: str
    reasons: tuple[str, ...]
    extend_to: int | None = None
    untested: tuple[str, ...] = ()


def check_results(sample: Sample, attributes: Sequence[str], results: Sequence[ItemResult],
                  source: str = "test results") -> None:
    """Refuse results for items outside the sample, repeated items, and missing or unknown attributes."""
    if not attributes:
        raise InputError("at least one test attribute is needed", file=source, field="attributes")
    in_sample = set(sample.items)
    wanted = list(attributes)
    seen: set[str] = set()
    for result in results:
        if result.item_id not in in_sample:
            raise InputError("is not in the sample", file=source, entry=result.item_id, field="item")
        if result.item_id in seen:
            raise InputError("has results recorded twice", file=source, entry=result.item_id, field="item")
        seen.add(result.item_id)
        names = [a.attribute for a in result.attributes]
        for name in names:
            if name not in wanted:
                raise InputError(f"unknown attribute (expected: {', '.join(wanted)})", file=source,
                                 entry=result.item_id, field=name)
            if names.count(name) > 1:
                raise InputError("is recorded twice", file=source, entry=result.item_id, field=name)
        for name in wanted:
            if name not in names:
                raise InputError("has no result", file=source, entry=result.item_id, field=name)


def summarise(deviating: int, tested: int) -> str:
    """A one-line summary such as "1 of 25 — exception noted"."""
    if deviating == 0:
        return f"0 of {tested} — no exceptions noted"
    noun = "exception" if deviating == 1 else "exceptions"
    return f"{deviating} of {tested} — {noun} noted"


def conclude(sample: Sample, attributes: Sequence[str], results: Sequence[ItemResult],
             policy: SamplingPolicy = DEFAULT_POLICY) -> Conclusion:
    """Summarise the exceptions of a tested sample and decide whether the control operated."""
    check_results(sample, attributes, results)
    by_item = {r.item_id: r for r in results}
    deviations = tuple(Deviation(r.item_id, a.attribute, a.note, a.evidence_ref)
                       for item in sample.items if (r := by_item.get(item)) is not None
                       for a in r.attributes if not a.passed)
    deviating = len({d.item_id for d in deviations})
    tested = len(results)
    rate = deviating / tested if tested else 0.0
    summary = summarise(deviating, tested)
    untested = tuple(item for item in sample.items if item not in by_item)

    def result(verdict: Verdict, *reasons: str, extend_to: int | None = None) -> Conclusion:
        return Conclusion(verdict, tested, sample.size, deviations, deviating, rate, summary, reasons,
                          extend_to, untested)

    if untested:
        return result(Verdict.INCOMPLETE, f"{len(untested)} of {sample.size} sampled items have no results yet")
    if deviating == 0:
        return result(Verdict.EFFECTIVE, "no exceptions in the sample")
    if sample.frequency in SMALL_SAMPLE_FREQUENCIES:
        return result(Verdict.NOT_EFFECTIVE,
                      f"a {sample.frequency.value} control tested on {tested} items fails on any exception")
    tolerable = f"tolerable rate {policy.tolerable_rate:.0%}"
    if rate >= policy.tolerable_rate:
        return result(Verdict.NOT_EFFECTIVE, f"deviation rate {rate:.1%} reaches the {tolerable}")
    target = min(policy.one_deviation_size(sample.size), sample.population_size)
    if deviating == 1 and not sample.extended_from and target > sample.size:
        return result(Verdict.EXTEND, f"one deviation in {tested} items: test {target - sample.size} more "
                                      f"items (the one-deviation size is {target}) before concluding",
                      extend_to=target)
    return result(Verdict.EFFECTIVE_WITH_EXCEPTION, f"deviation rate {rate:.1%} is below the {tolerable}")
