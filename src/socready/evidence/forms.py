"""Forms for evidence items, their revisions and the PBC list."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from socready.accounts.models import Organization, User
from socready.accounts.services import team_members
from socready.evidence.models import EvidenceKind, EvidencePurpose, EvidenceRequest, RequestStatus
from socready.evidence.services import parse_result
from socready.programs.models import Control
from socready.programs.widgets import QuickSelect, QuickSelectMultiple


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each becomes its own evidence item."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ContentFields(forms.Form):
    """The content of one revision; which field is needed depends on the item's kind."""

    # The form's metaclass moves declared fields into base_fields, so this field does not replace the form's
    # uploaded ``files``; the stubs cannot see that.
    files = MultipleFileField(required=False, label="File(s)",  # type: ignore[assignment]
                              help_text="Choose or drop one or several files; each becomes its own item with the "
                                        "dates and controls above.")
    url = forms.URLField(required=False, max_length=2000, label="Link", assume_scheme="https")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Note")
    result = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Result (JSON)")

    content_kind: str  # the kind of evidence the content is for: it decides which field is needed

    def clean_result(self) -> Any:
        raw = self.cleaned_data.get("result", "")
        if self.content_kind != EvidenceKind.RESULT:
            return None
        if not raw.strip():
            raise forms.ValidationError("Paste the JSON result.")
        try:
            return parse_result(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def check_content(self, cleaned: dict[str, Any]) -> None:
        needed_by_kind: dict[str, str] = {
            EvidenceKind.FILE: "files", EvidenceKind.LINK: "url", EvidenceKind.NOTE: "text"}
        needed = needed_by_kind.get(self.content_kind)
        if needed and not cleaned.get(needed):
            self.add_error(needed, "This kind of evidence needs it.")


class EvidenceForm(ContentFields):
    """A new evidence item: what it is, the date or period it speaks for, its controls."""

    kind = forms.ChoiceField(choices=EvidenceKind.choices)
    title = forms.CharField(max_length=300, required=False,
                            help_text="Left empty for files, each item takes its file's name.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_date = forms.DateField(label="Effective date", widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="The day the evidence speaks for, not the upload day.")
    period_end = forms.DateField(required=False, label="Covers until", widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="For evidence covering a period (a quarter's review, a log extract).")
    controls = forms.ModelMultipleChoiceField(queryset=Control.objects.none(), widget=QuickSelectMultiple(
        attrs={"size": 8}))
    request = forms.ModelChoiceField(queryset=EvidenceRequest.objects.none(), required=False,
                                     label="Answers request", widget=QuickSelect)
    purpose = forms.ChoiceField(
        required=False, label="Shows",
        choices=[("", "Decide by kind (links and notes: design; files, results, periods: operating)"),
                 *EvidencePurpose.choices],
        help_text="Design evidence stays as reference when the period rolls forward; operating evidence is asked "
                  "for again each period.")

    field_order = ["kind", "title", "description", "effective_date", "period_end", "purpose", "controls", "request",
                   "files", "url", "text", "result"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content_kind = str(self.data.get("kind", "")) if self.is_bound else ""
        cast("forms.ModelMultipleChoiceField[Control]", self.fields["controls"]).queryset = Control.objects.filter(
            organization=organization).only("id", "code", "title").order_by("code")
        cast("forms.ModelChoiceField[EvidenceRequest]", self.fields["request"]).queryset = (
            EvidenceRequest.objects.filter(organization=organization).only("id", "code", "title").order_by("code"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("effective_date"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The covered period must end on or after the effective date.")
        if self.content_kind != EvidenceKind.FILE and not cleaned.get("title"):
            self.add_error("title", "Give the evidence a title.")
        self.check_content(cleaned)
        return cleaned


class RevisionForm(ContentFields):
    """New content for an existing item."""

    change_note = forms.CharField(max_length=300, required=False, label="What changed")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content_kind = kind
        keep = {EvidenceKind.FILE: "files", EvidenceKind.LINK: "url", EvidenceKind.NOTE: "text",
                EvidenceKind.RESULT: "result"}[EvidenceKind(kind)]
        for name in ("files", "url", "text", "result"):
            if name != keep:
                del self.fields[name]
        if "files" in self.fields:
            self.fields["files"].help_text = "One file: it replaces the current version."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_content(cleaned)
        if len(cleaned.get("files") or []) > 1:
            self.add_error("files", "A new version takes one file.")
        return cleaned


class RequestEditForm(forms.ModelForm[EvidenceRequest]):
    """Due date and assignee of a request (the team's side of the PBC list)."""

    class Meta:
        model = EvidenceRequest
        fields = ["due_date", "assignee"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The auditor judges requests; answering them is the team's work.
        cast("forms.ModelChoiceField[User]", self.fields["assignee"]).queryset = team_members(organization)


class ReviewForm(forms.Form):
    """A comment, and optionally a new status within what the role allows."""

    status = forms.ChoiceField(required=False, choices=[("", "(no change)"), *RequestStatus.choices])
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Comment")

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "(no change)")] + [
            (value, label) for value, label in RequestStatus.choices if value in allowed]
