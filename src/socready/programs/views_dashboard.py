"""The organization dashboard: each engagement's progress, what is overdue, what the reports share."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.accounts.access import resolve_tenant
from socready.programs.models import Control, ControlStatus
from socready.programs.services import engagement_summaries, overdue_tasks, shared_control_count


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the program at a glance."""
    access = resolve_tenant(request, slug)
    org = access.organization
    status_counts = dict(Control.objects.filter(organization=org, not_applicable=False)
                         .values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    statuses = [(value, label, status_counts.get(value, 0)) for value, label in ControlStatus.choices]
    return render(request, "programs/dashboard.html", {
        **access.context(), "summaries": engagement_summaries(org), "statuses": statuses,
        "total_controls": sum(status_counts.values()), "shared": shared_control_count(org),
        "overdue": overdue_tasks(org), "has_scoping": hasattr(org, "scoping") and bool(org.scoping.recommendation),
    })
