"""The organization dashboard: readiness per engagement, the first steps, the next things to do, the figures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.accounts.models import Organization, User
from socready.audit.version import VersionedCache, program_version
from socready.connectors.health import connector_health
from socready.dashboard.chart import readiness_bars
from socready.dashboard.figures import EngagementSummary, dashboard_figures, overdue_tasks
from socready.dashboard.guide import checklist, next_things
from socready.evidence.services import evidence_figures
from socready.programs.models import ControlStatus, ScopingProfile
from socready.reports.services import ProgramReadiness, ReportError, program_readiness


def _program(org: Organization) -> ProgramReadiness | None:
    """Readiness as the readiness page has it (scored once per change), or None when it cannot be scored."""
    try:
        return program_readiness(org)
    except ReportError:
        return None


def _engagement_rows(summaries: list[EngagementSummary], program: ProgramReadiness | None) -> list[dict[str, Any]]:
    """Each engagement's readiness score, ready date and ready targets beside its coverage by design."""
    scores = {r.engagement.id: r for r in program.readiness.by_report} if program else {}
    rows = []
    for summary in summaries:
        report = scores.get(str(summary.engagement.pk))
        rows.append({
            "summary": summary,
            "score": report.score.value if report else None,
            "ready_date": report.ready_date if report else None,
            "targets_ready": sum(t.state == "ready" for t in report.targets) if report else None,
        })
    return rows


def _short_label(summary: EngagementSummary) -> str:
    """What a chart bar is called: the report and type (the dates are in the table beside it)."""
    engagement = summary.engagement
    return f"{engagement.get_report_display()} {engagement.get_report_type_display()}"


_panels: VersionedCache[dict[str, Any]] = VersionedCache(size=64, shared="dashboard")


def _figures(org: Organization, user: User) -> dict[str, Any]:
    """Everything the dashboard counts and suggests; it all follows from the program's rows and the day."""
    figures = dashboard_figures(org)
    statuses = [(value, label, figures.by_status.get(value, 0)) for value, label in ControlStatus.choices]
    # The scoping call to action only shows before any engagement exists, so only then is the profile read.
    has_scoping = not figures.summaries and bool(
        ScopingProfile.objects.filter(organization=org).values_list("recommendation", flat=True).first())
    program = _program(org) if figures.summaries else None
    engagements = _engagement_rows(figures.summaries, program)
    scored = [(_short_label(row["summary"]), row["score"]) for row in engagements if row["score"] is not None]
    steps = checklist(org)
    return {
        "summaries": figures.summaries, "statuses": statuses,
        "total_controls": figures.total_controls, "shared": figures.shared, "overdue": overdue_tasks(org),
        "has_scoping": has_scoping, "evidence": evidence_figures(org), "engagements": engagements,
        "chart": readiness_bars(scored) if scored else None,
        "ready_date": program.readiness.ready_date if program else None,
        "steps": steps, "steps_done": sum(step.done for step in steps),
        "next_things": next_things(org, user, program),
    }


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the program at a glance and what to do next.

    The figures are computed once per program version, day and person (the next things put one's own first).
    """
    access = resolve_tenant(request, slug)
    org = access.organization
    user = access.membership.user
    version, today = program_version(org.pk), timezone.localdate()
    key = (org.pk, version, today, user.pk)
    return render(request, "dashboard/dashboard.html", {
        **access.context(), **_panels.get_or_compute(key, lambda: _figures(org, user)), "version": version,
        "today": today,
        # Runs are not audited changes, so the connections' health is read on every visit, not cached.
        "connector_health": connector_health(org),
    })
