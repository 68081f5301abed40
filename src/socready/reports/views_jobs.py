"""Files made in the background: start an export, watch its progress, download the file when it is ready."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from socready.accounts.access import TenantAccess, resolve_tenant
from socready.reports.jobs import BACKGROUND_KINDS, FINISHED, create_job, job_kind, title_of
from socready.reports.models import ExportJob, JobState
from socready.reports.tasks import enqueue_job
from socready.storage.blobs import CorruptBlob, blob_store, verified_file


def _job(access: TenantAccess, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, organization=access.organization)


def _context(access: TenantAccess, job: ExportJob) -> dict[str, Any]:
    try:
        back = job_kind(job.kind).back_link(job, access.organization.slug)
    except ValueError:  # a kind no installed app makes any more: the page still shows what happened
        back = ("Downloads", reverse("downloads", kwargs={"slug": access.organization.slug}))
    return {**access.context(), "job": job, "title": title_of(job.kind), "back_label": back[0],
            "back_url": back[1], "finished": job.state in FINISHED}


@login_required
def export_start(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Queue a background export (POST ``engagement`` optional) and show its progress page.

    A queued export is a stored row, so it takes write access; auditors download the files directly.
    """
    access = resolve_tenant(request, slug, need="write")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if kind not in BACKGROUND_KINDS:
        raise Http404("this export is made on the spot")
    engagement = request.POST.get("engagement") or None
    job = create_job(access.organization, request.user, kind, engagement)  # type: ignore[arg-type]
    enqueue_job(job, "export")
    return redirect("export-job", slug=slug, pk=job.pk)


@login_required
def export_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One export's page: its progress while it is made, then the link to the file."""
    access = resolve_tenant(request, slug)
    return render(request, "reports/export_job.html", _context(access, _job(access, pk)))


@login_required
def export_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The status block the export page polls until the file is ready or the export failed."""
    access = resolve_tenant(request, slug)
    return render(request, "reports/export_status.html", _context(access, _job(access, pk)))


@login_required
def export_file(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """The finished export, checked against its hash before it is sent."""
    access = resolve_tenant(request, slug)
    job = _job(access, pk)
    if job.state != JobState.DONE:
        raise Http404("this export is not ready")
    try:
        handle = verified_file(blob_store(), job.sha256)
    except CorruptBlob as exc:
        messages.error(request, f"The stored export cannot be sent: {exc}. Make it again.")
        return redirect("downloads", slug=slug)
    return FileResponse(handle, as_attachment=True, filename=job.file_name)
