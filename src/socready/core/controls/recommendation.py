"""Which library controls an organization's scope calls for, without other industries' controls.

A control is recommended when it maps to a criterion or an objective in scope. Some controls are specific to
a kind of processing (payroll, payments, claims, lending ...; the library marks them with ``services``).
Every such control maps to a Processing Integrity criterion, so a SOC 2 with that category would otherwise
recommend claims adjudication to a payroll company. Through a SOC 2 criterion, a service-specific control is
therefore recommended only when the organization provides one of its services. Through a SOC 1 objective it
always is: an objective in scope already says that the organization does that processing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from socready.core.catalog.catalog import Objective
from socready.core.controls.library import Control, ControlLibrary


def services_in_scope(stated: Iterable[str], objectives: Iterable[Objective], objective_ids: Collection[str]
                      ) -> frozenset[str]:
    """The services an organization provides: those its profile states plus those of its in-scope objectives."""
    return frozenset(stated) | {o.service for o in objectives if o.id in objective_ids and o.service}


def recommend_controls(library: ControlLibrary, *, criteria: Collection[str], objectives: Collection[str],
                       services: Collection[str]) -> tuple[Control, ...]:
    """The applicable controls, in library order, that serve the in-scope criteria or objectives.

    ``services`` are the kinds of processing the organization provides (see ``services_in_scope``); a
    control specific to other services is left out unless it maps to an in-scope objective.
    """
    wanted_criteria, wanted_objectives = set(criteria), set(objectives)
    return tuple(
        c for c in library.applicable()
        if wanted_objectives.intersection(c.objectives)
        or (wanted_criteria.intersection(c.criteria) and c.fits_services(services))
    )
