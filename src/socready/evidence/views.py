"""Evidence screens: the list with the add form, one item with its revisions, downloads, deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from socready.accounts.access import resolve_tenant
from socready.evidence.forms import EvidenceForm, RevisionForm
from socready.evidence.models import EvidenceItem, EvidenceKind, EvidenceRevision
from socready.evidence.services import (
    Content,
    add_evidence,
    add_revision,
    check_uploads,
    live_evidence,
    soft_delete,
    withdraws_acceptance,
)
from socready.programs.models import Control, Engagement
from socready.storage.blobs import CorruptBlob, UploadRefused, blob_store, verified_file

PAGE_SIZE = 25


def _contents(kind: str, cleaned: dict[str, Any]) -> list[tuple[str, Content]]:
    """(title, content) per item to create: one per uploaded file, else one."""
    title = cleaned.get("title", "")
    if kind == EvidenceKind.FILE:
        return [(title or (upload.name or "file"), Content(upload=upload)) for upload in cleaned["files"]]
    return [(title, Content(url=cleaned.get("url", ""), text=cleaned.get("text", ""), result=cleaned.get("result")))]


def _add_from_form(request: HttpRequest, form: EvidenceForm, org: Any) -> int | None:
    """Create the items a valid form describes (all or none); the count, or None with the error on the form."""
    cleaned = form.cleaned_data
    try:
        check_uploads(cleaned.get("files") or [])
        with transaction.atomic():  # several files: all become items, or none does
            items = [add_evidence(org, request.user, kind=cleaned["kind"], title=title,
                                  effective_date=cleaned["effective_date"], period_end=cleaned["period_end"],
                                  controls=cleaned["controls"], content=content,
                                  description=cleaned["description"], request=cleaned["request"],
                                  purpose=cleaned.get("purpose") or "")
                     for title, content in _contents(cleaned["kind"], cleaned)]
    except (UploadRefused, ValueError) as exc:
        form.add_error(None, f"Nothing was saved: {exc}")
        return None
    return len(items)


@login_required
def evidence_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The form to add evidence; ``?control=ID`` (from a control's page) preselects that control."""
    access = resolve_tenant(request, slug, need="write")
    org = access.organization
    initial: dict[str, Any] = {"kind": EvidenceKind.FILE}
    control = request.GET.get("control", "")
    chosen = Control.objects.filter(organization=org, pk=int(control)).first() if control.isdigit() else None
    if chosen is not None:
        initial["controls"] = [chosen.pk]
    form = EvidenceForm(request.POST or None, request.FILES or None, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        added = _add_from_form(request, form, org)
        if added is not None:
            messages.success(request, f"Added {added} evidence item{'s' if added != 1 else ''}.")
            if chosen is not None:
                return redirect("control-detail", slug=slug, pk=chosen.pk)
            return redirect("evidence-list", slug=slug)
    return render(request, "evidence/evidence_new.html", {**access.context(), "form": form, "chosen": chosen})


@login_required
def evidence_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Live evidence, filtered by control, engagement or kind, one page at a time.

    The add form lives on its own page (it lists every control and request, which a list page need not
    load); a post here is still accepted, and its errors are shown on that form.
    """
    if request.method == "POST":
        return evidence_new(request, slug)
    access = resolve_tenant(request, slug)
    org = access.organization
    items = live_evidence(org)
    control = request.GET.get("control", "")
    engagement = request.GET.get("engagement", "")
    kind = request.GET.get("kind", "")
    if control.isdigit():
        items = items.filter(controls__pk=int(control))
    if engagement.isdigit():
        items = items.filter(controls__engagements__pk=int(engagement)).distinct()
    if kind in EvidenceKind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/evidence_list.html", {
        **access.context(), "page": page, "kinds": EvidenceKind.choices, "kind": kind,
        "engagements": Engagement.objects.filter(organization=org), "engagement": engagement, "control": control,
    })


@login_required
def evidence_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One item: its dates, controls, the engagements it serves, its revisions; writers add a new version."""
    access = resolve_tenant(request, slug)
    item = get_object_or_404(EvidenceItem.objects.select_related("collector", "request", "current"),
                             pk=pk, organization=access.organization)
    form = RevisionForm(request.POST or None, request.FILES or None, kind=item.kind)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data.get("files") or []
        try:
            check_uploads(files)
            add_revision(item, request.user, Content(upload=files[0] if files else None,
                                                     url=form.cleaned_data.get("url", ""),
                                                     text=form.cleaned_data.get("text", ""),
                                                     result=form.cleaned_data.get("result")),
                         form.cleaned_data["change_note"])
        except (UploadRefused, ValueError) as exc:
            form.add_error(None, f"Nothing was saved: {exc}")
        else:
            messages.success(request, "Saved a new version.")
            return redirect("evidence-detail", slug=slug, pk=pk)
    controls = item.controls.prefetch_related("engagements").order_by("code")
    engagements = {e.pk: e for c in controls for e in c.engagements.all()}
    return render(request, "evidence/evidence_detail.html", {
        **access.context(), "item": item, "controls": controls, "engagements": list(engagements.values()),
        "revisions": item.revisions.select_related("created_by"), "form": form,
    })


def _download(revision: EvidenceRevision) -> HttpResponseBase:
    try:
        handle = verified_file(blob_store(), revision.sha256)
    except CorruptBlob:
        # Never hand over content that no longer matches what was uploaded.
        return HttpResponse("The stored file does not match its recorded SHA-256; it was not sent. "
                            "Ask an administrator to restore it from backup.", status=409,
                            content_type="text/plain; charset=utf-8")
    response = FileResponse(handle, as_attachment=True, filename=revision.file_name or "evidence",
                            content_type="application/octet-stream")
    response["X-Content-SHA256"] = revision.sha256
    return response


@login_required
def evidence_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The current file of an item, after checking its hash."""
    access = resolve_tenant(request, slug)
    item = get_object_or_404(EvidenceItem.objects.select_related("current"), pk=pk, organization=access.organization,
                             kind__in=(EvidenceKind.FILE, EvidenceKind.RESULT))
    if item.current is None or not item.current.sha256:
        return HttpResponse("No file stored.", status=404)
    return _download(item.current)


@login_required
def revision_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Any earlier version's file, after checking its hash."""
    access = resolve_tenant(request, slug)
    revision = get_object_or_404(EvidenceRevision, pk=pk, item__organization=access.organization,
                                 item__kind__in=(EvidenceKind.FILE, EvidenceKind.RESULT))
    if not revision.sha256:  # a result stored before results were kept as files
        return HttpResponse("No file stored.", status=404)
    return _download(revision)


@login_required
def evidence_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Soft-delete an item (kept with its history; recorded in the audit trail)."""
    access = resolve_tenant(request, slug, need="write")
    item = get_object_or_404(EvidenceItem, pk=pk, organization=access.organization, deleted_at__isnull=True)
    if request.method == "POST":
        reopened = soft_delete(item, request.user)
        messages.success(request, f"Deleted {item.title}. Its history stays in the audit trail.")
        if reopened is not None:
            messages.warning(request, f"Request {reopened.code} was accepted on this evidence alone: it is "
                                      f"reopened as \"evidence withdrawn\", and the auditor sees it.")
        return redirect("evidence-list", slug=slug)
    at_stake = withdraws_acceptance(item)
    warning = (f"This is the only evidence behind request {at_stake.code}, which the auditor accepted. Deleting it "
               f"reopens the request as \"evidence withdrawn\", and the auditor will see that."
               if at_stake is not None else "")
    return render(request, "programs/confirm_delete.html", {**access.context(), "object": item,
                                                            "what": "evidence item", "warning": warning})
