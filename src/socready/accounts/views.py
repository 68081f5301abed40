"""Account screens: the home page lists the organizations the user belongs to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.accounts.access import organizations_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """List the organizations the signed-in user belongs to."""
    organizations = organizations_of(request.user)
    return render(request, "socready/home.html", {"organizations": organizations})
