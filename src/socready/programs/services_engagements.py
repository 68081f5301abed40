"""Engagements after scoping: apply the plan chosen on the recommendation page, and delete one safely.

Scoping again must not quietly open a second audit of a report the organization already has: the plan for a
report either creates its first engagement, keeps or updates an existing one, or explicitly adds another.
Deleting an engagement removes only the engagement and its links; controls, evidence and PBC lines stay in
the program. An engagement with imported populations is refused, as they are audit records tied to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count

from socready.accounts.models import Organization
from socready.programs.models import Control, Engagement, ReportType
from socready.programs.services import create_engagements

# What to do for one recommended report. CREATE is for a report the organization has no engagement of yet;
# once it has one, the choice is to KEEP it, UPDATE it, or explicitly ADD another.
CREATE, SKIP, KEEP, UPDATE, ADD = "create", "skip", "keep", "update", "add"


@dataclass(frozen=True)
class PlanOutcome:
    """What applying a plan did: engagements created and engagements updated."""

    created: list[Engagement] = field(default_factory=list)
    updated: list[Engagement] = field(default_factory=list)

    def message(self) -> str:
        """One sentence for the person who submitted the plan."""
        parts = [f"created {len(self.created)} engagement(s)"] if self.created else []
        parts += [f"updated {', '.join(e.label for e in self.updated)}"] if self.updated else []
        return (("; ".join(parts)).capitalize() + ".") if parts else "No engagement was created or changed."


class EngagementReadOnly(PermissionError):
    """The engagement was rolled forward to the next period: its record is closed."""


def is_read_only(engagement: Engagement) -> bool:
    """Whether the next period was started from this engagement, which closes it to edits and deletion.

    The roll-forward row lives in socready.vendors, above programs; it is reached through its reverse relation
    (``rolled_forward``), so programs names none of that app's models.
    """
    return engagement.pk is not None and getattr(engagement, "rolled_forward", None) is not None


def _check_open(engagement: Engagement) -> None:
    if is_read_only(engagement):
        raise EngagementReadOnly(f"{engagement.label} was rolled forward to the next period and is read-only")


def _dates(plan: dict[str, Any]) -> dict[str, Any]:
    """The dates a plan sets: an as-of date for Type I, a period for Type II, the other cleared."""
    type1 = plan["report_type"] == ReportType.TYPE1
    return {"report_type": plan["report_type"], "as_of_date": plan.get("as_of_date") if type1 else None,
            "period_start": None if type1 else plan.get("period_start"),
            "period_end": None if type1 else plan.get("period_end")}


def update_engagement(engagement: Engagement, plan: dict[str, Any]) -> Engagement:
    """Set an existing engagement's type and dates (and audit firm, when one is given); the scope is unchanged.

    Raises EngagementReadOnly for an engagement that was rolled forward."""
    _check_open(engagement)
    for name, value in _dates(plan).items():
        setattr(engagement, name, value)
    if (plan.get("auditor_firm") or "").strip():
        engagement.auditor_firm = plan["auditor_firm"].strip()
    engagement.save()  # recorded in the audit trail with the values before and after
    return engagement


@transaction.atomic
def apply_plans(org: Organization, recommendation: dict[str, Any],
                plans: Sequence[tuple[dict[str, Any], Engagement | None]]) -> PlanOutcome:
    """Apply each validated plan with its target: create (the first, or explicitly another) or update.

    Plans whose action is to keep or skip change nothing. An update's target must belong to ``org``.
    """
    to_create = []
    updated = []
    for plan, target in plans:
        if plan["action"] in (CREATE, ADD):
            to_create.append({**plan, **_dates(plan)})
        elif plan["action"] == UPDATE:
            if target is None or target.organization_id != org.pk:
                raise ValueError("an update needs an engagement of this organization")
            updated.append(update_engagement(target, plan))
    return PlanOutcome(create_engagements(org, recommendation, to_create) if to_create else [], updated)


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting an engagement would touch, shown before the person confirms."""

    populations: int  # imported for it: audit records that block the deletion
    controls: int  # linked to it; they stay in the program
    controls_only_here: int  # of those, the ones that would serve no engagement afterwards
    requests_only_here: int  # PBC lines no other engagement relies on; they stay listed, with their comments

    @property
    def blocked(self) -> bool:
        """True when the engagement has imported populations and so cannot be deleted."""
        return self.populations > 0


def deletion_impact(engagement: Engagement) -> DeletionImpact:
    """Count the populations, controls and PBC lines tied to an engagement, in a few queries."""
    # Counted over every engagement, not only this one: hence the pk subqueries rather than the related managers.
    controls = Control.objects.filter(pk__in=engagement.controls.values("pk")).annotate(serves=Count("engagements"))
    # Reached through the relation: evidence builds on programs, so programs names none of its models.
    request_rows = engagement.evidence_requests.model.objects
    requests = (request_rows.filter(pk__in=engagement.evidence_requests.values("pk"))
                .annotate(serves=Count("engagements")))
    return DeletionImpact(
        populations=engagement.populations.count(),
        controls=controls.count(),
        controls_only_here=controls.filter(serves=1).count(),
        requests_only_here=requests.filter(serves=1).count(),
    )


@transaction.atomic
def delete_engagement(engagement: Engagement) -> None:
    """Delete an engagement and its links to controls and PBC lines; the deletion is audited.

    Raises ``django.db.models.RestrictedError`` when populations were imported for it (nothing changes), and
    EngagementReadOnly when it was rolled forward.
    """
    _check_open(engagement)
    with transaction.atomic():
        # A cascaded delete removes link rows without the many-to-many signals, so clear the links first:
        # the audit trail then names every control and PBC line the engagement was linked to. A refused
        # delete rolls the clearing back with it.
        engagement.controls.clear()
        engagement.evidence_requests.clear()
        engagement.delete()
