"""One questionnaire: its asks and drafted answers, editing and reviewing them, and the filled copy."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socready.accounts.access import resolve_tenant
from socready.core.errors import InputError
from socready.io.questionnaire.answers import SHEET_ONLY
from socready.questionnaires.copies import COPIES, queue_copy
from socready.questionnaires.models import AnswerChoice, DraftAnswer, Questionnaire, ReadState
from socready.questionnaires.services import (
    filled_copy,
    per_file_labels,
    redraft,
    remember_reviewed,
    remove_questionnaire,
)
from socready.questionnaires.services_reading import FINISHED
from socready.questionnaires.views_review import BULK_ACCEPT_CONFIDENCE, answer_counts, sections
from socready.reports.tasks import enqueue_job
from socready.storage.blobs import CorruptBlob

ANSWERS_PER_PAGE = 50
FILTERS = {"all": "All", "review": "Needs review", "unanswered": "No answer", "reviewed": "Reviewed"}


class AnswerForm(forms.ModelForm[DraftAnswer]):
    """What a person may change on an answer: the answer, its explanation, and whether it is reviewed."""

    answer = forms.ChoiceField(choices=[("", "No answer"), *AnswerChoice.choices], required=False)

    class Meta:
        model = DraftAnswer
        fields = ["answer", "explanation", "reviewed"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3, "maxlength": 4000})}
        labels = {"reviewed": "Reviewed"}

    def clean_explanation(self) -> str:
        text = str(self.cleaned_data.get("explanation", "")).strip()
        if len(text) > 4000:
            raise forms.ValidationError("Keep the explanation under 4,000 characters.")
        return text


def _filtered(answers: QuerySet[DraftAnswer], show: str) -> QuerySet[DraftAnswer]:
    if show == "review":
        return answers.filter(~Q(review_reason=""), reviewed=False)
    if show == "unanswered":
        return answers.filter(answer="")
    if show == "reviewed":
        return answers.filter(reviewed=True)
    return answers


@login_required
def questionnaire_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The file's asks, the answer counts, and its answers a page at a time (filterable)."""
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("uploaded_by"), pk=pk,
                                      organization=access.organization)
    if questionnaire.state != ReadState.READY:
        return render(request, "questionnaires/questionnaire_reading.html", {
            **access.context(), "questionnaire": questionnaire, "finished": questionnaire.state in FINISHED})
    answers = questionnaire.answers.select_related("reviewed_by")
    show = request.GET.get("show", "all")
    show = show if show in FILTERS else "all"
    all_sections = sections(questionnaire)
    section = request.GET.get("section")
    if section is not None and section not in {s["name"] for s in all_sections}:
        section = None
    if section is not None:
        answers = answers.filter(section=section)
    page = Paginator(_filtered(answers, show), ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "questionnaires/questionnaire_detail.html", {
        **access.context(), "questionnaire": questionnaire, "labels": per_file_labels(questionnaire.asks),
        "page": page, "rows": [(a, AnswerForm(instance=a, prefix=f"a{a.pk}")) for a in page.object_list],
        **answer_counts(questionnaire), "show": show, "filters": FILTERS,
        "sections": all_sections, "section": section, "bulk_confidence": BULK_ACCEPT_CONFIDENCE,
        "sheet_only": questionnaire.suffix in SHEET_ONLY,
    })


@login_required
def reading_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress block a questionnaire's page polls while it is read and drafted in the background."""
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    finished = questionnaire.state in FINISHED
    response = render(request, "questionnaires/_reading_status.html", {
        **access.context(), "questionnaire": questionnaire, "finished": finished})
    if finished and request.headers.get("HX-Request"):
        # The finished page has more than this block: the answers, or the refusal's Remove button.
        response["HX-Refresh"] = "true"
    return response


@login_required
def answer_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show one answer, or save a person's edit of it; htmx requests get the answer's card back."""
    access = resolve_tenant(request, slug)
    row = get_object_or_404(DraftAnswer.objects.select_related("questionnaire", "reviewed_by"), pk=pk,
                            questionnaire__organization=access.organization)
    form = AnswerForm(request.POST or None, instance=row, prefix=f"a{row.pk}")
    if request.method == "POST" and form.is_valid():
        before = DraftAnswer.objects.get(pk=row.pk)
        row = form.save(commit=False)
        if (row.answer, row.explanation) != (before.answer, before.explanation):
            row.edited = True
        if row.reviewed and not before.reviewed:
            row.reviewed_by = access.user
        elif not row.reviewed:
            row.reviewed_by = None
        row.updated_at = timezone.now()
        row.save()
        if row.reviewed:
            remember_reviewed(row, request.user)
        if not request.headers.get("HX-Request"):
            messages.success(request, f"Saved the answer to {row.question_id}.")
            url = reverse("questionnaire-detail", args=[slug, row.questionnaire_id])
            return redirect(f"{url}#answer-{row.pk}")
        form = AnswerForm(instance=row, prefix=f"a{row.pk}")
    template = "questionnaires/_answer_saved.html" if request.headers.get("HX-Request") else \
        "questionnaires/answer_page.html"
    status = 400 if form.errors else 200
    # An htmx save also sends the counters above the list, swapped in out of band, so they follow the edit.
    return render(request, template, {**access.context(), "a": row, "form": form,
                                      "saved": request.method == "POST" and not form.errors,
                                      "questionnaire": row.questionnaire, **answer_counts(row.questionnaire)},
                  status=status)


@login_required
def download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The original file filled with the current answers (or an answer workbook for PDF and text).

    ``?copy=prospect`` gives the copy to send: reviewed answers only, without the review notes.
    """
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    for_prospect = request.GET.get("copy") == "prospect"
    if for_prospect and not _any_reviewed(request, questionnaire):
        return redirect("questionnaire-detail", slug=slug, pk=pk)
    try:
        data, name, _ = filled_copy(questionnaire, for_prospect=for_prospect)
    except CorruptBlob:
        return HttpResponse("The stored questionnaire does not match its recorded SHA-256; nothing was sent. "
                            "Ask an administrator to restore it from backup.", status=409,
                            content_type="text/plain; charset=utf-8")
    except InputError as exc:
        messages.error(request, f"The filled copy could not be written: {exc.reason}")
        return redirect("questionnaire-detail", slug=slug, pk=pk)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type="application/octet-stream")


@login_required
def redraft_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Draft again, from today's program, every answer no one has edited or reviewed (POST)."""
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    if request.method == "POST":
        changed = redraft(questionnaire)
        messages.success(request, f"Drafted again from the program: {changed} answer(s) changed; edited and "
                                  "reviewed answers were kept.")
    return redirect("questionnaire-detail", slug=slug, pk=pk)


@login_required
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a questionnaire and its answers (POST); the audit trail keeps what they were."""
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    if request.method == "POST":
        remove_questionnaire(questionnaire)
        messages.success(request, f"Removed {questionnaire.file_name}.")
        return redirect("questionnaire-list", slug=slug)
    return redirect("questionnaire-detail", slug=slug, pk=pk)


@login_required
def prepare_copy(request: HttpRequest, slug: str, pk: int, copy: str) -> HttpResponse:
    """Queue the working copy or the copy to send (POST) and show its progress page.

    A queued copy is a stored row, so it takes write access; read-only roles download the copy directly.
    """
    access = resolve_tenant(request, slug, need="write")
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if copy not in COPIES or questionnaire.state != ReadState.READY:
        raise Http404("no such copy")
    if copy == "prospect" and not _any_reviewed(request, questionnaire):
        return redirect("questionnaire-detail", slug=slug, pk=pk)
    job = queue_copy(access.organization, access.user, questionnaire, copy)
    enqueue_job(job, "copy")
    return redirect("export-job", slug=slug, pk=job.pk)


def _any_reviewed(request: HttpRequest, questionnaire: Questionnaire) -> bool:
    """Whether the copy to send would hold an answer; if not, say so (it holds reviewed answers only)."""
    if questionnaire.answers.filter(reviewed=True).exists():
        return True
    messages.error(request, "No copy to send was made: it holds only reviewed answers, and none is reviewed yet. "
                            "Review an answer first.")
    return False
