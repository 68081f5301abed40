"""Account operations shared by the CLI, the demo and the screens."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from socready.accounts import roles
from socready.accounts.models import Invitation, Membership, Organization, Role, User
from socready.accounts.roles import RoleRefused


def create_user(email: str, password: str, *, staff: bool = False, name: str = "") -> User:
    """Create a user; refuse an email that is already registered."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValueError(f"a user with email {email} already exists")
    first, _, last = name.partition(" ")
    return User.objects.create_user(email=email, password=password, is_staff=staff,
                                    first_name=first, last_name=last)


def add_member(user: User, slug: str, role: str, *, name: str | None = None) -> Membership:
    """Make ``user`` a member of the organization ``slug`` with ``role``, creating the organization if new.

    This is the operator's way in (the CLI and the demo), so no member's rank limits it.
    """
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


def _current_role(actor: Membership) -> str:
    """The actor's role as stored now, locked until the change is made (it may have changed meanwhile)."""
    role = Membership.objects.select_for_update().filter(pk=actor.pk).values_list("role", flat=True).first()
    if role is None:
        raise RoleRefused("you are no longer a member of this organization")
    return role


def _owner_count(organization_id: int) -> int:
    # Locking the owner rows makes two owners who remove or demote each other at the same moment take
    # turns, so the second sees the first's change and the organization never ends up without an owner.
    # (SQLite ignores the lock, but its IMMEDIATE transactions already serialize writers.)
    owners = Membership.objects.select_for_update().filter(organization_id=organization_id, role=Role.OWNER)
    return len(owners.values_list("pk", flat=True))


def _locked_member(actor: Membership, pk: int) -> Membership:
    target = (Membership.objects.select_for_update().select_related("user")
              .filter(pk=pk, organization_id=actor.organization_id).first())
    if target is None:
        raise RoleRefused("that person is no longer a member of this organization")
    return target


def invite(actor: Membership, email: str, role: str) -> Invitation:
    """Create an invitation to the actor's organization; refuse a role above the actor's own."""
    with transaction.atomic():
        roles.check_grant(_current_role(actor), role)
        return Invitation.objects.create(organization_id=actor.organization_id, email=email.strip().lower(),
                                         role=role, invited_by_id=actor.user_id)


def change_role(actor: Membership, pk: int, new_role: str) -> Membership:
    """Give member ``pk`` of the actor's organization a new role, within what the actor's role allows."""
    with transaction.atomic():
        acting = _current_role(actor)
        target = _locked_member(actor, pk)
        roles.check_change(acting, target.role, new_role, _owner_count(actor.organization_id))
        if target.role != new_role:
            target.role = new_role
            target.save(update_fields=["role"])
    return target


def remove_member(actor: Membership, pk: int) -> Membership:
    """Remove member ``pk`` from the actor's organization, within what the actor's role allows."""
    with transaction.atomic():
        acting = _current_role(actor)
        target = _locked_member(actor, pk)
        roles.check_removal(acting, target.role, _owner_count(actor.organization_id))
        target.delete()
    return target


def invitation_refusal(invitation: Invitation) -> str | None:
    """Why an open invitation may not be accepted, or None: its sender must still be allowed to give its role.

    Checking at acceptance, not only when it was sent, also stops invitations sent before the rule existed
    and invitations from someone who has since lost their role.
    """
    inviter_role = (Membership.objects.filter(organization_id=invitation.organization_id,
                                              user_id=invitation.invited_by_id)
                    .values_list("role", flat=True).first() if invitation.invited_by_id else None)
    if inviter_role is None:
        return "the person who sent it is no longer a member of the organization"
    try:
        roles.check_grant(inviter_role, invitation.role)
    except RoleRefused:
        return f"the person who sent it may not give the {invitation.role} role"
    return None


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member with the invitation's role and close the invitation, if it may still be used."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise RoleRefused("this invitation is not valid any more")
        reason = invitation_refusal(locked)
        if reason is not None:
            raise RoleRefused(reason)
        membership, _ = Membership.objects.get_or_create(organization_id=locked.organization_id, user=user,
                                                         defaults={"role": locked.role})
        locked.accepted_at = timezone.now()
        locked.save()
    return membership


def team_members(org: Organization) -> QuerySet[User]:
    """The organization's members who may own work (controls, tasks, PBC requests): everyone but auditors."""
    team = Membership.objects.filter(organization=org).exclude(role=Role.AUDITOR)
    return User.objects.filter(memberships__in=team).order_by("email")
