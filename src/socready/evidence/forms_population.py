"""Forms for importing populations, drawing and extending samples, and recording sample tests."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, cast

from django import forms

from socready.accounts.models import Organization
from socready.core.errors import InputError
from socready.core.sampling.draw import Frequency, Risk
from socready.evidence.models import EvidenceItem, PopulationKind, SampleSet
from socready.evidence.services_population import ACCEPTED_SUFFIXES
from socready.io.population import check_source_name, date_format_problem
from socready.programs.models import Control, Engagement, ReportType
from socready.programs.widgets import QuickSelect

MAX_ATTRIBUTES = 20
MAX_EXTEND = 500


def new_seed() -> int:
    """A fresh random seed, small enough to read out and type back in."""
    return secrets.randbelow(1_000_000_000)


def _split_columns(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


def _split_lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


class ControlChoice(forms.ModelChoiceField[Control]):
    def label_from_instance(self, obj: Control) -> str:
        return f"{obj.code} · {obj.title}"


class EngagementChoice(forms.ModelChoiceField[Engagement]):
    def label_from_instance(self, obj: Engagement) -> str:
        return obj.label


class PopulationImportForm(forms.Form):
    """A population file and which of its columns hold the id, the date and the attributes."""

    control = ControlChoice(queryset=Control.objects.none(), help_text="The control this population is for.",
                            widget=QuickSelect)
    engagement = EngagementChoice(queryset=Engagement.objects.none(), required=False, empty_label="None",
                                  help_text="Rows dated outside this Type II window are refused.")
    kind = forms.ChoiceField(choices=PopulationKind.choices, initial=PopulationKind.CHANGES)
    file = forms.FileField(help_text="CSV (UTF-8, header on the first line), XLSX (first sheet) or Parquet.")
    id_column = forms.CharField(max_length=200, initial="id", label="Id column",
                                help_text="Column whose value identifies each row; ids must be unique.")
    date_column = forms.CharField(max_length=200, required=False, label="Date column",
                                  help_text="Column with each row's date (YYYY-MM-DD); needed for a window.")
    date_format = forms.CharField(max_length=40, required=False, label="Date format",
                                  help_text="Leave empty for YYYY-MM-DD or spreadsheet dates; else e.g. %m/%d/%Y "
                                            "or %d.%m.%Y.")
    attribute_columns = forms.CharField(max_length=2000, required=False, label="Attribute columns",
                                        help_text="Other columns to keep, comma-separated (e.g. approver).")

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ControlChoice, self.fields["control"]).queryset = Control.objects.filter(
            organization=organization).only("id", "code", "title").order_by("code")
        cast(EngagementChoice, self.fields["engagement"]).queryset = Engagement.objects.filter(
            organization=organization, report_type=ReportType.TYPE2, period_start__isnull=False,
            period_end__isnull=False)
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED_SUFFIXES)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = Path(upload.name or "").name
        try:
            check_source_name(name)
        except InputError as exc:
            raise forms.ValidationError(str(exc)) from None
        if Path(name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(f"{name}: use a .csv, .xlsx or .parquet file.")
        if not upload.size:
            raise forms.ValidationError(f"{name}: the file is empty.")
        return upload

    def clean_date_format(self) -> str:
        text: str = self.cleaned_data["date_format"].strip()
        if not text:
            return ""
        # Checked by the same engine that reads the dates, so what the form accepts the import can use.
        problem = date_format_problem(text)
        if problem:
            raise forms.ValidationError(f"{problem}.")
        return text

    def clean_attribute_columns(self) -> list[str]:
        columns = _split_columns(self.cleaned_data["attribute_columns"])
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise forms.ValidationError(f"Listed twice: {', '.join(repeated)}.")
        return columns

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        id_column = (data.get("id_column") or "").strip()
        date_column = (data.get("date_column") or "").strip()
        data["id_column"], data["date_column"] = id_column, date_column
        engagement = data.get("engagement")
        if engagement and not date_column:
            self.add_error("date_column", "Name the date column: the engagement's window is checked against it.")
        if engagement and engagement.period_end <= engagement.period_start:
            # Saved before engagement dates were checked: refuse here rather than fail in the import.
            self.add_error("engagement", f"{engagement.label}: its period ends before it starts; correct the "
                                         "engagement's dates first.")
        if data.get("date_format") and not date_column:
            self.add_error("date_format", "A date format needs a date column.")
        if date_column and date_column == id_column:
            self.add_error("date_column", "The date column cannot also be the id column.")
        clash = [c for c in data.get("attribute_columns") or [] if c in (id_column, date_column)]
        if clash:
            self.add_error("attribute_columns", f"Already used as the id or date column: {', '.join(clash)}.")
        return data


class SampleForm(forms.Form):
    """How to draw a sample: frequency, risk, seed, spread, and the attributes each item is tested on."""

    frequency = forms.ChoiceField(choices=[(f.value, f.value) for f in Frequency])
    risk = forms.ChoiceField(choices=[(r.value, r.value) for r in Risk], initial=Risk.MODERATE.value)
    seed = forms.IntegerField(min_value=0, max_value=2**62, required=False,
                              help_text="Recorded with the sample; the same seed draws the same items again.")
    spread_months = forms.BooleanField(required=False, label="Spread across months",
                                       help_text="Take items from every month in proportion to its rows.")
    attributes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Test attributes",
                                 help_text="One per line: what is checked on each sampled item.")

    def __init__(self, *args: Any, has_dates: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_dates = has_dates
        if not has_dates:
            self.fields["spread_months"].disabled = True
            self.fields["spread_months"].help_text = "The population has no date column."

    def clean_seed(self) -> int:
        seed = self.cleaned_data["seed"]
        return new_seed() if seed is None else int(seed)

    def clean_attributes(self) -> list[str]:
        return _attribute_list(self.cleaned_data["attributes"])


def _attribute_list(raw: str) -> list[str]:
    names = _split_lines(raw)
    if not names:
        raise forms.ValidationError("Give at least one test attribute.")
    if len(names) > MAX_ATTRIBUTES:
        raise forms.ValidationError(f"At most {MAX_ATTRIBUTES} attributes.")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise forms.ValidationError(f"Listed twice: {', '.join(repeated)}.")
    return names


class ExtendForm(forms.Form):
    """How many items to add to a sample; the default is what the verdict asks for when it asks to extend."""

    extra = forms.IntegerField(min_value=1, max_value=MAX_EXTEND, label="Extend by", initial=5)

    def __init__(self, *args: Any, asked: int | None = None, **kwargs: Any) -> None:
        if asked is not None:
            kwargs.setdefault("initial", {"extra": min(asked, MAX_EXTEND)})
        super().__init__(*args, **kwargs)
        if asked is not None:
            self.fields["extra"].help_text = f"The verdict asks for {asked} more item{'s' if asked != 1 else ''}."


class AttributesForm(forms.Form):
    """The test attributes of a sample, editable until the first item is tested."""

    attributes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Test attributes",
                                 help_text="One per line.")

    def clean_attributes(self) -> list[str]:
        return _attribute_list(self.cleaned_data["attributes"])


RESULT_CHOICES = [("pass", "Passed"), ("fail", "Failed")]


class EvidenceChoice(forms.ModelChoiceField[EvidenceItem]):
    def label_from_instance(self, obj: EvidenceItem) -> str:
        return f"{obj.title} ({obj.when})"


class SampleTestForm(forms.Form):
    """Pass or fail for each attribute of one sampled item, a note, and the evidence looked at."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           help_text="What was looked at; for a failed attribute, what was wrong.")
    evidence = EvidenceChoice(queryset=EvidenceItem.objects.none(), required=False, empty_label="None",
                              help_text="An evidence item of this control.")

    def __init__(self, *args: Any, sample_set: SampleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attribute_names = list(sample_set.attributes)
        for index, name in enumerate(self.attribute_names):
            self.fields[f"result_{index}"] = forms.ChoiceField(choices=RESULT_CHOICES, label=name,
                                                               widget=forms.RadioSelect)
        # Attribute fields first, then the note and the evidence.
        self.order_fields([f"result_{i}" for i in range(len(self.attribute_names))])
        population = sample_set.population
        cast(EvidenceChoice, self.fields["evidence"]).queryset = EvidenceItem.objects.filter(
            organization_id=population.organization_id, controls=population.control_id, deleted_at__isnull=True)

    def results(self) -> dict[str, bool]:
        """The cleaned results as {attribute: passed}."""
        return {name: self.cleaned_data[f"result_{i}"] == "pass" for i, name in enumerate(self.attribute_names)}

    def result_fields(self) -> list[forms.BoundField]:
        """The attribute fields, for templates."""
        return [self[f"result_{i}"] for i in range(len(self.attribute_names))]


class PassRemainingForm(forms.Form):
    """The explicit confirmation that every attribute held for each item still untested."""

    confirm = forms.BooleanField(required=True, label="I checked each of these items: every attribute held",
                                 error_messages={"required": "Tick the box to confirm that you checked each item; "
                                                             "nothing was recorded."})
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
                           help_text="Added to each item's test, e.g. what was looked at.")
    remaining = forms.CharField(widget=forms.HiddenInput)
