"""Control screens: the list, adoption from the library, one control's page, custom controls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, RestrictedError, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from socready.accounts.access import resolve_tenant
from socready.accounts.models import Organization
from socready.audit.version import program_version
from socready.core.controls.library import default_library
from socready.programs.forms_controls import ControlForm
from socready.programs.models import Control, ControlStatus, Engagement, Report
from socready.programs.panels import control_panels
from socready.programs.services import adopt_controls, organization_services, recommended_library_controls

# A page of controls renders in a few milliseconds; the whole list of a large program (hundreds of rows) did not.
CONTROLS_PER_PAGE = 50


def _serves_reports(org: Organization) -> dict[str, Exists | Value]:
    """``soc1`` and ``soc2`` annotations: does the control serve an engagement of that report?

    The organization's engagement ids are looked up first so that the database checks this organization's links
    only (asked by report name, PostgreSQL hashed the link rows of every organization for each page).
    """
    ids: dict[str, list[int]] = {Report.SOC1: [], Report.SOC2: []}
    for pk, report in Engagement.objects.filter(organization=org).values_list("pk", "report"):
        ids.setdefault(report, []).append(pk)
    links = Control.engagements.through.objects.filter(control_id=OuterRef("pk"))
    return {report: Exists(links.filter(engagement_id__in=ids[report])) if ids[report] else Value(False)
            for report in (Report.SOC1, Report.SOC2)}


def _list_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Give each row of values the owner's name, the status label and the mapping line the list shows.

    The list is built from plain values rather than model instances: for a page of rows, creating the instances
    and resolving template lookups on them took about as long as everything else in the request. The owner's
    name follows ``User.display_name``: the full name, else the email.
    """
    labels = dict(ControlStatus.choices)
    shown = []
    for row in rows:
        name = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
        shown.append({**row, "owner": name or row["owner__email"] or "",
                      "status_label": labels.get(row["status"], row["status"]),
                      "mapping": " · ".join(", ".join(part) for part in (row["criteria"], row["objectives"]) if part)})
    return shown


@login_required
def control_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Controls with owner, status and the reports they serve, a page at a time; filters by status and report."""
    access = resolve_tenant(request, slug)
    org = access.organization
    serves = _serves_reports(org)
    controls = (Control.objects.filter(organization=org).annotate(soc1=serves[Report.SOC1], soc2=serves[Report.SOC2])
                .values("pk", "code", "title", "frequency", "status", "criteria", "objectives", "not_applicable",
                        "owner__first_name", "owner__last_name", "owner__email", "soc1", "soc2")
                .order_by("code"))
    status = request.GET.get("status", "")
    report = request.GET.get("report", "")
    if status:
        controls = controls.filter(status=status)
    if request.GET.get("owner") == "none":  # the dashboard's "give every control an owner" step links here
        controls = controls.filter(owner__isnull=True, not_applicable=False)
    if report == "shared":
        controls = controls.filter(soc1=True, soc2=True)
    elif report in (Report.SOC1, Report.SOC2):
        controls = controls.filter(**{report: True})

    def listing() -> dict[str, Any]:
        paginator = Paginator(controls, CONTROLS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        return {"page": page, "controls": _list_rows(page.object_list),
                "page_numbers": list(paginator.get_elided_page_range(page.number))}

    # The template draws the list once per program version and query string; until then nothing is read.
    return render(request, "programs/control_list.html", {
        **access.context(), "listing": SimpleLazyObject(listing), "statuses": ControlStatus.choices,
        "status": status, "report": report, "owner_filter": request.GET.get("owner") == "none",
        "version": program_version(org.pk), "query": request.GET.urlencode(),
        # Row links are this prefix plus the control's id and a slash: one reverse() per page, not one per row.
        "control_url_prefix": reverse("control-detail", args=[org.slug, 0]).removesuffix("0/"),
    })


@login_required
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """Adopt the recommended library controls in one step, or a chosen few."""
    access = resolve_tenant(request, slug)
    org = access.organization
    engagements = list(org.engagements.all())
    recommended = recommended_library_controls(org, engagements)
    already = set(Control.objects.filter(organization=org).values_list("library_id", flat=True))
    if request.method == "POST":
        picked = request.POST.getlist("control") if request.POST.get("mode") == "pick" else None
        adopted = adopt_controls(org, picked)
        messages.success(request, f"Adopted {len(adopted)} control(s).")
        return redirect("control-list", slug=slug)
    library = default_library().controls
    return render(request, "programs/control_adopt.html", {
        **access.context(), "engagements": engagements, "recommended": recommended,
        "recommended_new": [c for c in recommended if c.id not in already], "library": library,
        "already": already, "recommended_ids": {c.id for c in recommended},
        "services": sorted(organization_services(org, engagements)),
    })


@login_required
def control_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One control: what it is, its mappings, and (for writers) the form to change it."""
    access = resolve_tenant(request, slug)
    control = get_object_or_404(Control.objects.select_related("owner"), pk=pk, organization=access.organization)
    form = ControlForm(request.POST or None, instance=control, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {control.code}.")
        return redirect("control-detail", slug=slug, pk=control.pk)
    return render(request, "programs/control_detail.html", {
        **access.context(), "control": control, "form": form, "engagements": control.engagements.all(),
        "tasks": control.tasks.select_related("owner"), "panels": control_panels(control),
    })


@login_required
def control_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a custom control of the organization's own."""
    access = resolve_tenant(request, slug, "write")
    form = ControlForm(request.POST or None, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        control = form.save()
        return redirect("control-detail", slug=slug, pk=control.pk)
    return render(request, "programs/control_form.html", {**access.context(), "form": form})


@login_required
def control_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a control from the program (POST only; owners and admins)."""
    access = resolve_tenant(request, slug, "manage")
    control = get_object_or_404(Control, pk=pk, organization=access.organization)
    if request.method == "POST":
        try:
            control.delete()
        except RestrictedError:
            messages.error(request, f"{control.code} has imported populations, which are audit records: it was "
                                    "not removed. Mark it not applicable instead.")
            return redirect("control-detail", slug=slug, pk=pk)
        messages.success(request, f"Removed {control.code}.")
        return redirect("control-list", slug=slug)
    return render(request, "programs/confirm_delete.html", {**access.context(), "object": control})
