"""From checks to the library: the controls a check supports and, through them, criteria and objectives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socready.core.connectors.checks import CheckDefinition
from socready.core.controls.library import ControlLibrary


@dataclass(frozen=True)
class CheckTargets:
    """What a check helps prove: library control ids, SOC 2 criteria and SOC 1 objectives."""

    controls: tuple[str, ...]
    criteria: tuple[str, ...]
    objectives: tuple[str, ...]


def check_targets(check: CheckDefinition, library: ControlLibrary) -> CheckTargets:
    """The criteria and objectives a check reaches through its controls (unknown controls are skipped)."""
    known = {c.id: c for c in library}
    criteria: dict[str, None] = {}
    objectives: dict[str, None] = {}
    for control_id in check.controls:
        control = known.get(control_id)
        if control is None:
            continue
        criteria.update(dict.fromkeys(control.criteria))
        objectives.update(dict.fromkeys(control.objectives))
    return CheckTargets(check.controls, tuple(criteria), tuple(objectives))


def unknown_controls(checks: Iterable[CheckDefinition], library: ControlLibrary) -> tuple[str, ...]:
    """Control ids named by checks that the library does not have (a connector package's mistake)."""
    known = {c.id for c in library}
    return tuple(sorted({c for check in checks for c in check.controls if c not in known}))


def controls_of(checks: Iterable[CheckDefinition]) -> tuple[str, ...]:
    """Every control id the checks support, each once, in first-seen order."""
    return tuple(dict.fromkeys(c for check in checks for c in check.controls))
