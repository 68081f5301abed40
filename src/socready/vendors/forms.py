"""Forms of the vendor screens: the register entry, a report upload, and the review of a report's facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from socready.core.vendors.cuecs import CONTROL, NOT_APPLICABLE, CuecChoice
from socready.core.vendors.facts import METHODS, OPINIONS, REPORTS, TYPES, Located, ReportFacts, Subservice
from socready.vendors.models import Conclusion, CuecTreatment, Vendor


class VendorForm(forms.ModelForm[Vendor]):
    class Meta:
        model = Vendor
        fields = ["name", "services", "data_shared", "criticality", "owner", "review_months", "subservice", "csocs"]
        labels = {"services": "Services used", "data_shared": "Data shared", "review_months": "Review every (months)",
                  "subservice": "Subservice organization of our system", "csocs": "CSOCs we expect of it (one a line)"}
        widgets = {"services": forms.Textarea(attrs={"rows": 2}), "data_shared": forms.Textarea(attrs={"rows": 2}),
                   "csocs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField) and owner.queryset is not None
        owner.queryset = owner.queryset.filter(memberships__organization=organization).distinct()


class UploadForm(forms.Form):
    report = forms.FileField(label="SOC report (PDF)")


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", "not stated"), *((v, v) for v in values)]


class ReviewForm(forms.Form):
    """Each fact the reader found, for the reviewer to confirm or correct, and the conclusion."""

    report = forms.ChoiceField(choices=_choices(REPORTS), required=False)
    type = forms.ChoiceField(choices=_choices(TYPES), required=False)
    period_start = forms.DateField(required=False)
    period_end = forms.DateField(required=False)
    as_of = forms.DateField(required=False, label="As of")
    service_auditor = forms.CharField(required=False, max_length=200)
    report_date = forms.DateField(required=False)
    opinion = forms.ChoiceField(choices=_choices(OPINIONS), required=False)
    categories = forms.CharField(required=False, help_text="Comma separated.")
    subservice_organizations = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                               help_text="One a line: name | service | carve-out or inclusive")
    cuecs = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label="CUECs",
                            help_text="One a line; choose below what each becomes (a line you add becomes a control).")
    exceptions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="One a line; each raises a risk on the vendor.")
    conclusion = forms.ChoiceField(choices=[("", "choose"), *Conclusion.choices])
    conclusion_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why")

    def __init__(self, *args: Any, cuec_count: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cuec_count = cuec_count
        for number in range(1, cuec_count + 1):
            self.fields[f"cuec_{number}"] = forms.ChoiceField(choices=CuecTreatment.choices, initial=CONTROL,
                                                              label=f"CUEC {number} becomes")
            self.fields[f"cuec_{number}_reason"] = forms.CharField(
                required=False, max_length=1000, label=f"Reason CUEC {number} does not apply to us")

    def cuec_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        """Each CUEC's choice and reason fields, numbered from 1."""
        return [(n, self[f"cuec_{n}"], self[f"cuec_{n}_reason"]) for n in range(1, self.cuec_count + 1)]

    def cuec_choices(self, count: int) -> dict[int, CuecChoice]:
        """The reviewer's choice for each of the first ``count`` CUECs that has a choice field."""
        data = self.cleaned_data
        chosen = {}
        for number in range(1, min(count, self.cuec_count) + 1):
            treatment = data.get(f"cuec_{number}") or CONTROL
            reason = str(data.get(f"cuec_{number}_reason") or "") if treatment == NOT_APPLICABLE else ""
            chosen[number] = CuecChoice(treatment, reason)
        return chosen

    @staticmethod
    def initial_from(facts: ReportFacts) -> dict[str, Any]:
        """The form's starting values: what the reader found."""
        return {"report": facts.report or "", "type": facts.type or "", "period_start": facts.period_start,
                "period_end": facts.period_end, "as_of": facts.as_of, "service_auditor": facts.service_auditor or "",
                "report_date": facts.report_date, "opinion": facts.opinion or "",
                "categories": ", ".join(facts.categories),
                "subservice_organizations": "\n".join(f"{s.name} | {s.service} | {s.method}"
                                                      for s in facts.subservice_organizations),
                "cuecs": "\n".join(c.text for c in facts.cuecs),
                "exceptions": "\n".join(e.text for e in facts.exceptions)}

    def clean_subservice_organizations(self) -> list[tuple[str, str, str]]:
        rows = []
        for number, line in enumerate(str(self.cleaned_data["subservice_organizations"]).splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or parts[2] not in METHODS or not parts[0]:
                raise forms.ValidationError(f"line {number}: write name | service | carve-out or inclusive")
            rows.append((parts[0], parts[1], parts[2]))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "the period ends before it starts")
        for number in range(1, self.cuec_count + 1):
            if data.get(f"cuec_{number}") == NOT_APPLICABLE and not str(data.get(f"cuec_{number}_reason", "")).strip():
                self.add_error(f"cuec_{number}_reason", f"say why CUEC {number} does not apply")
        return data

    def facts(self, read: ReportFacts) -> ReportFacts:
        """The confirmed facts: the reviewer's values, keeping the pages the reader found where text is unchanged."""
        data = self.cleaned_data

        def lines(name: str, found: tuple[Located, ...]) -> tuple[Located, ...]:
            pages = {item.text: item.page for item in found}
            return tuple(Located(t.strip(), pages.get(t.strip())) for t in str(data[name]).splitlines() if t.strip())

        old_subs = {s.name: s.page for s in read.subservice_organizations}
        day: dict[str, dt.date | None] = {k: data.get(k)
                                          for k in ("period_start", "period_end", "as_of", "report_date")}
        return ReportFacts(
            report=data["report"] or None, type=data["type"] or None, standard=read.standard,
            period_start=day["period_start"], period_end=day["period_end"], as_of=day["as_of"],
            service_auditor=data["service_auditor"] or None, service_auditor_source=read.service_auditor_source,
            report_date=day["report_date"], opinion=data["opinion"] or None,
            categories=tuple(c.strip() for c in str(data["categories"]).split(",") if c.strip()),
            subservice_organizations=tuple(Subservice(n, m, s, old_subs.get(n))
                                           for n, s, m in data["subservice_organizations"]),
            cuecs=lines("cuecs", read.cuecs), exceptions=lines("exceptions", read.exceptions), pages=read.pages,
            fact_pages=read.fact_pages, image_only_pages=read.image_only_pages, warnings=read.warnings,
            ocr_pages=read.ocr_pages, fact_sources=read.fact_sources)
