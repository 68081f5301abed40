"""Extra sections of the control page contributed by apps above programs (connectors show their checks).

This module imports no app: an app registers a template and a context function in its ``AppConfig.ready``,
and the control page renders each registered panel, so programs stays below the apps that extend it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socready.programs.models import Control

PanelContext = Callable[[Control], dict[str, Any]]


@dataclass(frozen=True)
class ControlPanel:
    """A template included on the control page, with the context it needs for one control."""

    template: str
    context: PanelContext


_panels: dict[str, ControlPanel] = {}


def register_control_panel(template: str, context: PanelContext) -> None:
    """Show ``template`` on every control page, rendered with ``context(control)``."""
    _panels[template] = ControlPanel(template, context)


def control_panels(control: Control) -> list[dict[str, Any]]:
    """The registered panels for one control: [{"template", "context"}] in registration order."""
    return [{"template": p.template, "context": p.context(control)} for p in _panels.values()]
