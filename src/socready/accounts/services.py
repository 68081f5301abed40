"""Account operations shared by the CLI, the demo and the screens."""

from __future__ import annotations

from django.db import transaction

from socready.accounts.models import Membership, Organization, Role, User


def create_user(email: str, password: str, *, staff: bool = False, name: str = "") -> User:
    """Create a user; refuse an email that is already registered."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValueError(f"a user with email {email} already exists")
    first, _, last = name.partition(" ")
    return User.objects.create_user(email=email, password=password, is_staff=staff,
                                    first_name=first, last_name=last)


def add_member(user: User, slug: str, role: str, *, name: str | None = None) -> Membership:
    """Make ``user`` a member of the organization ``slug`` with ``role``, creating the organization if new."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r} (expected one of: {', '.join(Role.values)})")
    with transaction.atomic():
        org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name or slug})
        membership, created = Membership.objects.get_or_create(organization=org, user=user,
                                                               defaults={"role": role})
        if not created and membership.role != role:
            membership.role = role
            membership.save()
    return membership
