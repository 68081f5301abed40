"""What the dashboard counts: each engagement's controls by status and coverage, and overdue tasks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, F, JSONField, Value, When
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.catalog.catalog import default_catalog
from socready.programs.models import Control, ControlStatus, Engagement, RemediationTask, Report, TaskStatus


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


def overdue_tasks(org: Organization, limit: int = 20) -> list[RemediationTask]:
    """The earliest-due open tasks whose due date has passed, with their owners.

    Only the title, due date and owner's name are loaded (what the dashboard lists); reading another field of a
    returned task costs a query.
    """
    return list(RemediationTask.objects.filter(organization=org, due_date__lt=timezone.localdate())
                .exclude(status=TaskStatus.DONE).select_related("owner")
                .only("title", "due_date", "owner__first_name", "owner__last_name", "owner__email")
                .order_by("due_date", "pk")[:limit])
