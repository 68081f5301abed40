"""Engagements, SOC 1 objectives and remediation tasks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import RestrictedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.accounts.readonly import form_values
from socready.audit.version import program_version
from socready.programs.forms_controls import EngagementForm, ObjectiveForm, TaskForm
from socready.programs.models import Engagement, OrgObjective, RemediationTask
from socready.programs.services_engagements import (
    EngagementReadOnly,
    delete_engagement,
    deletion_impact,
    is_read_only,
)


@login_required
def engagement_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's engagements."""
    access = resolve_tenant(request, slug)
    engagements = Engagement.objects.filter(organization=access.organization)
    return render(request, "programs/engagement_list.html", {**access.context(), "engagements": engagements})


DATE_FIELDS = ("report_type", "as_of_date", "period_start", "period_end")


@login_required
def engagement_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an engagement's type, dates or audit firm."""
    access = resolve_tenant(request, slug)
    engagement = get_object_or_404(Engagement, pk=pk, organization=access.organization)
    closed = is_read_only(engagement)
    form = EngagementForm(request.POST or None, instance=engagement)
    if request.method == "POST" and closed:
        messages.error(request, f"{engagement.label} was rolled forward to the next period and is read-only.")
        return redirect("engagement-list", slug=slug)
    if not access.can_manage:
        # Moving the date or window changes what every piece of evidence must cover: owners and admins decide it.
        for name in DATE_FIELDS:
            form.fields[name].disabled = True
            form.fields[name].help_text = "Only an owner or admin can move the engagement's dates."
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Engagement saved.")
        return redirect("engagement-list", slug=slug)
    editable = access.can_write and not closed
    heading = f"Edit {engagement.label}" if editable else engagement.label
    reason = "This engagement was rolled forward to the next period and is read-only." if closed else ""
    return render(request, "programs/simple_form.html", {**access.context(), "form": form, "heading": heading,
                                                         "values": None if editable else form_values(form),
                                                         "read_only_reason": reason})


@login_required
def engagement_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete an engagement after saying what it touches (POST only; owners and admins).

    Refused while populations imported for it exist: they are audit records checked against its window.
    """
    access = resolve_tenant(request, slug, "manage")
    engagement = get_object_or_404(Engagement, pk=pk, organization=access.organization)
    impact = deletion_impact(engagement)
    if request.method == "POST":
        try:
            delete_engagement(engagement)
        except EngagementReadOnly as exc:
            messages.error(request, f"{exc}: it was not deleted.")
            return redirect("engagement-list", slug=slug)
        except RestrictedError:
            messages.error(request, f"{engagement.label} has {impact.populations} imported population(s), which are "
                                    "audit records: it was not deleted. Change its dates instead.")
            return redirect("engagement-list", slug=slug)
        messages.success(request, f"Deleted {engagement.label}. Its controls, evidence and PBC lines stay in the "
                                  "program.")
        return redirect("engagement-list", slug=slug)
    return render(request, "programs/engagement_delete.html", {**access.context(), "engagement": engagement,
                                                               "impact": impact})


@login_required
def objective_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's SOC 1 objectives; writers add their own."""
    access = resolve_tenant(request, slug)
    form = ObjectiveForm(request.POST or None, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        objective = form.save(commit=False)
        objective.organization = access.organization
        objective.custom = True
        objective.area = "business"
        objective.save()
        messages.success(request, f"Added objective {objective.code}.")
        return redirect("objective-list", slug=slug)
    objectives = OrgObjective.objects.filter(organization=access.organization)
    return render(request, "programs/objective_list.html", {
        **access.context(), "objectives": objectives, "form": form,
        "version": program_version(access.organization.pk)})


@login_required
def task_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Remediation tasks, open first, with a form to add one."""
    access = resolve_tenant(request, slug)
    form = TaskForm(request.POST or None, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Task added.")
        return redirect("task-list", slug=slug)
    tasks = (RemediationTask.objects.filter(organization=access.organization).select_related("owner", "control")
             .defer("control__description", "control__criteria", "control__objectives",
                    "control__evidence_requests", "control__type1_test", "control__type2_attributes",
                    "control__notes"))
    # The template draws the list and the empty form once per program version (and day); both stay lazy.
    return render(request, "programs/task_list.html", {
        **access.context(), "tasks": tasks, "form": form, "version": program_version(access.organization.pk),
        "today": timezone.localdate()})


@login_required
def task_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a task's owner, due date or status."""
    access = resolve_tenant(request, slug)
    task = get_object_or_404(RemediationTask, pk=pk, organization=access.organization)
    form = TaskForm(request.POST or None, instance=task, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Task saved.")
        return redirect("task-list", slug=slug)
    return render(request, "programs/simple_form.html", {**access.context(), "form": form, "heading": f"Task: {task}",
                                                         "values": None if access.can_write else form_values(form)})


@login_required
def task_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Delete a task (POST)."""
    access = resolve_tenant(request, slug)
    task = get_object_or_404(RemediationTask, pk=pk, organization=access.organization)
    if request.method == "POST":
        task.delete()
        messages.success(request, "Task deleted.")
        return redirect("task-list", slug=slug)
    return render(request, "programs/confirm_delete.html", {**access.context(), "object": task})
