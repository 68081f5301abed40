"""Coverage and overlap: for a scope, which controls cover each criterion and objective, and what is reused.

One control that maps to both a SOC 2 criterion and a SOC 1 objective in scope serves both reports, and
its evidence is collected once. These functions make that reuse visible and count it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from socready.core.catalog.catalog import CATEGORIES, OBJECTIVE_SERVICES, Criterion, Objective, normalize_category
from socready.core.controls.library import Control, ControlLibrary
from socready.core.errors import InputError


@dataclass(frozen=True)
class Scope:
    """What is examined: SOC 1 objectives and/or SOC 2 categories (empty categories means no SOC 2)."""

    soc1: bool
    soc2_categories: tuple[str, ...]
    objectives: tuple[str, ...]

    @property
    def soc2(self) -> bool:
        """True when a SOC 2 is in scope."""
        return bool(self.soc2_categories)


def build_scope(objectives: Sequence[Objective], *, soc1: bool, soc2: bool,
                soc2_categories: Iterable[str] = (), services: Iterable[str] = (),
                objective_ids: Iterable[str] | None = None) -> Scope:
    """Build a scope: Security always joins a SOC 2; SOC 1 takes every ITGC objective plus chosen services.

    ``objective_ids`` replaces that default with an explicit list. Unknown names raise InputError.
    """
    categories: set[str] = set()
    for name in soc2_categories:
        try:
            categories.add(normalize_category(name))
        except ValueError as exc:
            raise InputError(str(exc), field="soc2_categories") from None
    chosen: tuple[str, ...] = ()
    if soc1:
        known = {o.id for o in objectives}
        if objective_ids is not None:
            chosen = tuple(dict.fromkeys(objective_ids))
            unknown = [o for o in chosen if o not in known]
            if unknown:
                raise InputError(f"unknown objective id(s): {', '.join(unknown)}", field="objectives")
        else:
            wanted = set(services)
            offered = {o.service for o in objectives if o.service} | set(OBJECTIVE_SERVICES)
            unknown = sorted(wanted - offered)
            if unknown:
                raise InputError(f"unknown service(s): {', '.join(unknown)} (expected from: "
                                 f"{', '.join(sorted(offered))})", field="services")
            chosen = tuple(o.id for o in objectives if o.area == "itgc" or o.service in wanted)
    if soc2 or categories:
        categories.add("Security")
    return Scope(soc1=soc1, soc2_categories=tuple(c for c in CATEGORIES if c in categories),
                 objectives=chosen)


@dataclass(frozen=True)
class Target:
    """One in-scope criterion or objective and the adopted controls that cover it."""

    id: str
    report: str
    title: str
    controls: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """True when at least one control covers the target."""
        return bool(self.controls)


@dataclass(frozen=True)
class Coverage:
    """Coverage of a scope by a set of adopted controls, with the overlap between the two reports."""

    scope: Scope
    criteria: tuple[Target, ...]
    objectives: tuple[Target, ...]
    soc2_controls: tuple[str, ...]
    soc1_controls: tuple[str, ...]
    shared_controls: tuple[str, ...]
    evidence: tuple[str, ...]
    shared_evidence: tuple[str, ...]
    not_applicable: tuple[tuple[str, str], ...]

    @property
    def uncovered_criteria(self) -> tuple[str, ...]:
        """In-scope criteria that no adopted control covers."""
        return tuple(t.id for t in self.criteria if not t.covered)

    @property
    def uncovered_objectives(self) -> tuple[str, ...]:
        """In-scope objectives that no adopted control covers."""
        return tuple(t.id for t in self.objectives if not t.covered)

    @property
    def controls(self) -> tuple[str, ...]:
        """Every adopted control that serves the scope, each once."""
        return tuple(dict.fromkeys((*self.soc2_controls, *self.soc1_controls)))

    def counts(self) -> dict[str, int]:
        """The headline figures of coverage and reuse."""
        separate = self.evidence_requests_if_separate()
        return {
            "criteria_in_scope": len(self.criteria),
            "criteria_covered": len(self.criteria) - len(self.uncovered_criteria),
            "objectives_in_scope": len(self.objectives),
            "objectives_covered": len(self.objectives) - len(self.uncovered_objectives),
            "controls": len(self.controls),
            "soc2_controls": len(self.soc2_controls),
            "soc1_controls": len(self.soc1_controls),
            "shared_controls": len(self.shared_controls),
            "evidence_requests": len(self.evidence),
            "shared_evidence_requests": len(self.shared_evidence),
            "evidence_requests_if_separate": separate,
            "not_applicable": len(self.not_applicable),
        }

    def evidence_requests_if_separate(self) -> int:
        """How many requests two separate programs would make: shared ones would be asked for twice."""
        return len(self.evidence) + len(self.shared_evidence)


def compute_coverage(library: ControlLibrary, criteria: Sequence[Criterion], objectives: Sequence[Objective],
                     scope: Scope, adopted: Iterable[str] | None = None) -> Coverage:
    """Return coverage of ``scope`` by the adopted controls (default: every applicable control).

    ``criteria`` and ``objectives`` are the catalogs in force; they give order and titles. Controls
    marked not applicable never cover anything, even when listed in ``adopted``.
    """
    chosen = _adopted(library, adopted)
    criteria_in_scope = [c for c in criteria if c.category in scope.soc2_categories]
    objective_by_id = {o.id: o for o in objectives}
    objectives_in_scope = [objective_by_id[o] for o in scope.objectives if o in objective_by_id]
    criterion_ids = {c.id for c in criteria_in_scope}
    objective_ids = {o.id for o in objectives_in_scope}

    soc2 = tuple(c.id for c in chosen if criterion_ids.intersection(c.criteria))
    soc1 = tuple(c.id for c in chosen if objective_ids.intersection(c.objectives))
    both = set(soc1).intersection(soc2)
    serving = [c for c in chosen if c.id in set(soc1) | set(soc2)]
    return Coverage(
        scope=scope,
        criteria=tuple(Target(c.id, "soc2", c.title, tuple(x.id for x in chosen if c.id in x.criteria))
                       for c in criteria_in_scope),
        objectives=tuple(Target(o.id, "soc1", o.title, tuple(x.id for x in chosen if o.id in x.objectives))
                         for o in objectives_in_scope),
        soc2_controls=soc2,
        soc1_controls=soc1,
        shared_controls=tuple(c.id for c in serving if c.id in both),
        evidence=tuple(e.id for c in serving for e in c.evidence),
        shared_evidence=tuple(e.id for c in serving if c.id in both for e in c.evidence),
        not_applicable=tuple((c.id, c.not_applicable_reason or "") for c in library.controls
                             if not c.applicable),
    )


def _adopted(library: ControlLibrary, adopted: Iterable[str] | None) -> tuple[Control, ...]:
    if adopted is None:
        return library.applicable()
    wanted = set(adopted)
    unknown = sorted(wanted - {c.id for c in library.controls})
    if unknown:
        raise InputError(f"unknown control id(s): {', '.join(unknown)}", field="adopted")
    return tuple(c for c in library.controls if c.id in wanted and c.applicable)
