"""The audit trail page of an organization, with filters."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from socready.accounts.access import resolve_tenant
from socready.accounts.models import User
from socready.audit.display import EventRow, describe, model_label, people_referenced
from socready.audit.models import AuditEvent
from socready.audit.version import program_version


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

    def page() -> Page[AuditEvent]:
        return Paginator(events, 50).get_page(request.GET.get("page"))

    def choices() -> list[tuple[str, str]]:
        models = (AuditEvent.objects.filter(organization=access.organization)
                  .values_list("model", flat=True).distinct().order_by("model"))
        return sorted(((m, model_label(m)) for m in models), key=lambda choice: choice[1].lower())

    # The newest event is the program version, so a page of the trail is drawn and described once per version
    # (and filter and page) by the template's cache; these stay lazy until it is drawn.
    listed = SimpleLazyObject(page)
    return render(request, "audit/log.html", {
        **access.context(), "version": program_version(access.organization.pk), "query":
        request.GET.urlencode(), "page": listed, "rows": SimpleLazyObject(lambda: _rows(listed)),
        "models": SimpleLazyObject(choices), "model": model, "action": action, "actor": actor,
    })


def _rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    """The page's events described, every person they point to named as the other pages do, in one query."""
    listed = list(events)
    people = User.objects.filter(pk__in=people_referenced(listed)).only("first_name", "last_name", "email")
    names = {person.pk: person.display_name for person in people}
    return [describe(event, names) for event in listed]
