"""Between periods: the engagements with their roll-forward state, bridge letters, and rolling forward."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.io.exports.bridge_letter import write_bridge_letter_docx, write_bridge_letter_pdf
from socready.programs.models import Engagement
from socready.vendors.models import RollForward
from socready.vendors.services_periods import RollForwardRefused, bridge_letter, last_day, roll_forward


class BridgeLetterForm(forms.Form):
    through = forms.DateField(label="Covering up to", widget=forms.DateInput(attrs={"type": "date"}))
    statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                label="Management's statement", help_text="Leave empty for the standard draft.")
    file_format = forms.ChoiceField(choices=[("docx", "Word (.docx)"), ("pdf", "PDF")], label="Format")


@login_required
def periods(request: HttpRequest, slug: str) -> HttpResponse:
    """Each engagement: its last day, whether it was rolled forward, a bridge letter form."""
    access = resolve_tenant(request, slug)
    engagements = list(Engagement.objects.filter(organization=access.organization))
    rolled = {r.source_id: r for r in RollForward.objects.filter(organization=access.organization)
              .select_related("target")}
    today = timezone.localdate()
    rows = []
    for engagement in engagements:
        end = last_day(engagement)
        ended = end is not None and end < today  # only a period that has ended is bridged or rolled forward
        rows.append((engagement, end, rolled.get(engagement.pk), ended,
                     BridgeLetterForm(initial={"through": today, "file_format": "docx"}, prefix=f"e{engagement.pk}")))
    return render(request, "vendors/periods.html", {**access.context(), "rows": rows})


@login_required
def bridge_letter_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Generate the bridge letter (POST) and send it as docx or PDF."""
    access = resolve_tenant(request, slug, "write")
    engagement = get_object_or_404(Engagement, pk=pk, organization=access.organization)
    form = BridgeLetterForm(request.POST, prefix=f"e{pk}")
    if not form.is_valid():
        messages.error(request, "Give the date the letter covers up to.")
        return redirect("vendor-periods", slug=slug)
    through: dt.date = form.cleaned_data["through"]
    try:
        letter = bridge_letter(engagement, through, form.cleaned_data["statement"])
    except ValueError as exc:
        messages.error(request, f"No letter: {exc}.")
        return redirect("vendor-periods", slug=slug)
    suffix = form.cleaned_data["file_format"]
    name = f"{access.organization.slug}-bridge-letter-{through.isoformat()}.{suffix}"
    with tempfile.TemporaryDirectory(prefix="socready-bridge-") as folder:
        path = Path(folder) / name
        (write_bridge_letter_pdf if suffix == "pdf" else write_bridge_letter_docx)(letter, path)
        content = path.read_bytes()  # a letter is a few pages: held in memory so the folder goes at once
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)


@login_required
def engagement_roll_forward(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start the next period from this engagement (POST; owners and admins)."""
    access = resolve_tenant(request, slug, "manage")
    engagement = get_object_or_404(Engagement, pk=pk, organization=access.organization)
    if request.method != "POST":
        return redirect("vendor-periods", slug=slug)
    try:
        rolled = roll_forward(engagement, request.user)
    except RollForwardRefused as exc:
        messages.error(request, str(exc))
        return redirect("vendor-periods", slug=slug)
    messages.success(request, f"Started {rolled.target.label} from {engagement.label}, which is now read-only.")
    return redirect("vendor-periods", slug=slug)
