"""A small, hand-made program snapshot shared by the readiness and export tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from socready.core.controls.library import default_library
from socready.core.readiness.snapshot import (
    ControlState,
    Engagement,
    EvidenceItem,
    ProgramSnapshot,
    RemediationTask,
    RequestComment,
    RequestState,
    SampleSummary,
)
from socready.core.window import Window, expected_periods

TODAY = dt.date(2026, 4, 15)
SOC2 = Engagement(
    id="soc2-2026",
    report="soc2",
    type="Type II",
    period_start=dt.date(2026, 1, 1),
    period_end=dt.date(2026, 6, 30),
    categories=("Security", "Availability"),
    auditor="Example CPA LLP",
)
SOC1 = Engagement(
    id="soc1-2026",
    report="soc1",
    type="Type I",
    as_of=dt.date(2026, 6, 30),
    objectives=("ITGC-ACCESS", "ITGC-CHANGE", "ITGC-BACKUP"),
)
# Controls picked to give every state: ready, evidence gaps, partial and uncovered targets.
PICKED = (
    "IAM-01",
    "IAM-02",
    "IAM-03",
    "IAM-05",
    "CHG-01",
    "CHG-03",
    "BCP-01",
    "BCP-03",
    "AVL-01",
    "GOV-01",
    "GOV-03",
    "HR-03",
    "RSK-02",
    "VUL-01",
    "LOG-01",
    "NET-01",
    "POL-01",
    "INC-01",
)
STATUS = {
    "IAM-05": "implemented",
    "GOV-01": "designed",
    "RSK-02": "in_progress",
    "INC-01": "not_started",
    "POL-01": "designed",
}
STALE = {"HR-03"}
HOLES = {"VUL-01"}
EXCEPTIONS = {"CHG-01"}


def _evidence(control_id: str, frequency: str) -> tuple[EvidenceItem, ...]:
    items = []
    window = Window(SOC2.period_start or TODAY, SOC2.period_end or TODAY)
    # One item per period of the window begun by today, dated on the period's last day (or today).
    begun = [p for p in expected_periods(frequency, window) if p.start <= TODAY]
    for number, period in enumerate(begun):
        if control_id in HOLES and number % 3 == 1:
            continue
        day = min(period.end, TODAY)
        if control_id in STALE:
            day = dt.date(2024, 11, 1)
        items.append(
            EvidenceItem(
                id=f"{control_id}-E{number + 1}", title=f"{control_id} record {number + 1}", effective=day
            )
        )
        if control_id in STALE:
            break
    return tuple(items)


def demo_snapshot(*, hostile: str | None = None) -> ProgramSnapshot:
    """The shared snapshot; ``hostile`` replaces titles, owners and task names with that text."""
    library = default_library()
    states = []
    for control_id in PICKED:
        control = library.control(control_id)
        if hostile:
            control = replace(control, title=hostile, description=hostile)
        status = STATUS.get(control_id, "operating")
        engagements = tuple(
            e.id
            for e in (SOC2, SOC1)
            if (control.criteria if e is SOC2 else set(control.objectives) & set(SOC1.objectives))
        )
        evidence = _evidence(control_id, control.frequency) if status in ("implemented", "operating") else ()
        samples = None
        if status == "operating" and control.frequency in ("per-event", "daily", "quarterly"):
            samples = SampleSummary(sample_size=25, exceptions=2 if control_id in EXCEPTIONS else 0)
        states.append(
            ControlState(
                control=control,
                status=status,
                owner=hostile or f"{control.owner_role}",
                engagements=engagements,
                evidence=evidence,
                samples=samples,
            )
        )
    tasks = (
        RemediationTask(
            title=hostile or "Write the risk assessment",
            control_id="RSK-02",
            owner="CISO",
            due=dt.date(2026, 5, 31),
        ),
        RemediationTask(
            title="Roll out MFA to contractors",
            control_id="IAM-05",
            owner="IT lead",
            due=dt.date(2026, 3, 31),
        ),
        RemediationTask(title="Draft the incident response plan", control_id="INC-01", owner="CTO", due=None),
        RemediationTask(
            title="Old task", control_id="GOV-03", owner="CEO", due=dt.date(2026, 1, 31), status="done"
        ),
    )
    return ProgramSnapshot(
        organization=hostile or "Acme Payroll Cloud",
        engagements=(SOC2, SOC1),
        controls=tuple(states),
        tasks=tasks,
        today=TODAY,
        requests=_requests(hostile),
    )


def _requests(hostile: str | None) -> tuple[RequestState, ...]:
    """Two requests already on the PBC list: one accepted, one flagged and answered since."""
    library = default_library()
    grants, approvals = library.control("IAM-01").evidence[0], library.control("CHG-01").evidence[1]
    both = (SOC2.id, SOC1.id)
    reviewer = "Example CPA reviewer"
    return (
        RequestState(
            grants.id, both, title=hostile or grants.name, shows=grants.shows, controls=("IAM-01",),
            status="accepted", due=dt.date(2026, 3, 27), assignee=hostile or "Ivy Lead",
            evidence=("IAM-01 record 1 (2026-03-31)",),
            comments=(RequestComment(reviewer, dt.date(2026, 4, 2), "Agrees to the system listing.", "accepted"),),
        ),
        RequestState(
            approvals.id, both, title=approvals.name, shows=approvals.shows, controls=("CHG-01",),
            status="flagged", due=dt.date(2026, 4, 10), assignee="Dev Lead",
            comments=(
                RequestComment(reviewer, dt.date(2026, 4, 8), hostile or "Two approvals are not dated.", "flagged"),
                RequestComment("Dev Lead", dt.date(2026, 4, 9), "Exported again with approval times."),
            ),
        ),
    )
