"""The rows the spreadsheet exports share: one per control, one per evidence request (PBC item)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socready.core.readiness.snapshot import (
    REQUEST_STATUS_LABELS,
    ControlState,
    Engagement,
    ProgramSnapshot,
    RequestComment,
    RequestState,
)

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
    ("What to provide", 50),
    ("Controls", 12),
    ("Control titles", 36),
    ("Reports", 26),
    ("Status", 12),
    ("Due", 12),
    ("Assignee", 20),
    ("Evidence provided", 50),
    ("Latest comment", 40),
    ("Flagged because", 36),
)
# The status of a request the controls ask for that nobody has put on the PBC list yet (the app lists it once
# the list is built from the controls).
NOT_LISTED = "Not on the PBC list yet"


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
        # Bullets, not hyphens: a cell starting with "-" reads as a formula, and neutralizing it would show an
        # apostrophe in every attribute cell.
        "\n".join(f"• {a}" for a in control.type2_attributes),
        "\n".join(f"{e.id}: {e.name}" for e in control.evidence),
        state.status,
        "; ".join(e.label for e in reports_of(state, snapshot)),
        state.na_reason or "",
    ]


@dataclass(frozen=True)
class PbcRow:
    """One evidence request on the PBC list, listed once however many controls and reports rely on it."""

    request_id: str
    what: str
    controls: tuple[tuple[str, str], ...]  # (code, title)
    reports: tuple[str, ...]
    status: str
    due: dt.date | None = None
    assignee: str = ""
    evidence: tuple[str, ...] = ()
    latest_comment: str = ""
    flagged_because: str = ""

    def cells(self) -> list[str | dt.date | None]:
        """The row in PBC_COLUMNS order: text cells, and the due date as a date (None when unset)."""
        return [
            self.request_id,
            self.what,
            ", ".join(code for code, _ in self.controls),
            "\n".join(f"{code}: {title}" for code, title in self.controls),
            "; ".join(self.reports),
            self.status,
            self.due,
            self.assignee,
            "\n".join(self.evidence),
            self.latest_comment,
            self.flagged_because,
        ]


def _what(title: str, shows: str) -> str:
    return f"{title} (shows {shows})" if shows else title


def _comment(comment: RequestComment | None) -> str:
    if comment is None:
        return ""
    return f"{comment.on.isoformat()} {comment.author or 'unknown'}: {comment.text}"


def _tracked_row(request: RequestState, snapshot: ProgramSnapshot, titles: dict[str, str]) -> PbcRow:
    return PbcRow(
        request_id=request.request_id,
        what=_what(request.title or request.request_id, request.shows),
        controls=tuple((code, titles.get(code, "")) for code in request.controls),
        reports=tuple(e.label for e in snapshot.engagements if e.id in request.engagements),
        status=REQUEST_STATUS_LABELS[request.status],
        due=request.due,
        assignee=request.assignee or "",
        evidence=request.evidence,
        latest_comment=_comment(request.latest_comment),
        flagged_because=request.flag_reason or "",
    )


def _unlisted_rows(snapshot: ProgramSnapshot, listed: set[str]) -> list[PbcRow]:
    """The requests the in-scope controls ask for that the PBC list does not hold yet, merged by id."""
    found: dict[str, tuple[str, list[tuple[str, str]], list[str]]] = {}
    for state in snapshot.controls:
        engagements = reports_of(state, snapshot)
        if not state.applicable or not engagements:
            continue
        for request in state.control.evidence:
            # The same id the PBC list gives a request when it is built from the controls.
            request_id = request.id or f"{state.id}-evidence"
            if request_id in listed:
                continue
            what, controls, reports = found.setdefault(request_id, (_what(request.name, request.shows), [], []))
            controls.append((state.id, state.control.title))
            reports.extend(e.id for e in engagements if e.id not in reports)
    return [
        PbcRow(request_id=request_id, what=what, controls=tuple(controls),
               reports=tuple(e.label for e in snapshot.engagements if e.id in reports), status=NOT_LISTED)
        for request_id, (what, controls, reports) in found.items()
    ]


def pbc_rows(snapshot: ProgramSnapshot) -> list[PbcRow]:
    """The PBC list as the app shows it, then what the in-scope controls ask for that is not on it yet.

    Due date and assignee are the request's own: when none is set the row leaves them empty, as the app
    does, rather than guess one. Rows come in request id order, as on the app's list.
    """
    titles = {state.id: state.control.title for state in snapshot.controls}
    rows = [_tracked_row(request, snapshot, titles) for request in snapshot.requests]
    rows.extend(_unlisted_rows(snapshot, {request.request_id for request in snapshot.requests}))
    return sorted(rows, key=lambda row: row.request_id)
