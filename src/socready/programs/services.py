"""Program operations: adopting library controls, objectives, and engagements from a recommendation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from socready.accounts.models import Organization
from socready.core.catalog.catalog import default_catalog
from socready.core.controls.library import Control as LibraryControl
from socready.core.controls.library import default_library
from socready.core.controls.recommendation import recommend_controls, services_in_scope
from socready.programs.models import (
    Control,
    Engagement,
    OrgObjective,
    Report,
    ReportType,
    ScopingProfile,
)


def ensure_objectives(org: Organization, codes: Iterable[str]) -> list[OrgObjective]:
    """Give the organization its own copy of the template objectives it scopes in (editable later)."""
    templates = {o.id: o for o in default_catalog().objectives}
    existing = {o.code: o for o in OrgObjective.objects.filter(organization=org)}
    created = []
    for code in codes:
        if code in existing or code not in templates:
            continue
        t = templates[code]
        created.append(OrgObjective.objects.create(
            organization=org, code=t.id, area=t.area, service=t.service or "", domain=t.domain, title=t.title,
            statement=t.statement))
    return created


def _scope_of(engagements: Sequence[Engagement]) -> tuple[set[str], set[str]]:
    """The criteria and objectives in scope of any of the engagements."""
    criteria: set[str] = set()
    objectives: set[str] = set()
    catalog = default_catalog()
    for engagement in engagements:
        if engagement.report == Report.SOC2:
            criteria |= {c.id for c in catalog.criteria_in(engagement.categories or ["Security"])}
        else:
            objectives |= set(engagement.objectives)
    return criteria, objectives


def organization_services(org: Organization, engagements: Sequence[Engagement]) -> frozenset[str]:
    """The kinds of processing the organization provides (payroll, payments ...).

    They come from the scoping recommendation (the financial roles its profile states or its description
    shows) and from the business objectives its SOC 1 engagements scope.
    """
    profile = ScopingProfile.objects.filter(organization=org).only("recommendation").first()
    stated = (profile.recommendation or {}).get("soc1_objective_services") or () if profile else ()
    return services_in_scope(stated, default_catalog().objectives, _scope_of(engagements)[1])


def recommended_library_controls(org: Organization, engagements: Sequence[Engagement]) -> list[LibraryControl]:
    """The library controls that map to something in scope of the engagements and fit the organization's services.

    A payroll company's SOC 2 with Processing Integrity gets the payroll controls, not claims or lending ones.
    """
    criteria, objectives = _scope_of(engagements)
    return list(recommend_controls(default_library(), criteria=criteria, objectives=objectives,
                                   services=organization_services(org, engagements)))


def _serves(control: LibraryControl | Control, engagement: Engagement) -> bool:
    """Does a control map to something in this engagement's scope?"""
    if engagement.report == Report.SOC2:
        wanted = {c.id for c in default_catalog().criteria_in(engagement.categories or ["Security"])}
        return bool(set(control.criteria) & wanted)
    return bool(set(control.objectives) & set(engagement.objectives))


@transaction.atomic
def adopt_controls(org: Organization, library_ids: Iterable[str] | None = None) -> list[Control]:
    """Adopt library controls (default: all recommended for the engagements) and link them where they serve.

    Adopting a control twice does nothing: the existing row keeps its owner, status and notes.
    """
    engagements = list(org.engagements.all())
    library = {c.id: c for c in default_library().controls}
    if library_ids is None:
        chosen = recommended_library_controls(org, engagements)
    else:
        unknown = [i for i in library_ids if i not in library]
        if unknown:
            raise ValueError(f"unknown library control(s): {', '.join(unknown)}")
        chosen = [library[i] for i in library_ids]
    existing = set(Control.objects.filter(organization=org).values_list("library_id", flat=True))
    adopted = []
    for item in chosen:
        if item.id in existing:
            continue
        control = Control.objects.create(
            organization=org, code=item.id, library_id=item.id, title=item.title, description=item.description,
            family=item.family, frequency=item.frequency, nature=item.nature, kind=item.kind,
            criteria=list(item.criteria), objectives=list(item.objectives),
            evidence_requests=[{"id": e.id, "name": e.name, "shows": e.shows} for e in item.evidence],
            type1_test=item.type1_test, type2_attributes=list(item.type2_attributes),
        )
        serving = [e for e in engagements if _serves(item, e)]
        if serving:
            control.engagements.add(*serving)
        adopted.append(control)
    return adopted


def link_controls_to_engagement(engagement: Engagement) -> int:
    """Link every adopted control that serves a new engagement's scope to it; returns how many."""
    controls = [c for c in Control.objects.filter(organization=engagement.organization, not_applicable=False)
                if _serves(c, engagement)]
    engagement.controls.add(*controls)
    return len(controls)


@transaction.atomic
def create_engagements(org: Organization, recommendation: dict[str, Any], plans: Sequence[dict[str, Any]]
                       ) -> list[Engagement]:
    """Create one engagement per planned report, scoped from the recommendation, and link adopted controls."""
    created = []
    for plan in plans:
        report = plan["report"]
        engagement = Engagement.objects.create(
            organization=org, report=report, report_type=plan["report_type"],
            as_of_date=plan.get("as_of_date"), period_start=plan.get("period_start"),
            period_end=plan.get("period_end"), auditor_firm=plan.get("auditor_firm", ""),
            categories=list(recommendation.get("soc2_categories") or ["Security"]) if report == Report.SOC2 else [],
            objectives=soc1_objective_codes(recommendation) if report == Report.SOC1 else [],
        )
        if report == Report.SOC1:
            ensure_objectives(org, engagement.objectives)
        link_controls_to_engagement(engagement)
        created.append(engagement)
    return created


def soc1_objective_codes(recommendation: dict[str, Any]) -> list[str]:
    """Every IT general control objective plus the business objectives of the services in scope."""
    services = set(recommendation.get("soc1_objective_services") or [])
    return [o.id for o in default_catalog().objectives if o.area == "itgc" or o.service in services]


def shared_control_count(org: Organization) -> int:
    """Controls that serve both a SOC 1 and a SOC 2 engagement: one row, evidence collected once."""
    return (Control.objects.filter(organization=org, not_applicable=False)
            .annotate(soc1=Count("engagements", filter=Q(engagements__report=Report.SOC1)),
                      soc2=Count("engagements", filter=Q(engagements__report=Report.SOC2)))
            .filter(soc1__gt=0, soc2__gt=0).count())


def report_type_label(value: str) -> str:
    """'Type I' or 'Type II' for a stored report type."""
    return ReportType(value).label
