"""Draw or extend a reproducible sample from a population file (see core.sampling for the rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from socready.core.errors import InputError
from socready.core.sampling.draw import (
    DEFAULT_POLICY,
    METHOD,
    METHOD_BY_MONTH,
    Frequency,
    Risk,
    Sample,
    SamplingPolicy,
    Stratum,
    allocate,
    sample_size,
)
from socready.io.population import Candidate, PopulationSpec, ScannedPopulation, scan_population


@dataclass(frozen=True)
class PopulationSample:
    """A sample drawn from a validated population file, with the chosen rows."""

    population: ScannedPopulation
    sample: Sample
    rows: tuple[Candidate, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record: the sample, the chosen rows and the import record."""
        data = self.sample.to_dict()
        data["rows"] = [{"id": c.id, "row": c.row, "date": c.date.isoformat() if c.date else None,
                         **dict(c.attributes)} for c in self.rows]
        data["import"] = self.population.record.to_dict()
        return data


def _strata(scan: ScannedPopulation, spread: bool, exclude: set[str],
            already: Sequence[Candidate]) -> list[Stratum]:
    ranked = sorted((c for c in scan.candidates if c.id not in exclude), key=lambda c: (c.key, c.id.encode()))
    if not spread:
        return [Stratum("all", scan.record.rows, tuple(c.id for c in ranked), len(already))]
    return [Stratum(month, count, tuple(c.id for c in ranked if c.month == month),
                    sum(1 for c in already if c.month == month)) for month, count in scan.months]


def _pick(path: Path, spec: PopulationSpec, seed: int, count: int, spread: bool, source_name: str | None,
          previous: Sequence[str] = ()) -> tuple[ScannedPopulation, tuple[str, ...], tuple[Candidate, ...]]:
    wanted = max(count + len(previous), 1)
    # The scan keeps only rows with small keys; in the rare case a stratum runs short, scan again wider.
    for _attempt in range(4):
        scan = scan_population(path, spec, seed=seed, candidates_wanted=wanted, source_name=source_name,
                               find_ids=previous)
        found = {c.id: c for c in scan.found}
        for item in previous:
            if item not in found:
                raise InputError("was sampled before but is not in the population any more",
                                 file=scan.record.source_name, entry=item, field=spec.id_column)
        try:
            picks = allocate(_strata(scan, spread, set(previous), list(found.values())), count, seed)
        except ValueError:
            wanted *= 64
            continue
        by_id = {c.id: c for c in (*scan.candidates, *scan.found)}
        return scan, picks, tuple(by_id[i] for i in (*previous, *picks))
    raise InputError("could not gather enough candidates to draw the sample", file=path.name)


def sample_population(path: Path, spec: PopulationSpec, *, frequency: Frequency, risk: Risk, seed: int,
                      policy: SamplingPolicy = DEFAULT_POLICY, spread_months: bool = False,
                      size: int | None = None, source_name: str | None = None) -> PopulationSample:
    """Validate a population file and draw its sample; raise InputError and return nothing on bad input."""
    if spread_months and not spec.date_column:
        raise InputError("spreading over months needs a date column", field="date_column")
    guess = size if size is not None else policy.largest_size()
    scan, picks, rows = _pick(path, spec, seed, guess, spread_months, source_name)
    decision = sample_size(frequency, risk, scan.record.rows, policy)
    wanted = decision.size if size is None else min(size, scan.record.rows)
    basis = decision.basis if size is None else f"size set to {size}"
    if wanted < len(picks):
        # A shorter draw is a prefix of a longer one, so the first picks are the sample.
        picks, rows = picks[:wanted], rows[:wanted]
    sample = Sample(picks, seed, frequency, risk, scan.record.rows, scan.record.sha256,
                    METHOD_BY_MONTH if spread_months else METHOD, basis, policy)
    return PopulationSample(scan, sample, rows)


def extend_population_sample(path: Path, spec: PopulationSpec, previous: Sample, extra: int, *,
                             source_name: str | None = None) -> PopulationSample:
    """Add ``extra`` items to a sample drawn from this population, keeping the first selection and order."""
    spread = previous.method == METHOD_BY_MONTH
    scan, picks, rows = _pick(path, spec, previous.seed, extra, spread, source_name, previous.items)
    sample = replace(previous, items=previous.items + picks, population_size=scan.record.rows,
                     population_sha256=scan.record.sha256, extended_from=previous.extended_from + (previous.size,))
    return PopulationSample(scan, sample, rows)
