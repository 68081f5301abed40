"""The organization dashboard: each engagement's progress, what is overdue, what the reports share."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.accounts.access import resolve_tenant
from socready.connectors.health import connector_health
from socready.dashboard.figures import dashboard_figures, overdue_tasks
from socready.evidence.services import evidence_figures
from socready.programs.models import ControlStatus, ScopingProfile


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the program at a glance."""
    access = resolve_tenant(request, slug)
    org = access.organization
    figures = dashboard_figures(org)
    statuses = [(value, label, figures.by_status.get(value, 0)) for value, label in ControlStatus.choices]
    # The scoping call to action only shows before any engagement exists, so only then is the profile read.
    has_scoping = not figures.summaries and bool(
        ScopingProfile.objects.filter(organization=org).values_list("recommendation", flat=True).first())
    return render(request, "dashboard/dashboard.html", {
        **access.context(), "summaries": figures.summaries, "statuses": statuses,
        "total_controls": figures.total_controls, "shared": figures.shared, "overdue": overdue_tasks(org),
        "has_scoping": has_scoping, "evidence": evidence_figures(org), "connector_health": connector_health(org),
    })
