"""What the dashboard suggests: the getting-started checklist and the next things to do, read from the data.

Nothing here is stored: each step ticks itself when the rows show it done, so the checklist never disagrees
with the program.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from socready.accounts.models import Invitation, Membership, Organization, Role, User
from socready.evidence.models import EvidenceItem, EvidenceRequest, RequestStatus, SampleSet, SampleTest
from socready.programs.models import (
    Control,
    Engagement,
    RemediationTask,
    ReportType,
    ScopingProfile,
    TaskStatus,
)
from socready.reports.services import ProgramReadiness

NEXT_LIMIT = 5


@dataclass(frozen=True)
class Step:
    """One step of the getting-started checklist."""

    key: str
    title: str
    hint: str
    done: bool
    url: str
    action: str


@dataclass(frozen=True)
class NextThing:
    """One item of "your next things": what, why now, where to do it."""

    kind: str  # task | request | evidence | sample
    title: str
    why: str
    url: str
    due: dt.date | None = None
    mine: bool = False


def _facts(org: Organization) -> dict[str, bool]:
    """Which first steps the rows show done, read in one query."""
    applicable = Control.objects.filter(organization=OuterRef("pk"), not_applicable=False)
    engagements = Engagement.objects.filter(organization=OuterRef("pk"))
    # An engagement without its dates: a Type I lacking its as-of date, a Type II lacking either end.
    undated = engagements.filter(Q(report_type=ReportType.TYPE1, as_of_date__isnull=True)
                                 | Q(~Q(report_type=ReportType.TYPE1),
                                     Q(period_start__isnull=True) | Q(period_end__isnull=True)))
    # Prefixed names: the organization has relations called controls, evidence ... of its own.
    row = dict(Organization.objects.filter(pk=org.pk).annotate(
        f_scoped=Exists(engagements) | Exists(ScopingProfile.objects.filter(organization=OuterRef("pk"))
                                            .exclude(recommendation={})),
        f_controls=Exists(applicable),
        f_ownerless=Exists(applicable.filter(owner__isnull=True)),
        f_evidence=Exists(EvidenceItem.objects.filter(organization=OuterRef("pk"), deleted_at__isnull=True)),
        f_engaged=Exists(engagements),
        f_undated=Exists(undated),
        f_auditor=Exists(Membership.objects.filter(organization=OuterRef("pk"), role=Role.AUDITOR))
        | Exists(Invitation.objects.filter(organization=OuterRef("pk"), role=Role.AUDITOR, accepted_at__isnull=True,
                                           expires_at__gt=timezone.now())),
    ).values("f_scoped", "f_controls", "f_ownerless", "f_evidence", "f_engaged", "f_undated", "f_auditor").get())
    return {key.removeprefix("f_"): bool(value) for key, value in row.items()}


def checklist(org: Organization) -> list[Step]:
    """The six first steps of a program, each ticked from the organization's rows."""
    slug = org.slug
    facts = _facts(org)
    return [
        Step("scope", "Scope the reports", "Answer the scoping questions: which reports, which categories, "
             "which type.", facts["scoped"], reverse("scoping-wizard", args=[slug]), "Scope"),
        Step("controls", "Adopt controls", "Take controls from the library; one control serves SOC 1 and SOC 2.",
             facts["controls"], reverse("control-adopt", args=[slug]), "Adopt controls"),
        Step("owners", "Give every control an owner", "The owner collects its evidence and answers the auditor.",
             facts["controls"] and not facts["ownerless"], reverse("control-list", args=[slug]) + "?owner=none",
             "Assign owners"),
        Step("evidence", "Collect evidence", "Upload files, links or notes against the controls they prove.",
             facts["evidence"], reverse("evidence-new", args=[slug]), "Add evidence"),
        Step("window", "Set the report date or window", "A Type I needs its as-of date, a Type II its "
             "observation window.", facts["engaged"] and not facts["undated"],
             reverse("engagement-list", args=[slug]), "Set dates"),
        Step("auditor", "Invite the auditor", "The auditor reads everything and reviews the PBC list; "
             "they change nothing.", facts["auditor"], reverse("member-list", args=[slug]), "Invite"),
    ]


def _failing_samples(org: Organization) -> list[NextThing]:
    """Samples with at least one failed test: an exception to explain or a sample to extend."""
    failing: dict[int, int] = {}
    for sample_id, results in SampleTest.objects.filter(sample__population__organization=org).values_list(
            "sample_id", "results"):
        if not all(bool(v) for v in (results or {}).values()):
            failing[sample_id] = failing.get(sample_id, 0) + 1
    samples = SampleSet.objects.filter(pk__in=failing).select_related("population__control").only(
        "id", "population__source_name", "population__control__code")
    return [NextThing("sample", f"Exceptions in {s.population.control.code}: {s.population.source_name}",
                      f"{failing[s.pk]} sampled item{'s' if failing[s.pk] != 1 else ''} failed a test",
                      reverse("sample-detail", args=[org.slug, s.pk])) for s in samples]


def _stale_evidence(org: Organization, program: ProgramReadiness | None) -> list[NextThing]:
    """Controls in place whose evidence is missing or too old for their frequency (from readiness)."""
    if program is None:
        return []
    stale = [c for c in program.readiness.controls if c.in_place and not c.evidence_fresh]
    pks = dict(Control.objects.filter(organization=org, code__in=[c.control_id for c in stale])
               .values_list("code", "pk"))
    return [NextThing("evidence", f"{c.control_id} {c.title}",
                      f"evidence last dated {c.latest_evidence:%Y-%m-%d}, too old for its frequency"
                      if c.latest_evidence else "no evidence yet",
                      reverse("evidence-new", args=[org.slug]) + f"?control={pks[c.control_id]}")
            for c in stale if c.control_id in pks]


def next_things(org: Organization, user: User, program: ProgramReadiness | None,
                limit: int = NEXT_LIMIT) -> list[NextThing]:
    """The few things most worth doing now: overdue first, then the person's own, then the soonest due.

    Open remediation tasks, PBC requests past their due date, stale evidence and failing samples.
    """
    today = timezone.localdate()
    slug = org.slug
    things: list[NextThing] = []
    for task in (RemediationTask.objects.filter(organization=org).exclude(status=TaskStatus.DONE)
                 .only("id", "title", "due_date", "owner_id").order_by("due_date", "id")[:limit * 2]):
        late = task.due_date is not None and task.due_date < today
        things.append(NextThing("task", task.title, "overdue task" if late else "open task",
                                reverse("task-edit", args=[slug, task.pk]), task.due_date,
                                task.owner_id == user.pk))
    for request in (EvidenceRequest.objects.filter(organization=org, due_date__lt=today)
                    .exclude(status=RequestStatus.ACCEPTED)
                    .only("id", "code", "title", "due_date", "assignee_id").order_by("due_date", "code")[:limit]):
        things.append(NextThing("request", f"{request.code} {request.title}", "PBC request past its due date",
                                reverse("request-detail", args=[slug, request.pk]), request.due_date,
                                request.assignee_id == user.pk))
    things += _failing_samples(org)[:limit]
    things += _stale_evidence(org, program)[:limit]

    def urgency(thing: NextThing) -> tuple[int, int, dt.date]:
        overdue = thing.due is not None and thing.due < today
        return (0 if overdue else 1, 0 if thing.mine else 1, thing.due or dt.date.max)

    return sorted(things, key=urgency)[:limit]
