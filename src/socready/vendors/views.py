"""Vendor screens: the register, one vendor with its reports and coverage, the upload and the review of a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from socready.accounts.access import resolve_tenant
from socready.accounts.models import Organization
from socready.core.errors import InputError
from socready.core.vendors.facts import facts_from_dict
from socready.programs.models import Engagement, ReportType
from socready.storage.blobs import UploadRefused
from socready.vendors.forms import ReviewForm, UploadForm, VendorForm
from socready.vendors.models import CuecTreatment, ReadState, Vendor, VendorReport
from socready.vendors.services import confirm_review, vendor_coverage
from socready.vendors.services_reading import queue_report, remove_report
from socready.vendors.tasks import read_vendor_report
from socready.vendors.views_reading import reading_context


def _type2(org: Organization) -> list[Engagement]:
    return list(Engagement.objects.filter(organization=org, report_type=ReportType.TYPE2,
                                          period_start__isnull=False, period_end__isnull=False))


@login_required
def vendor_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The register, with how each vendor's reports cover each Type II engagement; a form adds a vendor."""
    access = resolve_tenant(request, slug)
    org = access.organization
    form = VendorForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        vendor = form.save(commit=False)
        vendor.organization = org
        if Vendor.objects.filter(organization=org, name=vendor.name).exists():
            form.add_error("name", "a vendor of this name is already in the register")
        else:
            vendor.save()
            messages.success(request, f"{vendor.name} added to the register.")
            return redirect("vendor-detail", slug=slug, pk=vendor.pk)
    engagements = _type2(org)
    vendors = list(Vendor.objects.filter(organization=org).select_related("owner").prefetch_related(
        Prefetch("reports", queryset=VendorReport.objects.filter(state=ReadState.READY))))
    rows = [(v, [vendor_coverage(v, e) for e in engagements]) for v in vendors]
    return render(request, "vendors/vendor_list.html", {**access.context(), "rows": rows, "engagements": engagements,
                                                        "form": form})


@login_required
def vendor_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One vendor: its register entry, its reports, its CUEC controls and risks, and its coverage."""
    access = resolve_tenant(request, slug)
    vendor = get_object_or_404(Vendor, pk=pk, organization=access.organization)
    form = VendorForm(request.POST or None, instance=vendor, organization=access.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vendor saved.")
        return redirect("vendor-detail", slug=slug, pk=pk)
    reports = list(vendor.reports.select_related("reviewed_by").prefetch_related("cuecs__control", "cuecs__task"))
    coverage = [(e, vendor_coverage(vendor, e)) for e in _type2(access.organization)]
    return render(request, "vendors/vendor_detail.html", {
        **access.context(), "vendor": vendor, "form": form, "upload": UploadForm(), "reports": reports,
        "coverage": coverage, "risks": vendor.risks.select_related("task", "report")})


@login_required
def report_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Store a vendor's report and queue its reading (POST); its page shows the progress, then the review.

    A file that is not a PDF, or too large, is refused at once and nothing is kept.
    """
    access = resolve_tenant(request, slug, "write")
    vendor = get_object_or_404(Vendor, pk=pk, organization=access.organization)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a PDF to upload.")
        return redirect("vendor-detail", slug=slug, pk=pk)
    try:
        report = queue_report(vendor, request.user, form.cleaned_data["report"])
    except (InputError, UploadRefused) as exc:
        messages.error(request, f"Not stored: {exc}")
        return redirect("vendor-detail", slug=slug, pk=pk)
    try:
        read_vendor_report.enqueue(report.pk)
    except Exception:
        remove_report(report)  # nothing half-stored when the queue cannot take it
        raise
    report.refresh_from_db()
    if report.state == ReadState.READY:  # tasks run inline (no worker): read already
        messages.success(request, "Report read. Check each fact against the document, then record a conclusion.")
    return redirect("vendorreport-review", slug=slug, pk=report.pk)


@login_required
def report_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm or correct each fact the reader found (with its page) and record a conclusion."""
    access = resolve_tenant(request, slug)
    report = get_object_or_404(VendorReport.objects.select_related("vendor", "evidence"), pk=pk,
                               organization=access.organization)
    if report.state != ReadState.READY:
        if request.method == "POST":
            messages.error(request, "The report has not been read; there are no facts to confirm yet.")
            return redirect("vendorreport-review", slug=slug, pk=pk)
        return render(request, "vendors/report_reading.html", reading_context(access, report))
    read = facts_from_dict(report.read_facts)
    current = facts_from_dict(report.facts)
    chosen = {c.number: c for c in report.cuecs.all()}
    initial = {**ReviewForm.initial_from(current), "conclusion": report.conclusion,
               "conclusion_note": report.conclusion_note}
    for number in range(1, len(current.cuecs) + 1):
        initial[f"cuec_{number}"] = chosen[number].treatment if number in chosen else CuecTreatment.CONTROL
        initial[f"cuec_{number}_reason"] = chosen[number].reason if number in chosen else ""
    form = ReviewForm(request.POST or None, initial=initial, cuec_count=len(current.cuecs))
    if request.method == "POST":
        if not access.can_write:
            messages.error(request, "This role is read-only.")
            return redirect("vendorreport-review", slug=slug, pk=pk)
        if form.is_valid():
            confirmed = form.facts(read)
            confirm_review(report, request.user, confirmed, form.cleaned_data["conclusion"],
                           form.cleaned_data["conclusion_note"], form.cuec_choices(len(confirmed.cuecs)))
            messages.success(request, "Review recorded. Each CUEC is now a control or a task of the program, or "
                                      "marked not applicable; any modified opinion or exception raised a risk with "
                                      "a follow-up task.")
            return redirect("vendor-detail", slug=slug, pk=report.vendor_id)
    pages, sources = read.fact_pages, read.fact_sources
    fields = [(form[name], pages.get(name), sources.get(name) == "ocr") for name in (
        "report", "type", "period_start", "period_end", "as_of", "service_auditor", "report_date", "opinion",
        "categories", "subservice_organizations", "cuecs", "exceptions")]
    unread = [n for n in read.image_only_pages if n not in read.ocr_pages]
    return render(request, "vendors/report_review.html", {**access.context(), "report": report, "form": form,
                                                          "fields": fields, "read": read, "unread_pages": unread})
