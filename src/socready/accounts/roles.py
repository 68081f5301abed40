"""Who may give, change or take away which role in an organization.

Roles rank owner > admin > contributor > auditor. Only owners and admins manage people, and nobody
grants a role above their own or acts on someone who ranks above them, so only owners give, change or
take away the owner role. An organization always keeps at least one owner. These rules read plain role
names and counts; the services apply them inside the transaction that makes the change.
"""

from __future__ import annotations

from socready.accounts.models import MANAGE_ROLES, Role

RANK = {Role.AUDITOR: 1, Role.CONTRIBUTOR: 2, Role.ADMIN: 3, Role.OWNER: 4}


class RoleRefused(PermissionError):
    """A change to someone's membership that the acting person's role does not allow."""


def _a(role: str) -> str:
    """The role with its article: "an admin", "a contributor"."""
    return ("an " if role[:1].lower() in "aeiou" else "a ") + str(role)


def grantable_roles(actor_role: str) -> list[str]:
    """The roles ``actor_role`` may give to someone, highest first (none for those who cannot manage)."""
    if actor_role not in MANAGE_ROLES:
        return []
    return [role for role in Role.values if RANK[Role(role)] <= RANK[Role(actor_role)]]


def check_grant(actor_role: str, role: str) -> None:
    """Refuse to let ``actor_role`` give ``role`` (an invitation, or a new role for a member)."""
    if role not in Role.values:
        raise RoleRefused(f"unknown role {role!r} (expected one of: {', '.join(Role.values)})")
    if actor_role not in MANAGE_ROLES:
        raise RoleRefused("only owners and admins may manage people")
    if role not in grantable_roles(actor_role):
        raise RoleRefused(f"{_a(actor_role)} cannot give the {role} role; only an owner can")


def _check_may_act_on(actor_role: str, target_role: str, verb: str) -> None:
    if actor_role not in MANAGE_ROLES:
        raise RoleRefused("only owners and admins may manage people")
    if RANK[Role(target_role)] > RANK[Role(actor_role)]:
        raise RoleRefused(f"{_a(actor_role)} cannot {verb} {_a(target_role)}; only an owner can")


def check_change(actor_role: str, current_role: str, new_role: str, owners: int) -> None:
    """Refuse a role change that ranks above the actor, or that would leave the organization without an owner.

    ``owners`` is how many owners the organization has before the change.
    """
    _check_may_act_on(actor_role, current_role, "change the role of")
    check_grant(actor_role, new_role)
    if current_role == Role.OWNER and new_role != Role.OWNER and owners <= 1:
        raise RoleRefused("an organization keeps at least one owner; make someone else owner first")


def check_removal(actor_role: str, target_role: str, owners: int) -> None:
    """Refuse to remove a member who ranks above the actor, or the last owner."""
    _check_may_act_on(actor_role, target_role, "remove")
    if target_role == Role.OWNER and owners <= 1:
        raise RoleRefused("an organization keeps at least one owner; make someone else owner first")


def may_change(actor_role: str, target_role: str) -> bool:
    """Whether the people page should offer ``actor_role`` a way to change or remove ``target_role``."""
    return actor_role in MANAGE_ROLES and RANK[Role(target_role)] <= RANK[Role(actor_role)]
