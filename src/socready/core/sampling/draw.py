"""Sample sizes by control frequency and risk, and reproducible seeded selection of sample items.

Selection rule ("key-rank-v1", see docs/sampling.md): every item id gets a 64-bit key computed from
``f"{seed}:{id}"`` by :func:`selection_key`; items are taken in ascending key order (ties, which only
distinct ids with equal keys can produce, by the id's UTF-8 bytes). The order therefore depends only on
the seed and the ids, never on the input order, ``hash()`` or the Python version. Spreading a sample over
months splits the ranking by month and hands out one slot at a time with a sequential divisor rule, so a
larger sample always begins with the smaller one: extending a sample only appends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from socready.core.errors import InputError

METHOD = "key-rank-v1"
METHOD_BY_MONTH = "key-rank-v1/by-month"


class Frequency(StrEnum):
    """How often a control operates; names match the control library's frequencies."""

    ANNUAL = "annual"
    SEMI_ANNUAL = "semi-annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"
    CONTINUOUS = "continuous"
    PER_EVENT = "per-event"
    AUTOMATED = "automated"


class Risk(StrEnum):
    """Risk of the control failing, which scales the sample for frequent controls."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


_FREQUENCY_ALIASES = {
    "annually": "annual", "yearly": "annual", "semiannual": "semi-annual", "semi-annually": "semi-annual",
    "biannual": "semi-annual", "quarter": "quarterly", "month": "monthly", "week": "weekly", "day": "daily",
    "multiple-daily": "continuous", "many-times-a-day": "continuous", "per-transaction": "continuous",
    "recurring": "continuous", "event": "per-event", "event-driven": "per-event", "as-needed": "per-event",
    "ad-hoc": "per-event", "automatic": "automated",
}


def parse_frequency(text: str) -> Frequency:
    """Read a frequency name, accepting common spellings; raise ValueError listing the known names."""
    key = "-".join(text.strip().lower().replace("_", " ").split())
    key = _FREQUENCY_ALIASES.get(key, key)
    try:
        return Frequency(key)
    except ValueError:
        known = ", ".join(f.value for f in Frequency)
        raise ValueError(f"unknown frequency '{text}' (known: {known})") from None


def parse_risk(text: str) -> Risk:
    """Read a risk level (low, moderate or high; 'medium' means moderate)."""
    key = text.strip().lower()
    try:
        return Risk("moderate" if key == "medium" else key)
    except ValueError:
        raise ValueError(f"unknown risk '{text}' (known: low, moderate, high)") from None


@dataclass(frozen=True)
class RiskSizes:
    """Sample sizes for low, moderate and high risk."""

    low: int
    moderate: int
    high: int

    def for_risk(self, risk: Risk) -> int:
        """The size for one risk level."""
        return {Risk.LOW: self.low, Risk.MODERATE: self.moderate, Risk.HIGH: self.high}[risk]


@dataclass(frozen=True)
class EventBand:
    """Sizes for per-event populations of at most ``up_to`` items (None: any larger population)."""

    up_to: int | None
    sizes: RiskSizes


_DEFAULT_PERIODIC: tuple[tuple[Frequency, RiskSizes], ...] = (
    (Frequency.ANNUAL, RiskSizes(1, 1, 1)),
    (Frequency.SEMI_ANNUAL, RiskSizes(1, 1, 2)),
    (Frequency.QUARTERLY, RiskSizes(2, 2, 2)),
    (Frequency.MONTHLY, RiskSizes(2, 2, 2)),
    (Frequency.WEEKLY, RiskSizes(5, 5, 5)),
    (Frequency.DAILY, RiskSizes(25, 25, 25)),
    (Frequency.CONTINUOUS, RiskSizes(25, 40, 60)),
    (Frequency.AUTOMATED, RiskSizes(1, 1, 1)),
)
_DEFAULT_EVENT_BANDS: tuple[EventBand, ...] = (
    EventBand(12, RiskSizes(5, 5, 5)),
    EventBand(52, RiskSizes(10, 10, 15)),
    EventBand(250, RiskSizes(25, 25, 40)),
    EventBand(None, RiskSizes(25, 40, 60)),
)
# Controls tested on so few items that one exception already means the control did not operate.
SMALL_SAMPLE_FREQUENCIES = frozenset({Frequency.ANNUAL, Frequency.SEMI_ANNUAL, Frequency.QUARTERLY,
                                      Frequency.MONTHLY, Frequency.AUTOMATED})


@dataclass(frozen=True)
class SamplingPolicy:
    """An organization's sampling rules; every size can be overridden (see docs/sampling.md)."""

    periodic: tuple[tuple[Frequency, RiskSizes], ...] = _DEFAULT_PERIODIC
    census_up_to: int = 5
    event_bands: tuple[EventBand, ...] = _DEFAULT_EVENT_BANDS
    tolerable_rate: float = 0.05
    # After exactly one deviation the sample grows to this size (original size -> extended size).
    one_deviation_sizes: tuple[tuple[int, int], ...] = ((5, 10), (10, 15), (15, 25), (25, 40), (40, 60),
                                                         (60, 90))

    def sizes_for(self, frequency: Frequency) -> RiskSizes:
        """The periodic size table row of a frequency (per-event controls use the event bands)."""
        for freq, sizes in self.periodic:
            if freq == frequency:
                return sizes
        raise ValueError(f"the policy has no sample size for frequency '{frequency.value}'")

    def with_sizes(self, frequency: Frequency, sizes: RiskSizes) -> SamplingPolicy:
        """A copy whose sizes for one frequency are replaced."""
        rows = tuple((f, sizes if f == frequency else s) for f, s in self.periodic)
        if all(f != frequency for f, _ in self.periodic):
            rows += ((frequency, sizes),)
        return replace(self, periodic=rows)

    def largest_size(self) -> int:
        """The largest sample any row of the policy can ask for (before one-deviation extension)."""
        sizes = [s for _, row in self.periodic for s in (row.low, row.moderate, row.high)]
        sizes += [s for band in self.event_bands for s in (band.sizes.low, band.sizes.moderate, band.sizes.high)]
        return max(sizes + [self.census_up_to])

    def one_deviation_size(self, size: int) -> int:
        """The size a sample grows to after one deviation; unlisted sizes grow by 60 percent."""
        for original, extended in self.one_deviation_sizes:
            if original == size:
                return extended
        return size + max(1, -(-size * 3 // 5))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy of the policy, stored with every sample so it can be redrawn."""
        return {
            "periodic": {f.value: asdict(s) for f, s in self.periodic},
            "census_up_to": self.census_up_to,
            "event_bands": [{"up_to": b.up_to, **asdict(b.sizes)} for b in self.event_bands],
            "tolerable_rate": self.tolerable_rate,
            "one_deviation_sizes": [list(pair) for pair in self.one_deviation_sizes],
        }


DEFAULT_POLICY = SamplingPolicy()


@dataclass(frozen=True)
class SizeDecision:
    """A sample size and the rule that produced it."""

    size: int
    basis: str


def sample_size(frequency: Frequency, risk: Risk, population_size: int,
                policy: SamplingPolicy = DEFAULT_POLICY) -> SizeDecision:
    """How many items to test for a control of this frequency and risk drawn from this population."""
    if population_size < 0:
        raise ValueError("population size cannot be negative")
    if frequency == Frequency.PER_EVENT:
        if population_size <= policy.census_up_to:
            return SizeDecision(population_size, f"per-event population of {population_size}: test every item")
        for band in policy.event_bands:
            if band.up_to is None or population_size <= band.up_to:
                wanted = band.sizes.for_risk(risk)
                label = f"up to {band.up_to}" if band.up_to is not None else "larger"
                return SizeDecision(min(wanted, population_size),
                                    f"per-event population {label}, {risk.value} risk: {wanted}")
        raise ValueError("the policy's event bands must end with an open band (up_to: null)")
    wanted = policy.sizes_for(frequency).for_risk(risk)
    if population_size < wanted:
        return SizeDecision(population_size, f"{frequency.value} control, {risk.value} risk: {wanted}, "
                                             f"but the population has only {population_size}")
    return SizeDecision(wanted, f"{frequency.value} control, {risk.value} risk: {wanted}")


def selection_key(seed: int, item_id: str) -> int:
    """The documented 64-bit ranking key of an item for a seed (equal to DuckDB's string hash)."""
    data = f"{seed}:{item_id}".encode()
    mask = (1 << 64) - 1
    mix = 0xD6E8FEB86659FD93
    value = (0xE17A1465 ^ (len(data) * 0xC6A4A7935BD1E995)) & mask
    # Eight bytes at a time, little-endian; a short last block is padded with zero bytes.
    for start in range(0, len(data), 8):
        value = ((value ^ int.from_bytes(data[start:start + 8], "little")) * mix) & mask
    for _ in range(2):
        value = ((value ^ (value >> 32)) * mix) & mask
    return value ^ (value >> 32)


def rank_ids(ids: Iterable[str], seed: int) -> list[str]:
    """Ids in selection order for a seed: ascending key, ties by the id's bytes."""
    return sorted(ids, key=lambda item: (selection_key(seed, item), item.encode()))


def population_digest(ids: Iterable[str]) -> str:
    """SHA-256 of the sorted, newline-joined ids: the same set of ids gives the same digest."""
    digest = hashlib.sha256()
    for item in sorted(item.encode() for item in ids):
        digest.update(item + b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class Stratum:
    """Part of a population (e.g. one month): its size and its not-yet-chosen ids in selection order.

    ``ranked`` may stop early (it must then hold at least as many ids as the stratum can still receive).
    """

    label: str
    size: int
    ranked: tuple[str, ...]
    already: int = 0


def allocate(strata: Sequence[Stratum], count: int, seed: int) -> tuple[str, ...]:
    """Pick ``count`` more ids across strata, one slot at a time, in proportion to stratum size.

    The next slot goes to the stratum with the largest size / (2 * chosen + 1) (a sequential
    Sainte-Laguë rule, so a larger allocation always contains a smaller one); ties go to the smaller
    selection key of the stratum label. Each slot takes the stratum's next id in ranked order.
    """
    chosen = {s.label: s.already for s in strata}
    taken = {s.label: 0 for s in strata}
    tie = {s.label: selection_key(seed, f"stratum:{s.label}") for s in strata}
    picks: list[str] = []
    for _ in range(count):
        best: Stratum | None = None
        for stratum in strata:
            if chosen[stratum.label] >= stratum.size:
                continue
            if best is None:
                best = stratum
                continue
            left = stratum.size * (2 * chosen[best.label] + 1)
            right = best.size * (2 * chosen[stratum.label] + 1)
            if left > right or (left == right and tie[stratum.label] < tie[best.label]):
                best = stratum
        if best is None:
            break
        position = taken[best.label]
        if position >= len(best.ranked):
            raise ValueError(f"stratum {best.label} needs more ranked candidates than were supplied")
        picks.append(best.ranked[position])
        taken[best.label] += 1
        chosen[best.label] += 1
    return tuple(picks)


@dataclass(frozen=True)
class Sample:
    """A drawn sample and everything needed to draw it again and check it."""

    items: tuple[str, ...]
    seed: int
    frequency: Frequency
    risk: Risk
    population_size: int
    population_sha256: str
    method: str
    size_basis: str
    policy: SamplingPolicy = field(default=DEFAULT_POLICY)
    extended_from: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        """How many items were selected."""
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the sample."""
        return {
            "population_size": self.population_size, "sample_size": self.size, "seed": self.seed,
            "items": list(self.items), "frequency": self.frequency.value, "risk": self.risk.value,
            "method": self.method, "size_basis": self.size_basis, "population_sha256": self.population_sha256,
            "extended_from": list(self.extended_from), "policy": self.policy.to_dict(),
        }


def strata_from(ids: Sequence[str], seed: int, labels: Mapping[str, str] | None,
                exclude: Iterable[str] = ()) -> list[Stratum]:
    """Group ids into strata (one per label, or a single one) with their ranked remaining ids."""
    excluded = set(exclude)
    groups: dict[str, list[str]] = {}
    for item in ids:
        groups.setdefault(labels[item] if labels is not None else "all", []).append(item)
    return [Stratum(label, len(members), tuple(rank_ids((m for m in members if m not in excluded), seed)),
                    sum(1 for m in members if m in excluded))
            for label, members in sorted(groups.items())]


def check_ids(ids: Sequence[str], source: str = "population") -> None:
    """Refuse empty or duplicate ids, naming the first offending position."""
    seen: dict[str, int] = {}
    for position, item in enumerate(ids, start=1):
        if not item.strip():
            raise InputError("id is empty", file=source, entry=f"item {position}", field="id")
        if item in seen:
            raise InputError(f"duplicate id '{item}' (first at item {seen[item]})", file=source,
                             entry=f"item {position}", field="id")
        seen[item] = position


def draw_sample(ids: Sequence[str], *, frequency: Frequency, risk: Risk, seed: int,
                policy: SamplingPolicy = DEFAULT_POLICY, months: Mapping[str, str] | None = None,
                size: int | None = None, population_sha256: str | None = None) -> Sample:
    """Draw a reproducible sample from an in-memory population (``months`` maps id -> 'YYYY-MM' to spread)."""
    check_ids(ids)
    if months is not None:
        missing = [item for item in ids if item not in months]
        if missing:
            raise InputError("has no month to spread the sample over", entry=missing[0], field="date")
    decision = sample_size(frequency, risk, len(ids), policy)
    wanted = decision.size if size is None else min(size, len(ids))
    basis = decision.basis if size is None else f"size set to {size}"
    picks = allocate(strata_from(ids, seed, months), wanted, seed)
    return Sample(picks, seed, frequency, risk, len(ids), population_sha256 or population_digest(ids),
                  METHOD_BY_MONTH if months is not None else METHOD, basis, policy)


def extend_sample(sample: Sample, ids: Sequence[str], extra: int, *,
                  months: Mapping[str, str] | None = None, population_sha256: str | None = None) -> Sample:
    """Add ``extra`` items to a sample, keeping every item already chosen and its order."""
    check_ids(ids)
    present = set(ids)
    for item in sample.items:
        if item not in present:
            raise InputError("was sampled but is not in the population any more", entry=item, field="id")
    new = allocate(strata_from(ids, sample.seed, months, exclude=sample.items), extra, sample.seed)
    return replace(sample, items=sample.items + new, population_size=len(ids),
                   population_sha256=population_sha256 or population_digest(ids),
                   extended_from=sample.extended_from + (sample.size,))
