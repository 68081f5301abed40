"""Evidence seen from a control (with its window timeline) and from an engagement."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.core.window import Coverage, Freshness, Window, evidence_freshness, reference_date, window_coverage
from socready.evidence.models import EvidenceItem
from socready.evidence.services import evidence_for_engagement, live_evidence
from socready.programs.models import Control, Engagement, ReportType


@dataclass(frozen=True)
class EngagementTimeline:
    """A control's evidence against one engagement: window coverage (Type II) or freshness (Type I)."""

    engagement: Engagement
    coverage: Coverage | None = None
    freshness: Freshness | None = None
    note: str = ""


def _timeline(control: Control, engagement: Engagement, items: list[EvidenceItem]) -> EngagementTimeline:
    # The rules are core's (core.window), the same ones readiness scores with.
    today = timezone.localdate()
    spans = [(i.effective_date, i.last_day) for i in items]
    if engagement.report_type == ReportType.TYPE2:
        if not (engagement.period_start and engagement.period_end):
            return EngagementTimeline(engagement, note="Set the engagement's period to see its timeline.")
        window = Window(engagement.period_start, engagement.period_end)
        return EngagementTimeline(engagement, coverage=window_coverage(control.frequency, window, spans, today))
    if not engagement.as_of_date:
        return EngagementTimeline(engagement, note="Set the engagement's as-of date to judge freshness.")
    reference = reference_date(engagement.as_of_date, today)
    return EngagementTimeline(engagement, freshness=evidence_freshness(control.frequency, spans, reference))


@login_required
def control_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A control's evidence and, per engagement it serves, the window timeline or the Type I freshness."""
    access = resolve_tenant(request, slug)
    control = get_object_or_404(Control, pk=pk, organization=access.organization)
    items = list(live_evidence(access.organization).filter(controls=control))
    timelines = [_timeline(control, e, items) for e in control.engagements.order_by("report", "id")]
    return render(request, "evidence/control_evidence.html", {
        **access.context(), "control": control, "items": items, "timelines": timelines,
    })


@login_required
def engagement_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Everything an engagement relies on: the evidence of its controls, shared items marked."""
    access = resolve_tenant(request, slug)
    engagement = get_object_or_404(Engagement, pk=pk, organization=access.organization)
    items = list(evidence_for_engagement(engagement).prefetch_related("controls__engagements"))
    others = {e.pk: e.label for e in Engagement.objects.filter(organization=access.organization).exclude(pk=pk)}
    shared: dict[int, list[str]] = {}
    for item in items:
        labels = {others[e.pk] for c in item.controls.all() for e in c.engagements.all() if e.pk in others}
        shared[item.pk] = sorted(labels)
    return render(request, "evidence/engagement_evidence.html", {
        **access.context(), "engagement": engagement, "rows": [(i, shared[i.pk]) for i in items],
    })
