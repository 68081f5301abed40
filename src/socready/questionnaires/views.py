"""Questionnaire screens: the organization's files with what they ask for, uploads, and handing asks to scoping."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from socready.accounts.access import TenantAccess, resolve_tenant
from socready.core.errors import InputError
from socready.io.questionnaire import SUPPORTED_SUFFIXES
from socready.questionnaires.models import Questionnaire, ReadState
from socready.questionnaires.scoping import profile_asks, save_to_scoping
from socready.questionnaires.services import check_uploads, organization_asks, per_file_labels, remove_questionnaire
from socready.questionnaires.services_reading import queue_questionnaire
from socready.questionnaires.tasks import read_questionnaire_upload
from socready.storage.blobs import UploadRefused


def _upload(request: HttpRequest, access: TenantAccess) -> list[Questionnaire]:
    """Store each uploaded file and queue its reading and drafting; say which were refused and why.

    With a worker the answers are drafted in the background and each file's page shows the progress;
    when tasks run inline they are drafted before the page returns.
    """
    org = access.organization
    try:
        files = request.FILES.getlist("files")
    except TooManyFilesSent:
        messages.error(request, f"Nothing was stored: at most {settings.MAX_UPLOAD_FILES} files per upload.")
        return []
    try:
        check_uploads(files)
    except UploadRefused as exc:
        messages.error(request, f"Nothing was stored: {exc}.")
        return []
    stored: list[Questionnaire] = []
    refused: list[str] = []
    for upload in files:
        try:
            questionnaire = queue_questionnaire(org, request.user, upload)
        except UploadRefused as exc:
            refused.append(str(exc))
            continue
        try:
            read_questionnaire_upload.enqueue(questionnaire.pk)
        except Exception:
            remove_questionnaire(questionnaire)  # nothing half-stored when the queue cannot take it
            raise
        questionnaire.refresh_from_db()
        stored.append(questionnaire)
    ready = [q for q in stored if q.state == ReadState.READY]
    # With tasks run inline the file has been read already: one that could not be read is reported here.
    refused += [f"{q.file_name}: {q.error}" for q in stored if q.state == ReadState.FAILED]
    waiting = [q for q in stored if q.state not in (ReadState.READY, ReadState.FAILED)]
    if ready:
        questions = sum(q.question_count for q in ready)
        messages.success(request, f"Stored {_count(len(ready))} with {questions} questions; "
                                  "answers are drafted for review.")
    if waiting:
        messages.success(request, f"Reading {_count(len(waiting))} in the background; "
                                  + ("its page shows the progress." if len(waiting) == 1 else
                                     "each one's page shows its progress."))
    for reason in refused:
        messages.error(request, f"Not stored: {reason}.")
    return stored


def _count(number: int) -> str:
    return f"{number} questionnaire{'' if number == 1 else 's'}"


@login_required
def questionnaire_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's questionnaires, the reports they ask for across files, and the upload form."""
    access = resolve_tenant(request, slug)
    if request.method == "POST":
        stored = _upload(request, access)
        if len(stored) == 1 and stored[0].state != ReadState.READY:
            return redirect("questionnaire-detail", slug=slug, pk=stored[0].pk)  # to watch its progress
        return redirect("questionnaire-list", slug=slug)
    org = access.organization
    files = (Questionnaire.objects.filter(organization=org).select_related("uploaded_by")
             .annotate(answered=Count("answers", filter=~Q(answers__answer="")),
                       to_review=Count("answers", filter=~Q(answers__review_reason="") & Q(answers__reviewed=False))))
    rows = [(q, per_file_labels(q.asks)) for q in files]
    summary = organization_asks(org)
    return render(request, "questionnaires/questionnaire_list.html", {
        **access.context(), "rows": rows, "summary": summary, "lines": summary.lines(),
        "scoping_asks": profile_asks(summary), "accept": ",".join(SUPPORTED_SUFFIXES),
        "max_files": settings.MAX_UPLOAD_FILES, "max_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
    })


@login_required
def apply_asks(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the asks across all questionnaires into the scoping profile (POST)."""
    access = resolve_tenant(request, slug)
    if request.method != "POST":
        return redirect("questionnaire-list", slug=slug)
    summary = organization_asks(access.organization)
    try:
        saved, updated = save_to_scoping(access.organization, summary)
    except InputError as exc:
        messages.error(request, f"The scoping profile was not changed: {exc}")
        return redirect("questionnaire-list", slug=slug)
    if updated:
        messages.success(request, f"Saved {saved} prospect ask(s) to scoping and updated the recommendation.")
        return redirect("scoping-result", slug=slug)
    messages.success(request, f"Saved {saved} prospect ask(s) to scoping; finish the scoping steps to see "
                              "the recommendation.")
    return redirect("questionnaire-list", slug=slug)
