"""The reading of an uploaded vendor report: the progress block its page polls, queueing it again, removing a
refused one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from socready.accounts.access import TenantAccess, tenant_view
from socready.vendors import services_reading as svc
from socready.vendors.models import ReadState, VendorReport
from socready.vendors.tasks import read_vendor_report


def _report(access: TenantAccess, pk: int) -> VendorReport:
    return get_object_or_404(VendorReport.objects.select_related("vendor", "uploaded_by"), pk=pk,
                             organization=access.organization)


def reading_context(access: TenantAccess, report: VendorReport) -> dict[str, Any]:
    """What the page of a report that is not read yet shows: its phase, or why it was refused."""
    return {**access.context(), "report": report, "phase": svc.phase_label(report),
            "finished": report.state in svc.FINISHED, "stalled": svc.can_retry(report), "limit": svc.limit_label()}


@login_required
@tenant_view()
@require_safe
def report_progress(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """The status block a report's page polls while the report is queued or read in the background."""
    report = _report(access, pk)
    response = render(request, "vendors/_reading_status.html", reading_context(access, report))
    if report.state in (ReadState.READY, ReadState.FAILED) and request.headers.get("HX-Request"):
        # The finished page has more than this block: the review, or the refusal's title and Remove button.
        response["HX-Refresh"] = "true"
    return response


@login_required
@tenant_view("write")
@require_POST
def report_retry(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """Queue an abandoned read again (POST): its worker died or never came."""
    report = _report(access, pk)
    if not svc.can_retry(report):
        messages.warning(request, "This report is not stuck; nothing was changed.")
        return redirect("vendorreport-review", slug=slug, pk=pk)
    svc.requeue(report)
    read_vendor_report.enqueue(report.pk)
    messages.success(request, "The report is queued to be read again.")
    return redirect("vendorreport-review", slug=slug, pk=pk)


@login_required
@tenant_view("write")
@require_POST
def report_remove(request: HttpRequest, access: TenantAccess, slug: str, pk: int) -> HttpResponse:
    """Remove the note a refused report left (POST); a report that was read stays, as evidence."""
    report = _report(access, pk)
    if report.state != ReadState.FAILED:
        messages.error(request, "Only a refused report can be removed; a report that was read is evidence.")
        return redirect("vendorreport-review", slug=slug, pk=pk)
    vendor_id = report.vendor_id
    svc.remove_report(report)
    messages.success(request, f"Removed the note about {report.file_name}.")
    return redirect("vendor-detail", slug=slug, pk=vendor_id)
