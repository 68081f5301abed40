"""The demo organization's program: filled in as the workspace screens arrive."""

from __future__ import annotations

from socready.accounts.models import Organization


def populate_program(org: Organization) -> None:
    """Add engagements, adopted controls and tasks to the demo organization (idempotent)."""
    return None
