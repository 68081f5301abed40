"""The organization dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.accounts.access import resolve_tenant


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the organization's program at a glance."""
    access = resolve_tenant(request, slug)
    return render(request, "programs/dashboard.html", {
        "organization": access.organization, "membership": access.membership,
    })
