"""Reviewing a questionnaire by section: the answer counts, and accepting the confident drafts in bulk."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from socready.accounts.access import resolve_tenant, signed_in_user
from socready.questionnaires.models import DraftAnswer, Questionnaire
from socready.questionnaires.services import remember_reviewed

# A draft this sure of itself, with no reason recorded to look at it, may be accepted in bulk.
BULK_ACCEPT_CONFIDENCE = 0.8


def answer_counts(questionnaire: Questionnaire) -> dict[str, Any]:
    """The figures above the answers: per answer, to review and reviewed (one query each)."""
    answers = questionnaire.answers.all()
    counts = Counter(answers.values_list("answer", flat=True))
    reviews = answers.aggregate(to_review=Count("pk", filter=~Q(review_reason="") & Q(reviewed=False)),
                                reviewed=Count("pk", filter=Q(reviewed=True)))
    return {"counts": {"Yes": counts["Yes"], "No": counts["No"], "Partial": counts["Partial"],
                       "NA": counts["N/A"], "none": counts[""]}, **reviews}


def sections(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Each section in question order with how many answers it has, how many are reviewed and acceptable."""
    found: dict[str, dict[str, Any]] = {}
    rows = questionnaire.answers.order_by("position").values_list("section", "reviewed", "review_reason",
                                                                  "confidence", "answer")
    for name, reviewed, reason, confidence, answer in rows:
        entry = found.setdefault(name, {"name": name, "total": 0, "reviewed": 0, "acceptable": 0})
        entry["total"] += 1
        entry["reviewed"] += int(reviewed)
        entry["acceptable"] += int(not reviewed and not reason and bool(answer)
                                   and confidence >= BULK_ACCEPT_CONFIDENCE)
    return list(found.values())


def _acceptable_q() -> Q:
    return (Q(reviewed=False, review_reason="", confidence__gte=BULK_ACCEPT_CONFIDENCE) & ~Q(answer=""))


def acceptable(answers: QuerySet[DraftAnswer]) -> QuerySet[DraftAnswer]:
    """Drafts that may be accepted without reading them one by one."""
    return answers.filter(_acceptable_q())


@login_required
def accept_confident(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Mark reviewed every confident draft needing no review, in one section or the whole file (POST)."""
    access = resolve_tenant(request, slug)
    questionnaire = get_object_or_404(Questionnaire, pk=pk, organization=access.organization)
    section = request.POST.get("section")
    url = reverse("questionnaire-detail", args=[slug, pk])
    if request.method != "POST":
        return redirect(url)
    rows = acceptable(questionnaire.answers.all())
    if section is not None:
        rows = rows.filter(section=section)
    accepted = 0
    with transaction.atomic():
        for row in rows.select_related("questionnaire"):
            row.reviewed, row.reviewed_by, row.updated_at = True, signed_in_user(request), timezone.now()
            row.save()
            remember_reviewed(row, request.user)
            accepted += 1
    where = f" in {section}" if section else ""
    messages.success(request, f"Accepted {accepted} confident draft(s){where}; the others still wait for a person.")
    return redirect(f"{url}?{urlencode({'section': section})}" if section is not None else url)
