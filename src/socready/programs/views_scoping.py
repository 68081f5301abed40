"""The scoping wizard: three short steps, the recommendation with its reasons, then the engagements.

The result page lists the engagements the organization already has for each recommended report, so running
the wizard again updates or keeps them instead of opening a second audit of the same report.
"""

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
from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import recommend
from socready.core.scoping.timing import planned_window
from socready.core.terms import ReportType
from socready.programs.forms_scoping import STEPS, EngagementPlanForm, initial_for, wizard_error
from socready.programs.models import Engagement, ScopingProfile
from socready.programs.services_engagements import EngagementReadOnly, apply_plans

PlanFormSet = formset_factory(EngagementPlanForm, extra=0)


def _profile_row(org: Any) -> ScopingProfile:
    # Unsaved until a step is saved: reading the wizard (an auditor may) must not write a row.
    return ScopingProfile.objects.filter(organization=org).first() or ScopingProfile(organization=org)


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
        # The step's own fields are replaced as a whole: a question now left unanswered is "not stated".
        kept = {key: value for key, value in row.answers.items() if key not in form_class.owns}
        answers = {**kept, **form.profile_part()}
        try:
            profile = profile_from_dict(answers, source="scoping wizard")
        except InputError as exc:
            form.add_error(*wizard_error(exc).on_step(step))
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
        **access.context(), "form": form, "step": step, "steps": [s.title for s in STEPS],
        "step_title": form_class.title, "step_intro": form_class.intro,
        # Readers see the saved answers as text, and step through them with links instead of "Next".
        "answers": None if access.can_write else form_values(form),
        "has_recommendation": bool(row.recommendation),
    })


def _initial_plans(rec: dict[str, Any]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    start, end = planned_window(rec.get("observation_window_months"), today)
    type2 = rec.get("report_type") == ReportType.TYPE2.label
    report_type = (ReportType.TYPE2 if type2 else ReportType.TYPE1).value
    plans = []
    for report, wanted in (("soc1", rec.get("soc1")), ("soc2", rec.get("soc2"))):
        if wanted:
            plans.append({"report": report, "report_type": report_type,
                          "as_of_date": start, "period_start": start, "period_end": end})
    return plans


@login_required
def result(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the recommendation, its reasons and the engagements in place; POST applies the chosen plan."""
    access = resolve_tenant(request, slug)
    row = _profile_row(access.organization)
    rec = row.recommendation
    if not rec:
        return redirect("scoping-wizard", slug=slug)
    existing = list(Engagement.objects.filter(organization=access.organization))
    formset = PlanFormSet(request.POST or None, initial=_initial_plans(rec), prefix="plan",
                          form_kwargs={"existing": existing})
    if request.method == "POST" and formset.is_valid():
        try:
            outcome = apply_plans(access.organization, rec, [(f.cleaned_data, f.target_engagement) for f in formset])
        except EngagementReadOnly as exc:  # the whole plan is one transaction: nothing was changed
            messages.error(request, f"{exc}. Update the engagement that followed it instead; nothing was changed.")
            return render(request, "programs/scoping_result.html", {**access.context(), "rec": rec,
                                                                    "formset": formset, "has_existing": True})
        if outcome.created:
            messages.success(request, f"{outcome.message()} Next: adopt the controls they need.")
            return redirect("control-adopt", slug=slug)
        messages.success(request, outcome.message())
        return redirect("engagement-list", slug=slug)
    return render(request, "programs/scoping_result.html", {**access.context(), "rec": rec, "formset": formset,
                                                            "has_existing": bool(existing)})

