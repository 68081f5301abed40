"""The scoping wizard: three short steps, the recommendation with its reasons, then the engagements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.accounts.readonly import form_values
from socready.core.errors import InputError
from socready.core.profile import profile_from_dict
from socready.core.scoping import recommend
from socready.programs.forms_scoping import STEPS, EngagementPlanForm, initial_for
from socready.programs.models import ScopingProfile
from socready.programs.services import create_engagements, default_period

PlanFormSet = formset_factory(EngagementPlanForm, extra=0)


def _profile_row(org: Any) -> ScopingProfile:
    row, _ = ScopingProfile.objects.get_or_create(organization=org)
    return row


@login_required
def wizard(request: HttpRequest, slug: str, step: int = 1) -> HttpResponse:
    """Show or save one step; the last step computes the recommendation."""
    access = resolve_tenant(request, slug)
    if not 1 <= step <= len(STEPS):
        raise Http404("no such step")
    form_class = STEPS[step - 1]
    row = _profile_row(access.organization)
    form = form_class(request.POST or None, initial=initial_for(form_class, row.answers))
    if request.method == "POST" and form.is_valid():
        answers = {**row.answers, **form.profile_part()}  # type: ignore[attr-defined]
        try:
            profile = profile_from_dict(answers, source="scoping wizard")
        except InputError as exc:
            form.add_error(None, str(exc))
        else:
            row.answers = answers
            if step == len(STEPS):
                row.recommendation = recommend(profile).to_dict()
            row.updated_at = timezone.now()
            row.save()
            if step < len(STEPS):
                return redirect("scoping-step", slug=slug, step=step + 1)
            return redirect("scoping-result", slug=slug)
    return render(request, "programs/scoping_step.html", {
        **access.context(), "form": form, "step": step, "steps": [s.title for s in STEPS],  # type: ignore[attr-defined]
        "step_title": form_class.title,  # type: ignore[attr-defined]
        # Readers see the saved answers as text, and step through them with links instead of "Next".
        "answers": None if access.can_write else form_values(form),
        "has_recommendation": bool(row.recommendation),
    })


def _initial_plans(rec: dict[str, Any]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    months = rec.get("observation_window_months") or 6
    start, end = default_period(months, today)
    report_type = "type2" if rec.get("report_type") == "Type II" else "type1"
    plans = []
    for report, wanted in (("soc1", rec.get("soc1")), ("soc2", rec.get("soc2"))):
        if wanted:
            plans.append({"report": report, "create": True, "report_type": report_type,
                          "as_of_date": start, "period_start": start, "period_end": end})
    return plans


@login_required
def result(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the recommendation and its reasons; POST creates the chosen engagements."""
    access = resolve_tenant(request, slug)
    row = _profile_row(access.organization)
    rec = row.recommendation
    if not rec:
        return redirect("scoping-wizard", slug=slug)
    formset = PlanFormSet(request.POST or None, initial=_initial_plans(rec), prefix="plan")
    if request.method == "POST" and formset.is_valid():
        plans = [f.cleaned_data for f in formset if f.cleaned_data.get("create")]
        for plan in plans:
            if plan["report_type"] == "type1":
                plan["period_start"] = plan["period_end"] = None
            else:
                plan["as_of_date"] = None
        created = create_engagements(access.organization, rec, plans)
        messages.success(request, f"Created {len(created)} engagement(s). Next: adopt the controls they need.")
        return redirect("control-adopt", slug=slug)
    return render(request, "programs/scoping_result.html", {**access.context(), "rec": rec, "formset": formset})

