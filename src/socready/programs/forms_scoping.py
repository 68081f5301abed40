"""The scoping wizard's steps: each form turns its answers into part of a scoping profile dict."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

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


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, _LABELS.get(v, v)) for v in values]


class ProfileStep(forms.Form):
    """One step of the wizard: its title, and the part of the scoping profile its answers make."""

    title = ""

    def profile_part(self) -> dict[str, Any]:
        raise NotImplementedError


class ServiceStep(ProfileStep):
    """Step 1: what the service does and what it touches."""

    title = "Your service"
    name = forms.CharField(max_length=200, label="Company or service name")
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=MAX_TEXT_CHARS,
                                  label="What does your service do for customers? (a few sentences)")
    financial_impact = forms.MultipleChoiceField(
        choices=_choices(FINANCIAL_IMPACTS), required=False, widget=forms.CheckboxSelectMultiple,
        label="Can your service change numbers in customers' financial statements? Tick what applies.")
    # The form's metaclass moves declared fields into base_fields, so this field does not replace the form's
    # submitted ``data``; the stubs cannot see that.
    data = forms.MultipleChoiceField(choices=_choices(DATA_KINDS), required=False,  # type: ignore[assignment]
                                     widget=forms.CheckboxSelectMultiple,
                                     label="What customer data do you store or process?")

    def profile_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        part: dict[str, Any] = {"name": d["name"]}
        if d["description"].strip():
            part["description"] = d["description"].strip()
        # Left unticked with a description, the engine infers from the text instead of assuming "none".
        if d["financial_impact"] or not d["description"].strip():
            part["financial_impact"] = list(d["financial_impact"])
        if d["data"] or not d["description"].strip():
            part["data"] = list(d["data"])
        return part


class CommitmentsStep(ProfileStep):
    """Step 2: what is promised to customers, and who they are."""

    title = "Commitments and customers"
    uptime_sla_percent = forms.FloatField(required=False, min_value=50, max_value=100,
                                          label="Uptime you commit to (%), if any")
    processing_accuracy = forms.BooleanField(required=False,
                                             label="We commit to complete, accurate and timely processing")
    confidentiality = forms.BooleanField(required=False,
                                         label="We hold customers' confidential information under NDA or contract")
    privacy_notice = forms.BooleanField(required=False,
                                        label="We collect personal information from individuals under our own "
                                              "privacy notice")
    regions = forms.MultipleChoiceField(choices=[(r, r) for r in REGIONS], required=False,
                                        widget=forms.CheckboxSelectMultiple, label="Where are your customers?")
    wants_public_trust_signal = forms.BooleanField(required=False,
                                                   label="We want a report we can publish on our website")

    def profile_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        commitments: dict[str, Any] = {
            "processing_accuracy": d["processing_accuracy"], "confidentiality": d["confidentiality"],
            "privacy_notice": d["privacy_notice"]}
        if d["uptime_sla_percent"] is not None:
            commitments["uptime_sla_percent"] = d["uptime_sla_percent"]
        part: dict[str, Any] = {"commitments": commitments,
                                "wants_public_trust_signal": d["wants_public_trust_signal"]}
        if d["regions"]:
            part["customers"] = {"regions": list(d["regions"])}
        return part


class TimingStep(ProfileStep):
    """Step 3: deadlines, control maturity and the vendors the service relies on."""

    title = "Timing and vendors"
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
    commitments = answers.get("commitments", {})
    deadline = (answers.get("deadlines") or [{}])[0]
    flat = {**answers, **commitments, "regions": answers.get("customers", {}).get("regions", []),
            "deadline_what": deadline.get("what", ""), "deadline_date": deadline.get("date"),
            "subservices": "\n".join(f"{s['name']}: {s['service']}"
                                     for s in answers.get("subservice_organizations", []))}
    return {name: flat[name] for name in step.base_fields if name in flat}


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
