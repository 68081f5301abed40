"""Readiness page, one-click remediation tasks from its gaps, and the downloads of the auditor package."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from socready.accounts.access import TenantAccess, tenant_view
from socready.reports.exports import download_name, write_export
from socready.reports.focus import files_of, focus
from socready.reports.gap_tasks import AlreadyTracked, GapClosed, create_gap_task, read_gap
from socready.reports.jobs import BACKGROUND_KINDS, title_of
from socready.reports.kinds import BY_KIND, KINDS
from socready.reports.models import ExportJob
from socready.reports.page import page_context
from socready.reports.services import ProgramReadiness, ReportError, engagement_problem, program_readiness
from socready.snapshot import current_view


def _program(access: TenantAccess, engagement: str | None) -> ProgramReadiness:
    """The program of the page's organization; an engagement id that does not fit it is a 404."""
    try:
        return program_readiness(access.organization, engagement or None)
    except ReportError as exc:
        raise Http404(str(exc)) from None


def _readiness_url(slug: str, engagement: str | None, anchor: str = "") -> str:
    url = reverse("readiness", kwargs={"slug": slug})
    return f"{url}?engagement={engagement}{anchor}" if engagement else f"{url}{anchor}"


@login_required
@tenant_view()
@require_GET
def readiness(request: HttpRequest, access: TenantAccess, slug: str) -> HttpResponse:
    """Readiness overall or for one engagement (?engagement=ID): scores explained, charts, gaps, ready date."""
    program = _program(access, request.GET.get("engagement"))
    return render(request, "reports/readiness.html", {**access.context(), **page_context(program)})


@login_required
@tenant_view(need="write")
@require_POST
def create_task(request: HttpRequest, access: TenantAccess, slug: str) -> HttpResponse:
    """Create the remediation task a gap suggests (POST ``gap`` = the gap's signed button, optional ``engagement``).

    The program is not scored here (see ``gap_tasks``): the task is the suggestion the page showed, unless the
    readiness this process already holds says the gap has closed since, or an open task already tracks it.
    """
    engagement = request.POST.get("engagement") or None
    org = access.organization
    suggestion = read_gap(request.POST.get("gap", ""), org.pk, engagement)
    back = redirect(_readiness_url(slug, engagement, "#gaps"))
    if suggestion is None:
        messages.error(request, "That gap is not one this page showed; here is readiness as it is now.")
        return back
    try:
        create_gap_task(org, engagement, suggestion)
    except GapClosed:
        messages.error(request, f"No open gap '{suggestion.key}': it was closed since the page was shown.")
    except AlreadyTracked:
        messages.info(request, f"An open task already tracks this gap: {suggestion.title}")
    else:
        messages.success(request, f"Task created: {suggestion.title}. Give it an owner and a due date on the "
                                  f"Remediation page so the ready date can count it.")
    return back


@login_required
@tenant_view()
@require_GET
def downloads(request: HttpRequest, access: TenantAccess, slug: str) -> HttpResponse:
    """Every export of the auditor package, for the whole program or one engagement (?engagement=ID)."""
    view = current_view(access.organization)
    selected = request.GET.get("engagement") or None
    if selected and engagement_problem(access.organization, view, selected):
        raise Http404("no such engagement")
    query = f"?engagement={selected}" if selected else ""
    entries: list[dict[str, Any]] = []
    for kind in KINDS:
        url = reverse(f"download-{kind.kind}", kwargs={"slug": slug}) + query
        formats = [(kind.suffix.lstrip(".").upper(), url)]
        if kind.kind == "pbc":
            formats.append(("CSV", url + ("&" if query else "?") + "format=csv"))
        prepare = (reverse(f"export-start-{kind.kind}", kwargs={"slug": slug})
                   if kind.kind in BACKGROUND_KINDS else None)
        entries.append({"kind": kind, "formats": formats, "prepare": prepare})
    files = files_of(focus(view.snapshot, selected), view.evidence_files) if selected else view.evidence_files
    recent = ExportJob.objects.filter(organization=access.organization).select_related("requested_by")[:5]
    return render(request, "reports/downloads.html", {
        **access.context(), "entries": entries, "selected": selected, "skipped": view.skipped,
        "background": BACKGROUND_KINDS, "jobs": [(job, title_of(job.kind)) for job in recent],
        "engagements": [{"id": pk, "label": row.label} for pk, row in view.engagement_rows.items()],
        "evidence_files": len({sha for _, _, sha in files}),
    })


class _TemporaryDownload(io.FileIO):
    """A generated file that removes its temporary folder once the response has been sent."""

    def __init__(self, path: Path, folder: str) -> None:
        super().__init__(path, "rb")
        self._folder = folder

    def close(self) -> None:
        try:
            super().close()
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


@login_required
@tenant_view()
@require_GET
def download(request: HttpRequest, access: TenantAccess, slug: str, kind: str) -> HttpResponseBase:
    """Generate one export on request into a temporary folder and stream it as an attachment."""
    export = BY_KIND[kind]
    engagement = request.GET.get("engagement") or None
    program = _program(access, engagement)
    suffix = ".csv" if kind == "pbc" and request.GET.get("format") == "csv" else export.suffix
    name = download_name(program, kind, suffix)
    folder = tempfile.mkdtemp(prefix="socready-download-")
    try:
        path = write_export(program, kind, Path(folder) / name)
        handle = _TemporaryDownload(path, folder)
    except ReportError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        messages.error(request, f"{export.title} could not be made: {exc}")
        downloads_url = reverse("downloads", kwargs={"slug": slug})
        return redirect(f"{downloads_url}?engagement={engagement}" if engagement else downloads_url)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(handle, as_attachment=True, filename=name)
