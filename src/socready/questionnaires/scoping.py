"""Hand the prospects' asks found in questionnaires to the scoping profile, where the recommendation reads them.

The profile keeps asks under ``prospect_asks``. Entries added from questionnaires carry a source starting
with ``SOURCE_PREFIX`` and are replaced as a whole each time, so asks typed in by hand are never touched
and saving twice does not count a file twice.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.questionnaires.asks import TYPE1, TYPE2, ProspectAsks
from socready.core.scoping.profile import REPORTS
from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import recommend
from socready.programs.models import ScopingProfile

SOURCE_PREFIX = "questionnaire "


def profile_asks(summary: ProspectAsks) -> list[dict[str, Any]]:
    """One profile ask per file and report the scoping profile knows (SOC 1, SOC 2, ISO 27001 ...)."""
    seen: set[tuple[str, str, str | None]] = set()
    entries: list[dict[str, Any]] = []
    for ask in summary.asks:
        if ask.report not in REPORTS:
            continue  # a bridge letter or a penetration test is not a report the scoping engine weighs
        kind = ask.type if ask.type in (TYPE1, TYPE2) else None
        key = (ask.source, ask.report, kind)
        if key in seen:
            continue
        seen.add(key)
        entry: dict[str, Any] = {"source": f"{SOURCE_PREFIX}{ask.source}", "report": ask.report}
        if kind:
            entry["type"] = kind
        if ask.categories:
            entry["categories"] = list(ask.categories)
        entries.append(entry)
    return entries


@transaction.atomic
def save_to_scoping(org: Organization, summary: ProspectAsks) -> tuple[int, bool]:
    """Store the asks in the organization's scoping profile; return (asks saved, recommendation updated).

    Raises InputError (and saves nothing) if the profile would no longer read.
    """
    row, _ = ScopingProfile.objects.select_for_update().get_or_create(organization=org)
    kept = [a for a in row.answers.get("prospect_asks", [])
            if not (isinstance(a, dict) and str(a.get("source", "")).startswith(SOURCE_PREFIX))]
    entries = profile_asks(summary)
    answers = {**row.answers, "prospect_asks": kept + entries}
    profile = profile_from_dict(answers, source="scoping profile")
    row.answers = answers
    updated = bool(row.recommendation)
    if updated:
        # Only a recommendation already made is refreshed; a half-finished wizard stays half-finished.
        row.recommendation = recommend(profile).to_dict()
    row.updated_at = timezone.now()
    row.save()
    return len(entries), updated
