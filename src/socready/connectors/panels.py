"""The control page's connector section: each check that supports the control and its latest result."""

from __future__ import annotations

from typing import Any

from socready.connectors.health import latest_checks
from socready.connectors.models import Connection
from socready.connectors.registry import installed
from socready.programs.models import Control


def control_checks_panel(control: Control) -> dict[str, Any]:
    """Latest results of checks supporting this control, and the installed checks that could."""
    results = [c for c in latest_checks(control.organization) if control.code in c.controls]
    kinds = set(Connection.objects.filter(organization=control.organization).values_list("kind", flat=True))
    available = [(plugin.label, check) for kind, plugin in installed().items() for check in plugin.checks
                 if control.code in check.controls and kind not in kinds]
    return {"results": results, "available": available, "organization": control.organization}
