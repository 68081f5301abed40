"""The scoping wizard's steps: each form turns its answers into part of a scoping profile dict."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms

from socready.core.errors import InputError
from socready.core.scoping.profile import DATA_KINDS, FINANCIAL_IMPACTS
from socready.core.scoping.profile_reader import MAX_TEXT_CHARS
from socready.core.scoping.timing import period_problem
from socready.programs.models import Engagement
from socready.programs.services_engagements import ADD, CREATE, KEEP, SKIP, UPDATE

REGIONS = ("US", "Canada", "EU", "UK", "APAC", "LATAM", "Middle East", "Africa")
_LABELS = {
    "payroll": "Payroll", "payment-processing": "Payment processing", "billing-invoicing": "Billing and invoicing",
    "claims": "Claims processing", "accounting-erp": "Accounting / ERP", "tax-calculation": "Tax calculation",
    "investment-fund-administration": "Investment or fund administration", "lending": "Lending / loan servicing",
    "revenue-recognition": "Revenue recognition", "financial-data-feeds": "Financial data feeds customers report from",
    "personal": "Personal data", "health": "Health data", "cardholder": "Cardholder (card) data",
    "financial-records": "Financial records", "confidential-business": "Confidential business data",
    "customer-content": "Customer content (files, messages)", "credentials": "Credentials or secrets",
}


NONE = "none"
TICKS_HELP = "Tick “None of these” to say none. With nothing ticked, socready reads the answer from your description."
# A yes/no question has a third answer: not stated. It is the default, and it leaves the field out of the
# profile so the description decides it; an unanswered question never counts as "no".
YES_NO: list[tuple[str, str]] = [("", "Not stated"), ("yes", "Yes"), ("no", "No")]


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, _LABELS.get(v, v)) for v in values]


def _ticks(values: tuple[str, ...], label: str) -> forms.MultipleChoiceField:
    # "None of these" is the way to say no; ticking nothing leaves the question to the description.
    return forms.MultipleChoiceField(
        choices=[*_choices(values), (NONE, "None of these")], required=False,
        widget=forms.CheckboxSelectMultiple, label=label, help_text=TICKS_HELP)


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=YES_NO, coerce=lambda value: value == "yes", empty_value=None,
                                  required=False, initial="", widget=forms.RadioSelect, label=label)


def _ticked(values: list[str], label: str) -> list[str] | None:
    """The ticked values as the profile states them: None when nothing is ticked, ["none"] for none."""
    if NONE in values and len(values) > 1:
        raise forms.ValidationError(f"{label}: tick “None of these” on its own, or only the ones that apply.")
    return list(values) or None


class ProfileStep(forms.Form):
    """One step of the wizard: its title, the profile fields it answers, and the part of the profile they make.

    A field in ``owns`` that ``profile_part`` leaves out is "not stated": the saved answer is dropped, not kept.
    """

    title = ""
    intro = ""
    owns: tuple[str, ...] = ()

    def profile_part(self) -> dict[str, Any]:
        raise NotImplementedError


class ServiceStep(ProfileStep):
    """Step 1: what the service does and what it touches."""

    title = "Your service"
    owns = ("name", "description", "financial_impact", "data")
    name = forms.CharField(max_length=200, label="Company or service name")
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=MAX_TEXT_CHARS,
                                  label="What does your service do for customers? (a few sentences)")
    financial_impact = _ticks(FINANCIAL_IMPACTS, "Can your service change numbers in customers' financial "
                                                 "statements? Tick what applies.")
    # The form's metaclass moves declared fields into base_fields, so this field does not replace the form's
    # submitted ``data``; the stubs cannot see that.
    data = _ticks(DATA_KINDS, "What customer data do you store or process?")  # type: ignore[assignment]

    def clean_financial_impact(self) -> list[str] | None:
        return _ticked(self.cleaned_data["financial_impact"], "Financial statements")

    def clean_data(self) -> list[str] | None:
        return _ticked(self.cleaned_data["data"], "Customer data")

    def profile_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        part: dict[str, Any] = {"name": d["name"], "description": d["description"].strip() or None,
                                "financial_impact": d["financial_impact"], "data": d["data"]}
        return {key: value for key, value in part.items() if value is not None}


class CommitmentsStep(ProfileStep):
    """Step 2: what is promised to customers, and who they are."""

    title = "Commitments and customers"
    intro = "Not sure? Leave a question at “Not stated”: socready then reads the answer from your description."
    owns = ("commitments", "customers", "wants_public_trust_signal")
    uptime_sla_percent = forms.FloatField(required=False, min_value=50, max_value=100,
                                          label="Uptime you commit to (%), if any")
    processing_accuracy = _yes_no("Do you commit to complete, accurate and timely processing?")
    confidentiality = _yes_no("Do you hold customers' confidential information under NDA or contract?")
    privacy_notice = _yes_no("Do you collect personal information from individuals under your own privacy notice?")
    regions = forms.MultipleChoiceField(choices=[(r, r) for r in REGIONS], required=False,
                                        widget=forms.CheckboxSelectMultiple, label="Where are your customers?")
    wants_public_trust_signal = _yes_no("Do you want a report you can publish on your website?")

    def profile_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        said = {name: d[name] for name in ("uptime_sla_percent", "processing_accuracy", "confidentiality",
                                           "privacy_notice")}
        commitments = {name: value for name, value in said.items() if value is not None}
        part: dict[str, Any] = {}
        if commitments:
            part["commitments"] = commitments
        if d["wants_public_trust_signal"] is not None:
            part["wants_public_trust_signal"] = d["wants_public_trust_signal"]
        if d["regions"]:
            part["customers"] = {"regions": list(d["regions"])}
        return part


class TimingStep(ProfileStep):
    """Step 3: deadlines, control maturity and the vendors the service relies on."""

    title = "Timing and vendors"
    owns = ("deadlines", "controls_operating_since", "subservice_organizations")
    deadline_what = forms.CharField(max_length=200, required=False, label="A deal or customer waiting for a report")
    deadline_date = forms.DateField(required=False, label="Needed by",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    controls_operating_since = forms.DateField(required=False, label="Controls operating since (if they are)",
                                               widget=forms.DateInput(attrs={"type": "date"}))
    subservices = forms.CharField(
        widget=forms.Textarea, required=False, max_length=MAX_TEXT_CHARS,
        label="Vendors your service relies on, one per line: name: what they do",
        help_text="For example: AWS: cloud hosting")

    def clean_subservices(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["subservices"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, service = line.partition(":")
            if not sep or not name.strip() or not service.strip():
                raise forms.ValidationError(f"Line {number}: write it as 'name: what they do'.")
            rows.append({"name": name.strip(), "service": service.strip()})
        return rows

    def profile_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        part: dict[str, Any] = {}
        if d["deadline_date"]:
            part["deadlines"] = [{"what": d["deadline_what"] or "a customer", "date": d["deadline_date"].isoformat()}]
        if d["controls_operating_since"]:
            part["controls_operating_since"] = d["controls_operating_since"].isoformat()
        if d["subservices"]:
            part["subservice_organizations"] = d["subservices"]
        return part


STEPS: tuple[type[ProfileStep], ...] = (ServiceStep, CommitmentsStep, TimingStep)


def initial_for(step: type[forms.Form], answers: dict[str, Any]) -> dict[str, Any]:
    """Pre-fill a step from saved answers so going back shows what was entered."""
    commitments = {key: _yes_no_value(value) for key, value in answers.get("commitments", {}).items()}
    deadline = (answers.get("deadlines") or [{}])[0]
    flat = {**answers, **commitments, "regions": answers.get("customers", {}).get("regions", []),
            "wants_public_trust_signal": _yes_no_value(answers.get("wants_public_trust_signal")),
            # Answers saved before "None of these" existed said "none" with an empty list.
            "financial_impact": answers.get("financial_impact") or ([NONE] if "financial_impact" in answers else []),
            "data": answers.get("data") or ([NONE] if "data" in answers else []),
            "deadline_what": deadline.get("what", ""), "deadline_date": deadline.get("date"),
            "subservices": "\n".join(f"{s['name']}: {s['service']}"
                                     for s in answers.get("subservice_organizations", []))}
    return {name: flat[name] for name in step.base_fields if name in flat}


def _yes_no_value(value: Any) -> Any:
    """A saved true/false as the wizard's yes/no choice; anything else (a number, nothing) unchanged."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


# What to do about a refused answer, by form field; any other field gets the general advice.
_ADVICE = {"deadline_date": "Enter a date from today on, or leave it empty."}


@dataclass(frozen=True)
class WizardError:
    """A profile error in the wizard's words: the step and form field that ask for it, and what to do."""

    step: int | None
    field: str | None
    label: str
    reason: str
    advice: str

    def on_step(self, step: int) -> tuple[str | None, str]:
        """The form field to attach the error to on ``step`` (None: the whole form) and its message."""
        if self.field is None or self.step is None:
            return None, f"A saved scoping answer cannot be used: {self.reason}."
        if self.step == step:
            return self.field, f"“{self.label}”: {self.reason}. {self.advice}"
        steps = STEPS[self.step - 1].title
        return None, f"“{self.label}” in step {self.step} ({steps}): {self.reason}. {self.advice}"


def wizard_error(exc: InputError) -> WizardError:
    """Say a profile error in the wizard's words: the question's label as shown, never the profile's field path.

    The path (``deadlines[0].date``) stays in the CLI, where the profile file uses it.
    """
    name = _form_field(exc.field or "")
    for number, step in enumerate(STEPS, start=1):
        if name in step.base_fields:
            label = str(step.base_fields[name].label or name)
            advice = _ADVICE.get(name, "Correct it and save again.")
            return WizardError(number, name, label, exc.reason, advice)
    return WizardError(None, None, "", exc.reason, "")


def _form_field(path: str) -> str:
    """The wizard's form field for a profile field path ("deadlines[0].date" -> "deadline_date")."""
    parts = re.split(r"\[\d+\]\.?|\.", path)
    head, rest = parts[0], [p for p in parts[1:] if p]
    if head == "deadlines":
        return "deadline_what" if rest[-1:] == ["what"] else "deadline_date"
    if head in ("commitments", "customers") and rest:
        return rest[0]
    return {"subservice_organizations": "subservices"}.get(head, head)


ACTION_LABELS = {
    CREATE: "Create this engagement", SKIP: "Do not create it now", KEEP: "Keep the existing engagement as it is",
    UPDATE: "Update the existing engagement's type, dates and audit firm to those below",
    ADD: "Add another engagement of this report as well",
}


class EngagementPlanForm(forms.Form):
    """What to do for one recommended report: create its engagement, or keep, update or add to an existing one."""

    # Disabled: the report comes from the page as it was built (its initial), never from the posted data, so
    # an edited or stale form cannot point a "create" past the check for an existing engagement.
    report = forms.ChoiceField(choices=[("soc1", "SOC 1"), ("soc2", "SOC 2")], widget=forms.HiddenInput,
                               disabled=True)
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()), widget=forms.RadioSelect, label="")
    target = forms.TypedChoiceField(coerce=int, required=False, label="Engagement to update")
    report_type = forms.ChoiceField(choices=[("type1", "Type I"), ("type2", "Type II")], label="Type")
    as_of_date = forms.DateField(required=False, label="As-of date (Type I)",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    period_start = forms.DateField(required=False, label="Period start (Type II)",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(required=False, label="Period end (Type II)",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    auditor_firm = forms.CharField(max_length=200, required=False, label="Audit firm")

    def __init__(self, *args: Any, existing: Sequence[Engagement] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        report = self.initial.get("report")
        self.existing = [e for e in existing if e.report == report]
        offered = (KEEP, UPDATE, ADD) if self.existing else (CREATE, SKIP)
        # Every action stays valid on the field so that a stale page gets a clear error from clean(), not
        # "not a valid choice"; only the ones that fit are shown.
        self.fields["action"].widget.choices = [(a, ACTION_LABELS[a]) for a in offered]
        self.fields["action"].initial = offered[0]
        target = cast(forms.ChoiceField, self.fields["target"])
        target.choices = [(e.pk, e.label) for e in self.existing]
        same_type = [e for e in self.existing if e.report_type == self.initial.get("report_type")]
        candidates = same_type or self.existing  # ordered oldest first: the newest is the likeliest to update
        target.initial = candidates[-1].pk if candidates else None
        if len(self.existing) < 2:
            target.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == CREATE and self.existing:
            self.add_error("action", f"{self.existing[0].label} already exists: keep it, update it, or choose "
                                     "to add another.")
        if action in (KEEP, UPDATE) and not self.existing:
            self.add_error("action", "There is no engagement of this report to keep or update yet.")
        if action == UPDATE and data.get("target") not in {e.pk for e in self.existing}:
            self.add_error("target", "Choose the engagement to update.")
        if action not in (CREATE, UPDATE, ADD):
            return data
        if data.get("report_type") == "type1" and not data.get("as_of_date"):
            self.add_error("as_of_date", "A Type I report needs an as-of date.")
        if data.get("report_type") == "type2":
            start, end = data.get("period_start"), data.get("period_end")
            if not start or not end:
                self.add_error("period_start", "A Type II report needs a period start and end.")
            elif problem := period_problem(start, end):
                self.add_error("period_end", problem)
        return data

    @property
    def target_engagement(self) -> Engagement | None:
        """The existing engagement an "update" applies to (only after validation)."""
        pk = self.cleaned_data.get("target")
        return next((e for e in self.existing if e.pk == pk), None)
