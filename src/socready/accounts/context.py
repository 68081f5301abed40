"""Template context: the organizations of the signed-in user, for the organization switcher."""

from __future__ import annotations

from django.http import HttpRequest

from socready.accounts.access import organizations_of


def organizations(request: HttpRequest) -> dict[str, object]:
    """Add ``my_organizations`` to every template."""
    return {"my_organizations": organizations_of(request.user)}
