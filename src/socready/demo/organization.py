"""The demo organization: a payroll and payments fintech that needs SOC 1 and SOC 2.

``ensure_demo`` is idempotent: run it again and it refreshes the same organization and people.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from socready.accounts.models import Membership, Organization, Role, User
from socready.demo.program import populate_program

DEMO_SLUG = "demo"
DEMO_NAME = "Ledgerline Payroll & Payments (demo)"
DEMO_PEOPLE = (
    ("owner@demo.socready.test", "Olivia Owner", Role.OWNER),
    ("admin@demo.socready.test", "Adam Admin", Role.ADMIN),
    ("engineer@demo.socready.test", "Erin Engineer", Role.CONTRIBUTOR),
    ("auditor@demo.socready.test", "Arthur Auditor", Role.AUDITOR),
)


def demo_password() -> str:
    """The demo's shared password: random per data directory, so no install ships a known one."""
    path = Path(settings.DATA_DIR) / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


@transaction.atomic
def ensure_demo() -> dict[str, Any]:
    """Create or refresh the demo organization with one member per role; return the sign-in details."""
    password = demo_password()
    org, _ = Organization.objects.get_or_create(slug=DEMO_SLUG, defaults={"name": DEMO_NAME})
    users = []
    for email, name, role in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            first, _, last = name.partition(" ")
            user = User.objects.create_user(email=email, password=password, first_name=first, last_name=last)
        elif not user.check_password(password):
            user.set_password(password)
            user.save()
        Membership.objects.update_or_create(organization=org, user=user, defaults={"role": role})
        users.append({"email": email, "name": name, "role": str(role), "password": password})
    populate_program(org)
    return {"organization": org.name, "slug": org.slug, "users": users}
