"""Narrow a program snapshot to one engagement, for a readiness page or an export about that report only.

Pure functions over core dataclasses (no database), so the CLI, the web pages and the tests share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from socready.core.errors import InputError
from socready.core.readiness.snapshot import ProgramSnapshot


def focus(snapshot: ProgramSnapshot, engagement_id: str) -> ProgramSnapshot:
    """The snapshot as if ``engagement_id`` were the only engagement: its controls, their tasks, its requests.

    Controls that do not serve the engagement are dropped (with the tasks attached to them) so the scores,
    the matrix and the PBC list speak only of that report. Tasks tied to no control stay: they may still
    hold the report back. An unknown id raises InputError naming the ids that exist.
    """
    chosen = [e for e in snapshot.engagements if e.id == engagement_id]
    if not chosen:
        known = ", ".join(e.id for e in snapshot.engagements) or "none"
        raise InputError(f"no engagement with id '{engagement_id}' can be scored (scored ids: {known})",
                         field="engagement")
    controls = tuple(
        replace(state, engagements=(engagement_id,))
        for state in snapshot.controls
        if engagement_id in state.engagements
    )
    kept = {state.id for state in controls}
    return replace(
        snapshot,
        engagements=tuple(chosen),
        controls=controls,
        tasks=tuple(t for t in snapshot.tasks if t.control_id is None or t.control_id in kept),
        # A request shared with another report keeps only this report and the controls still in view.
        requests=tuple(
            replace(r, engagements=(engagement_id,), controls=tuple(c for c in r.controls if c in kept))
            for r in snapshot.requests
            if engagement_id in r.engagements
        ),
    )


def files_of(snapshot: ProgramSnapshot, files: Sequence[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
    """The (control, file name, sha256) evidence files whose control is still in the snapshot."""
    kept = {state.id for state in snapshot.controls}
    return tuple(entry for entry in files if entry[0] in kept)
