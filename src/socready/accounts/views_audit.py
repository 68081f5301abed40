"""The audit trail page of an organization, with filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from socready.accounts.access import resolve_tenant
from socready.audit.display import describe, model_label
from socready.audit.models import AuditEvent


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Every recorded change to this organization's data, newest first; filter by model, action, person."""
    access = resolve_tenant(request, slug)
    events = AuditEvent.objects.filter(organization=access.organization)
    model = request.GET.get("model", "")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "")
    if model:
        events = events.filter(model=model)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    models = (AuditEvent.objects.filter(organization=access.organization)
              .values_list("model", flat=True).distinct().order_by("model"))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    choices = sorted(((m, model_label(m)) for m in models), key=lambda choice: choice[1].lower())
    return render(request, "audit/log.html", {
        **access.context(), "page": page, "rows": [describe(event) for event in page],
        "models": choices, "model": model, "action": action, "actor": actor,
    })
