"""Forms for controls, objectives, engagements and remediation tasks."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from socready.accounts.models import Organization, User
from socready.accounts.services import team_members
from socready.core.catalog.catalog import default_catalog
from socready.core.scoping.timing import period_problem
from socready.programs.models import Control, Engagement, OrgObjective, RemediationTask
from socready.programs.widgets import QuickSelect

FREQUENCIES = ("continuous", "daily", "weekly", "monthly", "quarterly", "semi-annual", "annual", "per-event")


def _members(org: Organization) -> Any:
    """The people who can own a control or a task: members of the team, never the auditor (who only reviews)."""
    return team_members(org)


def _ids_field(label: str) -> forms.CharField:
    return forms.CharField(required=False, label=label, help_text="Comma-separated ids.")


def _split_ids(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


class ControlForm(forms.ModelForm[Control]):
    """Owner, status, notes, mappings, engagements and applicability of a control."""

    criteria_ids = _ids_field("SOC 2 criteria")
    objective_ids = _ids_field("SOC 1 objectives")

    class Meta:
        model = Control
        fields = ["code", "title", "description", "frequency", "owner", "status", "notes", "engagements",
                  "not_applicable", "not_applicable_reason"]
        widgets = {"engagements": forms.CheckboxSelectMultiple,
                   "frequency": forms.Select(choices=[(f, f) for f in FREQUENCIES])}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = _members(organization)
        cast("forms.ModelMultipleChoiceField[Engagement]", self.fields["engagements"]).queryset = (
            Engagement.objects.filter(organization=organization))
        if self.instance.pk:
            self.fields["criteria_ids"].initial = ", ".join(self.instance.criteria)
            self.fields["objective_ids"].initial = ", ".join(self.instance.objectives)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        clash = Control.objects.filter(organization=self.organization, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another control already uses the id {code}.")
        return code

    def clean_criteria_ids(self) -> list[str]:
        ids = _split_ids(self.cleaned_data["criteria_ids"])
        known = {c.id for c in default_catalog().criteria}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise forms.ValidationError(f"Unknown criterion id(s): {', '.join(unknown)}.")
        return ids

    def clean_objective_ids(self) -> list[str]:
        ids = _split_ids(self.cleaned_data["objective_ids"])
        known = set(OrgObjective.objects.filter(organization=self.organization).values_list("code", flat=True))
        known |= {o.id for o in default_catalog().objectives}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise forms.ValidationError(f"Unknown objective id(s): {', '.join(unknown)}.")
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("not_applicable") and not (data.get("not_applicable_reason") or "").strip():
            self.add_error("not_applicable_reason", "Say why the control does not apply; the auditor will ask.")
        return data

    def save(self, commit: bool = True) -> Control:
        control: Control = super().save(commit=False)
        control.organization = self.organization
        control.criteria = self.cleaned_data["criteria_ids"]
        control.objectives = self.cleaned_data["objective_ids"]
        if commit:
            control.save()
            self.save_m2m()
        return control


class ObjectiveForm(forms.ModelForm[OrgObjective]):
    """An organization's own SOC 1 objective."""

    class Meta:
        model = OrgObjective
        fields = ["code", "service", "domain", "title", "statement"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        if OrgObjective.objects.filter(organization=self.organization, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"The objective {code} exists already.")
        return code


class EngagementForm(forms.ModelForm[Engagement]):
    """Edit an engagement's dates and audit firm."""

    class Meta:
        model = Engagement
        fields = ["report", "report_type", "as_of_date", "period_start", "period_end", "auditor_firm"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("as_of_date", "period_start",
                                                                                 "period_end")}

    def clean(self) -> dict[str, Any]:
        # The same rules as the scoping step that creates engagements: a saved engagement must be one
        # readiness can score and a population can be checked against.
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if data.get("report_type") == "type2" and start and end and (problem := period_problem(start, end)):
            self.add_error("period_end", problem)
        elif start and end and end <= start:
            self.add_error("period_end", "The period must end after it starts.")
        return data


class TaskForm(forms.ModelForm[RemediationTask]):
    """A remediation task."""

    class Meta:
        model = RemediationTask
        fields = ["title", "control", "owner", "due_date", "status", "notes"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}), "control": QuickSelect, "owner": QuickSelect}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = _members(organization)
        cast("forms.ModelChoiceField[Control]", self.fields["control"]).queryset = (
            Control.objects.filter(organization=organization).only("id", "code", "title"))

    def save(self, commit: bool = True) -> RemediationTask:
        task: RemediationTask = super().save(commit=False)
        task.organization = self.organization
        if commit:
            task.save()
        return task
