"""The PBC list: evidence requests per engagement, their status, and the auditor's comments and verdicts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from socready.accounts.access import resolve_tenant
from socready.audit.version import program_version
from socready.evidence.forms import RequestEditForm, ReviewForm
from socready.evidence.models import EvidenceRequest, RequestStatus
from socready.evidence.services import ReviewRefused, allowed_statuses, generate_requests, review_request
from socready.programs.models import Control, Engagement

REQUESTS_PER_PAGE = 25


@login_required
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every request once, with the engagements relying on it; filter by engagement and status.

    The list is drawn once per program version, day, filter and page (the template's cache), so its queries
    are lazy: a page already drawn costs no more than the version lookup.
    """
    access = resolve_tenant(request, slug)
    org = access.organization
    today = timezone.localdate()
    engagement = request.GET.get("engagement", "")
    status = request.GET.get("status", "")

    def listing() -> Page[Any]:
        # Only the columns the list shows: a control row carries its mappings and texts, costly to load by the page.
        requests = (EvidenceRequest.objects.filter(organization=org).select_related("assignee")
                    .prefetch_related(Prefetch("engagements", Engagement.objects.only("id", "report", "report_type")),
                                      Prefetch("controls", Control.objects.only("id", "code")))
                    .annotate(items=Count("evidence_items", filter=Q(evidence_items__deleted_at__isnull=True)),
                              late=ExpressionWrapper(Q(due_date__lt=today) & ~Q(status=RequestStatus.ACCEPTED),
                                                     output_field=BooleanField())))
        if engagement.isdigit():
            requests = requests.filter(engagements__pk=int(engagement))
        if status in RequestStatus.values:
            requests = requests.filter(status=status)
        return Paginator(requests.order_by("code"), REQUESTS_PER_PAGE).get_page(request.GET.get("page"))

    def counts() -> list[tuple[str, int]]:
        found = dict(EvidenceRequest.objects.filter(organization=org).values_list("status")
                     .annotate(n=Count("id")).values_list("status", "n"))
        return [(label, found.get(value, 0)) for value, label in RequestStatus.choices]

    return render(request, "evidence/request_list.html", {
        **access.context(), "version": program_version(org.pk), "today": today,
        "query": request.GET.urlencode(), "page": SimpleLazyObject(listing),
        "overdue": SimpleLazyObject(lambda: EvidenceRequest.objects.filter(organization=org, due_date__lt=today)
                                    .exclude(status=RequestStatus.ACCEPTED).count()),
        "engagements": Engagement.objects.filter(organization=org),
        "engagement": engagement, "status": status, "statuses": RequestStatus.choices,
        "counts": SimpleLazyObject(counts),
    })


@login_required
def request_generate(request: HttpRequest, slug: str) -> HttpResponse:
    """Build or refresh the PBC list from the controls' evidence requests (POST)."""
    access = resolve_tenant(request, slug, need="write")
    if request.method == "POST":
        created, updated = generate_requests(access.organization)
        messages.success(request, f"PBC list refreshed: {created} new request(s), {updated} relinked.")
    return redirect("request-list", slug=slug)


@login_required
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One request: what it asks, the evidence provided, comments; the team edits, the auditor judges."""
    access = resolve_tenant(request, slug, need="review")
    org = access.organization
    item = get_object_or_404(EvidenceRequest, pk=pk, organization=org)
    role = access.membership.role
    allowed = allowed_statuses(role)
    review = ReviewForm(request.POST if request.POST.get("form") == "review" else None, allowed=allowed)
    edit = RequestEditForm(request.POST if request.POST.get("form") == "edit" else None, instance=item,
                           organization=org)
    if request.method == "POST":
        if request.POST.get("form") == "edit":
            resolve_tenant(request, slug, need="write")  # only the team plans the request
            if edit.is_valid():
                edit.save()
                messages.success(request, "Request saved.")
                return redirect("request-detail", slug=slug, pk=pk)
        elif review.is_valid():
            try:
                review_request(item, request.user, role, status=review.cleaned_data["status"],
                               text=review.cleaned_data["text"])
            except ReviewRefused as exc:
                return HttpResponse(str(exc), status=403)
            except ValueError as exc:
                review.add_error(None, str(exc))
            else:
                messages.success(request, "Recorded.")
                return redirect("request-detail", slug=slug, pk=pk)
    evidence = item.evidence_items.filter(deleted_at__isnull=True).select_related("current")
    return render(request, "evidence/request_detail.html", {
        **access.context(), "item": item, "review": review, "edit": edit, "evidence": evidence,
        "comments": item.comments.select_related("author"), "can_review": bool(allowed),
        "controls": item.controls.order_by("code"), "engagements_of": item.engagements.all(),
    })
