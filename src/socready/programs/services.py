"""Turns program rows into core objects and back: adoption, engagements from a recommendation, coverage."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, JSONField, Q, Value, When
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.catalog.catalog import default_catalog
from socready.core.controls.library import Control as LibraryControl
from socready.core.controls.library import default_library
from socready.core.controls.recommendation import recommend_controls, services_in_scope
from socready.programs.models import (
    Control,
    ControlStatus,
    Engagement,
    OrgObjective,
    RemediationTask,
    Report,
    ReportType,
    ScopingProfile,
    TaskStatus,
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


def default_period(months: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """A Type II window starting on the first of next month and running ``months`` months."""
    today = today or timezone.localdate()
    start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end_month = start.month - 1 + months
    end_first = dt.date(start.year + end_month // 12, end_month % 12 + 1, 1)
    return start, end_first - dt.timedelta(days=1)


@dataclass(frozen=True)
class EngagementSummary:
    """Counts for one engagement on the dashboard."""

    engagement: Engagement
    by_status: dict[str, int]
    controls: int
    targets_in_scope: int
    targets_covered: int

    @property
    def status_items(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for each status present, in workflow order."""
        return [(value, label, self.by_status[value]) for value, label in ControlStatus.choices
                if self.by_status.get(value)]

    @property
    def operating_share(self) -> int:
        return round(100 * self.by_status.get(ControlStatus.OPERATING, 0) / self.controls) if self.controls else 0


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the dashboard counts about an organization's applicable controls."""

    summaries: list[EngagementSummary]
    by_status: dict[str, int]  # program-wide, each control once however many engagements it serves
    shared: int  # controls serving both a SOC 1 and a SOC 2 engagement

    @property
    def total_controls(self) -> int:
        return sum(self.by_status.values())


def dashboard_figures(org: Organization) -> DashboardFigures:
    """Status counts, SOC 1/SOC 2 sharing and per-engagement coverage, from two queries whatever the program size.

    One row comes back per applicable control and engagement it serves (one row with no engagement for a control
    that serves none). Each row carries only the mapping its engagement is scoped by, criteria for SOC 2 and
    objectives for SOC 1, so each JSON list is decoded once.
    """
    engagements = list(org.engagements.all())
    report_of = {e.pk: e.report for e in engagements}
    targets = Case(When(engagements__report=Report.SOC2, then=F("criteria")),
                   When(engagements__report=Report.SOC1, then=F("objectives")),
                   default=Value(None), output_field=JSONField())
    rows = (Control.objects.filter(organization=org, not_applicable=False)
            .annotate(targets=targets).values_list("pk", "status", "engagements", "targets").order_by())
    status_of: dict[int, str] = {}
    reports_of: dict[int, set[str]] = {}
    by_engagement: dict[int, Counter[str]] = {e.pk: Counter() for e in engagements}
    mapped: dict[int, set[str]] = {e.pk: set() for e in engagements}
    for pk, status, engagement_id, mapping in rows:
        status_of[pk] = status
        if engagement_id in by_engagement:
            by_engagement[engagement_id][status] += 1
            reports_of.setdefault(pk, set()).add(report_of[engagement_id])
            mapped[engagement_id].update(mapping or ())
    catalog = default_catalog()
    summaries = []
    for engagement in engagements:
        if engagement.report == Report.SOC2:
            in_scope = {c.id for c in catalog.criteria_in(engagement.categories or ["Security"])}
        else:
            in_scope = set(engagement.objectives)
        counts = dict(by_engagement[engagement.pk])
        summaries.append(EngagementSummary(engagement, counts, sum(counts.values()), len(in_scope),
                                           len(mapped[engagement.pk] & in_scope)))
    shared = sum(1 for reports in reports_of.values() if {Report.SOC1, Report.SOC2} <= reports)
    return DashboardFigures(summaries, dict(Counter(status_of.values())), shared)


def shared_control_count(org: Organization) -> int:
    """Controls that serve both a SOC 1 and a SOC 2 engagement: one row, evidence collected once."""
    return (Control.objects.filter(organization=org, not_applicable=False)
            .annotate(soc1=Count("engagements", filter=Q(engagements__report=Report.SOC1)),
                      soc2=Count("engagements", filter=Q(engagements__report=Report.SOC2)))
            .filter(soc1__gt=0, soc2__gt=0).count())


def overdue_tasks(org: Organization, limit: int = 20) -> list[RemediationTask]:
    """The earliest-due open tasks whose due date has passed, with their owners.

    Only the title, due date and owner's name are loaded (what the dashboard lists); reading another field of a
    returned task costs a query.
    """
    return list(RemediationTask.objects.filter(organization=org, due_date__lt=timezone.localdate())
                .exclude(status=TaskStatus.DONE).select_related("owner")
                .only("title", "due_date", "owner__first_name", "owner__last_name", "owner__email")
                .order_by("due_date", "pk")[:limit])


def report_type_label(value: str) -> str:
    """'Type I' or 'Type II' for a stored report type."""
    return ReportType(value).label
