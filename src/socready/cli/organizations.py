"""The ``--org SLUG`` option the database commands share: its help, and the organization it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socready.cli import django_setup
from socready.cli.output import fail

if TYPE_CHECKING:
    from socready.accounts.models import Organization

ORG_HELP = "Slug of the organization (as in its web address /o/SLUG/)."


def find_organization(slug: str, *, list_known: bool = False) -> Organization:
    """Start Django and return the organization ``slug`` names; an unknown slug is bad input (exit 2).

    With ``list_known`` the refusal also names up to 20 organizations that exist.
    """
    django_setup.setup()
    django_setup.migrate()  # a fresh data directory has no tables yet; the answer is then "no such org"
    from socready.accounts.models import Organization

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        known = (", ".join(Organization.objects.order_by("slug").values_list("slug", flat=True)[:20])
                 if list_known else "")
        raise fail(f"--org: no organization with slug '{slug}'" + (f" (known: {known})" if known else ""))
    return org
