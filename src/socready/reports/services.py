"""An organization's readiness, read from the database and scored: what the CLI and the pages both start from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.version import VersionedCache, program_version
from socready.core.controls.library import default_library
from socready.core.errors import InputError
from socready.core.readiness.result import Readiness
from socready.core.readiness.scoring import assess
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.core.scoping.profile import Profile
from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import Recommendation, recommend
from socready.programs.models import Engagement, ScopingProfile
from socready.reports.focus import files_of, focus
from socready.snapshot import ProgramView, current_view


class ReportError(ValueError):
    """A request for readiness or an export that cannot be met; the message says why, for a person."""


class EngagementChoiceError(ReportError):
    """The engagement asked for is unknown to the organization or cannot be scored yet: a bad request."""


@dataclass(frozen=True)
class Scope:
    """What scoping says about the organization, for the report's scope reasons and the description."""

    profile: Profile | None
    recommendation: Recommendation | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProgramReadiness:
    """The program read from the database, narrowed to one engagement or not, and its readiness."""

    organization: Organization
    view: ProgramView
    snapshot: ProgramSnapshot
    readiness: Readiness
    engagement_id: str | None
    evidence_files: tuple[tuple[str, str, str], ...]
    scope: Scope
    version: str = ""  # the program version scored (see socready.audit.version), with the day: a cache key

    def row(self, engagement_id: str) -> Engagement:
        """The engagement row behind a snapshot engagement id."""
        return self.view.engagement_rows[engagement_id]

    def engagements(self) -> list[dict[str, Any]]:
        """The scored engagements as id, report, type and the label people see in the web app."""
        return [
            {"id": e.id, "report": e.report, "type": e.type_label, "label": self.row(e.id).label}
            for e in self.view.snapshot.engagements
        ]

    def to_dict(self) -> dict[str, Any]:
        """Readiness as JSON, plus the engagements scored, the one focused on and those skipped with why."""
        return {
            **self.readiness.to_dict(),
            "engagement": self.engagement_id,
            "engagements": self.engagements(),
            "skipped": list(self.view.skipped),
        }


def _reason_text(reason: dict[str, Any]) -> str:
    conclusion, because = str(reason.get("conclusion", "")).strip(), str(reason.get("because", "")).strip()
    return f"{conclusion}: {because}" if conclusion and because else conclusion or because


def scope_of(org: Organization, today: dt.date) -> Scope:
    """The profile and recommendation from the organization's scoping answers, when it has any.

    The recommendation is recomputed from the saved answers (the description needs the full object); the
    reasons shown are the saved ones, which are what the team reviewed. Answers that no longer validate
    (an older version's fields) leave the description to its placeholders rather than failing an export.
    """
    row = ScopingProfile.objects.filter(organization=org).first()
    if row is None:
        return Scope(None, None, ())
    saved = row.recommendation or {}
    reasons = tuple(t for t in (_reason_text(r) for r in saved.get("reasons", []) if isinstance(r, dict)) if t)
    profile: Profile | None = None
    recommendation: Recommendation | None = None
    if row.answers:
        try:
            profile = profile_from_dict(row.answers, source="scoping answers", today=today)
            recommendation = recommend(profile, today=today)
        except InputError:
            profile = recommendation = None
    if not reasons and recommendation is not None:
        reasons = tuple(f"{r.conclusion}: {r.because}" for r in recommendation.reasons)
    return Scope(profile, recommendation, reasons)


def engagement_problem(org: Organization, view: ProgramView, engagement_id: str) -> str | None:
    """Why ``engagement_id`` cannot be used (unknown, or not scorable yet), or None when it can."""
    if engagement_id in view.engagement_rows:
        return None
    row = Engagement.objects.filter(organization=org, pk=engagement_id).first() if engagement_id.isdigit() else None
    if row is not None:
        why = next((s for s in view.skipped if s.startswith(f"{row.label}:")), "its dates or scope are incomplete")
        return f"engagement {engagement_id} cannot be scored yet ({why})"
    known = "; ".join(f"{pk} ({r.label})" for pk, r in view.engagement_rows.items()) or "none can be scored yet"
    return f"{org.slug} has no engagement with id '{engagement_id}' (engagements: {known})"


_readiness: VersionedCache[ProgramReadiness] = VersionedCache(shared="readiness")


def program_readiness(org: Organization, engagement_id: str | None = None,
                      today: dt.date | None = None) -> ProgramReadiness:
    """Read, optionally narrow to one engagement, and score the organization's program.

    Scored once per change of the program (its audit version), per day and per engagement asked for; every
    page and export in between shares the result. Raises EngagementChoiceError for an engagement id that is
    unknown or cannot be scored, and ReportError for a program whose rows contradict each other (the message
    names the entry and field); errors are not kept.
    """
    today = today or timezone.localdate()
    version = program_version(org.pk)
    key = (org.pk, version, today, engagement_id)
    return _readiness.get_or_compute(key, lambda: _score(org, engagement_id, today, f"{version}:{today}"))


def cached_readiness(org: Organization, engagement_id: str | None = None) -> ProgramReadiness | None:
    """Readiness of the program as it is now if it was scored already (here or by another process), else None.

    Never scores.
    """
    today = timezone.localdate()
    return _readiness.peek((org.pk, program_version(org.pk), today, engagement_id))


def _score(org: Organization, engagement_id: str | None, today: dt.date, version: str) -> ProgramReadiness:
    view = current_view(org, today)
    snapshot = view.snapshot
    if engagement_id is not None:
        problem = engagement_problem(org, view, engagement_id)
        if problem:
            raise EngagementChoiceError(problem)
        snapshot = focus(snapshot, engagement_id)
    try:
        readiness = assess(snapshot, library=default_library())
    except InputError as exc:
        raise ReportError(f"the program of {org.slug} cannot be scored: {exc}") from None
    return ProgramReadiness(
        organization=org, view=view, snapshot=snapshot, readiness=readiness, engagement_id=engagement_id,
        evidence_files=files_of(snapshot, view.evidence_files), scope=scope_of(org, snapshot.today),
        version=version,
    )
