"""Between two periods: the bridge letter our customers ask for, and rolling a finished engagement forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from socready.audit.models import AuditEvent
from socready.core.vendors.bridge import BridgeLetter, check_bridge_dates, default_statement
from socready.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidencePurpose,
    EvidenceRequest,
    Population,
    PopulationKind,
    RequestComment,
    RequestStatus,
    SampleTest,
)
from socready.evidence.services import generate_requests
from socready.programs.models import Engagement, ReportType
from socready.programs.services_engagements import is_read_only
from socready.vendors.models import RollForward

CONTROL_MODEL = "programs.Control"


class RollForwardRefused(ValueError):
    """The engagement cannot be rolled forward (no dates, or it already was)."""


def last_day(engagement: Engagement) -> dt.date | None:
    """The last day an engagement's report speaks for: its period end or as-of date."""
    return engagement.period_end if engagement.report_type == ReportType.TYPE2 else engagement.as_of_date


def _control_changes(engagement: Engagement, after: dt.date, through: dt.date) -> list[str]:
    events = (AuditEvent.objects.filter(organization=engagement.organization, model=CONTROL_MODEL,
                                        at__date__gt=after, at__date__lte=through).order_by("at", "id"))
    lines = []
    for event in events:
        before, now = event.before or {}, event.after or {}
        changed = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k)
                         and k not in ("updated_at", "id"))
        what = {"create": "added", "delete": "removed"}.get(event.action, "changed")
        fields = f" ({', '.join(changed)})" if event.action == "update" and changed else ""
        lines.append(f"{event.at:%Y-%m-%d}: control {event.object_repr} {what}{fields}")
    return lines


def _failing_checks(engagement: Engagement, after: dt.date, through: dt.date) -> list[str]:
    lines = []
    for test in (SampleTest.objects.filter(sample__population__organization=engagement.organization,
                                           tested_at__date__gt=after, tested_at__date__lte=through)
                 .select_related("sample__population__control")):
        if not test.passed:
            lines.append(f"{test.tested_at:%Y-%m-%d}: sampled item {test.item_id} of control "
                         f"{test.sample.population.control.code} failed its test")
    for item in (EvidenceItem.objects.filter(organization=engagement.organization, kind=EvidenceKind.RESULT,
                                             deleted_at__isnull=True, effective_date__gt=after,
                                             effective_date__lte=through).select_related("current")):
        result = item.current.result if item.current else None
        if isinstance(result, dict) and (result.get("passed") is False
                                         or str(result.get("status", "")).lower() in ("fail", "failed", "failing")):
            lines.append(f"{item.effective_date}: automated check '{item.title}' failed")
    return lines


def _incidents(engagement: Engagement, after: dt.date, through: dt.date) -> list[str]:
    lines = []
    for population in Population.objects.filter(organization=engagement.organization, kind=PopulationKind.INCIDENTS):
        for month, rows in population.months or []:
            if after.strftime("%Y-%m") <= str(month) <= through.strftime("%Y-%m") and rows:
                lines.append(f"{month}: {rows} incident(s) recorded in {population.source_name}")
    return lines


def bridge_letter(engagement: Engagement, through: dt.date, statement: str = "") -> BridgeLetter:
    """The bridge letter from an engagement's last day to ``through``, with the changes socready recorded since."""
    end = last_day(engagement)
    if end is None:
        raise ValueError("the engagement has no period end or as-of date yet")
    check_bridge_dates(end, through)
    org = engagement.organization.name
    report = f"{engagement.get_report_display()} {engagement.get_report_type_display()}"
    return BridgeLetter(
        organization=org, report=report,
        period_start=engagement.period_start if engagement.report_type == ReportType.TYPE2 else None,
        period_end=end, through=through, statement=statement.strip() or default_statement(org, report, end, through),
        changes=tuple(_control_changes(engagement, end, through)),
        failing_checks=tuple(_failing_checks(engagement, end, through)),
        incidents=tuple(_incidents(engagement, end, through)), auditor_firm=engagement.auditor_firm,
        generated=timezone.localdate())


def _next_dates(engagement: Engagement) -> dict[str, Any]:
    if engagement.report_type == ReportType.TYPE2:
        if not (engagement.period_start and engagement.period_end):
            raise RollForwardRefused("set the engagement's period before rolling it forward")
        start = engagement.period_end + dt.timedelta(days=1)
        return {"period_start": start, "period_end": _next_end(engagement.period_start, engagement.period_end, start)}
    if engagement.as_of_date is None:
        raise RollForwardRefused("set the engagement's as-of date before rolling it forward")
    # After a Type I the next report is usually a Type II over the following months; the date moves a year on.
    return {"as_of_date": engagement.as_of_date + dt.timedelta(days=365)}


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _next_end(start: dt.date, end: dt.date, next_start: dt.date) -> dt.date:
    """The next period's end: as many whole months when the period is whole months, else as many days."""
    if start.day == 1 and end == _month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = next_start.month - 1 + months - 1
        return _month_end(next_start.year + index // 12, index % 12 + 1)
    return next_start + (end - start)


def _reopen_operating_requests(engagement: Engagement, target: Engagement, end: dt.date | None, user: Any) -> int:
    """Ask again, for the new period, every PBC request the old period answered with operating evidence.

    A request answered only by design evidence keeps its status: that evidence still stands. Returns how many
    were reopened; each gets a comment saying why, and the old items stay linked as prior-period reference.
    """
    reopened = 0
    requests = (EvidenceRequest.objects.filter(organization=engagement.organization, engagements=target)
                .exclude(status=RequestStatus.REQUESTED).prefetch_related("evidence_items"))
    for request in requests:
        prior = [i for i in request.evidence_items.all()
                 if i.deleted_at is None and (end is None or i.effective_date <= end)]
        operating = [i for i in prior if i.purpose == EvidencePurpose.OPERATING]
        if not operating:
            continue
        request.status = RequestStatus.REQUESTED
        request.save(update_fields=["status"])
        RequestComment.objects.create(
            request=request, author=user, status_set=RequestStatus.REQUESTED,
            text=(f"Reopened for {target.label}: operating evidence is expected anew for the new period. The "
                  f"{len(prior)} item(s) provided for {engagement.label} stay as prior-period reference."))
        reopened += 1
    return reopened


@transaction.atomic
def roll_forward(engagement: Engagement, user: Any) -> RollForward:
    """Start the next period's engagement from a finished one.

    The new engagement keeps the report, type, scope, firm, controls and their mappings. Evidence stays on the
    controls: design evidence dated in the old period stands as prior-period reference, while operating evidence
    is expected anew (readiness counts only evidence dated in the new window, and a PBC request the old period
    answered with operating evidence is reopened). The PBC list is regenerated for the new engagement;
    populations and samples stay with the old one. The old engagement becomes read-only.
    """
    if is_read_only(engagement):
        raise RollForwardRefused(f"{engagement.label} was already rolled forward")
    end = last_day(engagement)
    if end is not None and end >= timezone.localdate():
        raise RollForwardRefused(f"{engagement.label} has not ended yet: roll it forward after {end}")
    target = Engagement.objects.create(
        organization=engagement.organization, report=engagement.report, report_type=engagement.report_type,
        categories=list(engagement.categories), objectives=list(engagement.objectives),
        auditor_firm=engagement.auditor_firm, **_next_dates(engagement))
    controls = list(engagement.controls.all())
    for control in controls:
        control.engagements.add(target)
    generate_requests(engagement.organization)
    prior = (EvidenceItem.objects.filter(organization=engagement.organization, deleted_at__isnull=True,
                                         controls__in=controls, effective_date__lte=end).distinct()
             if end else EvidenceItem.objects.none())
    design = prior.filter(purpose=EvidencePurpose.DESIGN).count()
    summary = {"controls": len(controls), "prior_evidence": prior.count(), "design_reference": design,
               "operating_prior": prior.count() - design,
               "reopened_requests": _reopen_operating_requests(engagement, target, end, user),
               "requests": target.evidence_requests.count()}
    return RollForward.objects.create(organization=engagement.organization, source=engagement, target=target,
                                      by=user, summary=summary)
