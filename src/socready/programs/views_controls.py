"""Control screens: the list, adoption from the library, one control's page, custom controls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from socready.accounts.access import resolve_tenant
from socready.core.controls import default_library
from socready.programs.forms_controls import ControlForm
from socready.programs.models import Control, ControlStatus, Report
from socready.programs.services import adopt_controls, recommended_library_controls


@login_required
def control_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every control with owner, status and the reports it serves; filters by status, report and owner."""
    access = resolve_tenant(request, slug)
    org = access.organization
    controls = (Control.objects.filter(organization=org).select_related("owner")
                .annotate(soc1=Count("engagements", filter=Q(engagements__report=Report.SOC1), distinct=True),
                          soc2=Count("engagements", filter=Q(engagements__report=Report.SOC2), distinct=True))
                .order_by("code"))
    status = request.GET.get("status", "")
    report = request.GET.get("report", "")
    if status:
        controls = controls.filter(status=status)
    if report == "shared":
        controls = controls.filter(soc1__gt=0, soc2__gt=0)
    elif report in (Report.SOC1, Report.SOC2):
        controls = controls.filter(**{f"{report}__gt": 0})
    return render(request, "programs/control_list.html", {
        **access.context(), "controls": controls, "statuses": ControlStatus.choices, "status": status, "report": report,
    })


@login_required
def adopt(request: HttpRequest, slug: str) -> HttpResponse:
    """Adopt the recommended library controls in one step, or a chosen few."""
    access = resolve_tenant(request, slug)
    org = access.organization
    engagements = list(org.engagements.all())
    recommended = recommended_library_controls(engagements)
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
        "tasks": control.tasks.select_related("owner"),
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
        control.delete()
        messages.success(request, f"Removed {control.code}.")
        return redirect("control-list", slug=slug)
    return render(request, "programs/confirm_delete.html", {**access.context(), "object": control})
