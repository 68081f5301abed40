"""Tasks made in one click from the readiness page's gaps, without scoring the program inside the click.

Scoring is the costly part of readiness, and every write makes a new program version, so a click that
scored "to be sure" would score once per task created. Instead each gap's button carries the suggestion
as the page showed it, signed with the site's secret and bound to the organization and engagement: the
task is exactly the suggestion and nobody can make the form say otherwise. When the program as it is now
has been scored already (by any process), the gap must still be open there; the next page view scores the
change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from socready.accounts.models import Organization
from socready.core.readiness.result import Gap
from socready.programs.models import Control, RemediationTask, TaskStatus
from socready.reports.services import cached_readiness

_SALT = "socready.reports.gap-task"
# A page left open for a week still works; a button copied from an older page does not.
MAX_AGE_S = 7 * 24 * 3600


def gap_key(gap: Gap) -> str:
    """The id of a gap in a form: gaps are merged per report kind, so report and target name one."""
    return f"{gap.report}:{gap.target}"


@dataclass(frozen=True)
class Suggestion:
    """The task a gap suggested on the page, read back from its button."""

    key: str
    title: str
    control_id: str | None
    target: str
    reason: str


def sign_gap(organization_id: int, engagement_id: str | None, gap: Gap) -> str:
    """The value of a gap's "Create task" button: the suggestion, signed for this organization and engagement."""
    return signing.dumps({"o": organization_id, "e": engagement_id, "k": gap_key(gap), "t": gap.task.title,
                          "c": gap.task.control_id, "g": gap.target, "r": gap.reason}, salt=_SALT, compress=True)


def read_gap(value: str, organization_id: int, engagement_id: str | None) -> Suggestion | None:
    """The suggestion a button carried, or None when it was altered, is too old, or belongs elsewhere."""
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_S)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != organization_id or data.get("e") != engagement_id:
        return None
    return Suggestion(key=str(data["k"]), title=str(data["t"]), control_id=data["c"], target=str(data["g"]),
                      reason=str(data["r"]))


class GapClosed(ValueError):
    """The gap is no longer open in the program as it is now."""


class AlreadyTracked(ValueError):
    """An open task already has the suggested title."""


def create_gap_task(org: Organization, engagement_id: str | None, suggestion: Suggestion) -> RemediationTask:
    """Create the suggested task; raises GapClosed or AlreadyTracked instead when it is not wanted.

    Only readiness already scored for the current program version is consulted; nothing is
    scored here (see the module's docstring).
    """
    current = cached_readiness(org, engagement_id)
    if current is not None and all(gap_key(g) != suggestion.key for g in current.readiness.gaps):
        raise GapClosed(suggestion.key)
    if RemediationTask.objects.filter(organization=org, title=suggestion.title).exclude(
            status=TaskStatus.DONE).exists():
        raise AlreadyTracked(suggestion.title)
    control = (Control.objects.filter(organization=org, code=suggestion.control_id).select_related("owner").first()
               if suggestion.control_id else None)
    return RemediationTask.objects.create(
        organization=org, title=suggestion.title[:300], control=control, owner=control.owner if control else None,
        notes=f"Suggested by readiness for {suggestion.target}: {suggestion.reason}",
    )
