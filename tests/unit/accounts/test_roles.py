"""The role rules on their own: nobody gives more than they hold, only owners touch owners, one owner stays."""

from __future__ import annotations

import pytest

from socready.accounts.roles import RoleRefused, check_change, check_grant, check_removal, grantable_roles, may_change


def test_owners_give_every_role_admins_everything_but_owner_and_others_nothing() -> None:
    assert grantable_roles("owner") == ["owner", "admin", "contributor", "auditor"]
    assert grantable_roles("admin") == ["admin", "contributor", "auditor"]
    assert grantable_roles("contributor") == []
    assert grantable_roles("auditor") == []


@pytest.mark.parametrize(("actor", "role"), [("admin", "owner"), ("contributor", "auditor"), ("auditor", "auditor"),
                                             ("owner", "superuser")])
def test_granting_above_ones_own_role_or_without_managing_is_refused(actor: str, role: str) -> None:
    with pytest.raises(RoleRefused):
        check_grant(actor, role)


def test_the_refusal_says_who_may_do_it() -> None:
    with pytest.raises(RoleRefused, match="an admin cannot give the owner role; only an owner can"):
        check_grant("admin", "owner")
    with pytest.raises(RoleRefused, match="an admin cannot remove an owner"):
        check_removal("admin", "owner", owners=3)


@pytest.mark.parametrize(("actor", "current", "new"), [
    ("admin", "owner", "contributor"),       # an admin demoting an owner
    ("admin", "contributor", "owner"),       # an admin making an owner
    ("admin", "owner", "owner"),             # an admin touching an owner at all
    ("contributor", "auditor", "contributor"),
])
def test_role_changes_above_the_actor_are_refused(actor: str, current: str, new: str) -> None:
    with pytest.raises(RoleRefused):
        check_change(actor, current, new, owners=2)


@pytest.mark.parametrize(("actor", "current", "new"), [
    ("admin", "contributor", "admin"), ("admin", "admin", "auditor"), ("owner", "admin", "owner"),
    ("owner", "owner", "admin"),
])
def test_role_changes_within_the_actors_rank_are_allowed(actor: str, current: str, new: str) -> None:
    check_change(actor, current, new, owners=2)


def test_the_last_owner_is_never_demoted_or_removed() -> None:
    with pytest.raises(RoleRefused, match="at least one owner"):
        check_change("owner", "owner", "admin", owners=1)
    with pytest.raises(RoleRefused, match="at least one owner"):
        check_removal("owner", "owner", owners=1)
    check_removal("owner", "owner", owners=2)


def test_admins_remove_admins_and_below_but_never_owners() -> None:
    for target in ("admin", "contributor", "auditor"):
        check_removal("admin", target, owners=1)
        assert may_change("admin", target)
    assert not may_change("admin", "owner")
    assert not may_change("contributor", "auditor")
