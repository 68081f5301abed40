"""Account screens: the home page lists the organizations the signed-in user belongs to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socready.accounts.access import organizations_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the user's organizations; someone in exactly one goes straight to its dashboard (``?all=1`` stays)."""
    organizations = list(organizations_of(request.user))
    if len(organizations) == 1 and not request.GET.get("all"):
        return redirect("org-dashboard", slug=organizations[0].slug)
    return render(request, "socready/home.html", {"organizations": organizations})
