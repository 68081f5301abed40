"""The rows the spreadsheet exports share: one per control, one per evidence request (PBC item)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socready.core.readiness_model import ControlState, Engagement, ProgramSnapshot

MATRIX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Control", 10),
    ("Title", 36),
    ("Description", 60),
    ("Criteria", 18),
    ("Objectives", 18),
    ("Frequency", 12),
    ("Owner", 20),
    ("Kind", 18),
    ("Nature", 12),
    ("Type I test", 50),
    ("Type II attributes", 50),
    ("Evidence requests", 50),
    ("Status", 13),
    ("Reports", 26),
    ("Not applicable because", 30),
)
PBC_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Request", 16),
    ("Control", 10),
    ("What to provide", 60),
    ("Reports", 30),
    ("Status", 12),
    ("Due", 12),
    ("Assignee", 22),
)


def reports_of(state: ControlState, snapshot: ProgramSnapshot) -> tuple[Engagement, ...]:
    """The engagements a control serves, in the snapshot's order."""
    return tuple(e for e in snapshot.engagements if e.id in state.engagements)


def matrix_row(state: ControlState, snapshot: ProgramSnapshot) -> list[str]:
    """One control as a row of the control matrix."""
    control = state.control
    return [
        control.id,
        control.title,
        control.description,
        ", ".join(control.criteria),
        ", ".join(control.objectives),
        control.frequency,
        state.owner or control.owner_role,
        control.kind,
        control.nature,
        control.type1_test,
        "\n".join(f"- {a}" for a in control.type2_attributes),
        "\n".join(f"{e.id}: {e.name}" for e in control.evidence),
        state.status,
        "; ".join(e.label for e in reports_of(state, snapshot)),
        state.na_reason or "",
    ]


@dataclass(frozen=True)
class PbcRow:
    """One evidence request on the PBC list, listed once however many reports rely on it."""

    request_id: str
    control_id: str
    what: str
    reports: tuple[str, ...]
    status: str
    due: dt.date | None
    assignee: str

    def cells(self) -> list[str]:
        """The row as text cells, in PBC_COLUMNS order."""
        return [
            self.request_id,
            self.control_id,
            self.what,
            "; ".join(self.reports),
            self.status,
            self.due.isoformat() if self.due else "",
            self.assignee,
        ]


def pbc_rows(snapshot: ProgramSnapshot) -> list[PbcRow]:
    """Every evidence request of the applicable controls that serve an engagement."""
    tracked = {(r.request_id, r.engagement_id): r for r in snapshot.requests}
    rows = []
    for state in snapshot.controls:
        engagements = reports_of(state, snapshot)
        if not state.applicable or not engagements:
            continue
        received = {e.request_id for e in state.evidence if e.request_id}
        for request in state.control.evidence:
            states = [tracked[(request.id, e.id)] for e in engagements if (request.id, e.id) in tracked]
            explicit = states[0] if states else None
            status = explicit.status if explicit else ("provided" if request.id in received else "requested")
            dues = [s.due for s in states if s.due] or [e.report_date for e in engagements if e.report_date]
            rows.append(
                PbcRow(
                    request_id=request.id,
                    control_id=state.id,
                    what=f"{request.name} (shows {request.shows})",
                    reports=tuple(e.label for e in engagements),
                    status=status,
                    due=min(dues) if dues else None,
                    assignee=(explicit.assignee if explicit and explicit.assignee else None)
                    or state.owner
                    or state.control.owner_role,
                )
            )
    return rows
