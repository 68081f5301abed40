"""People management respects the role ranking: nobody gives more than they hold, only owners touch owners,
an organization always keeps an owner, refusals change nothing and allowed changes are audited."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from socready.accounts.models import Invitation, Membership, Role, User
from socready.audit.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory
from tests.integration.conftest import Personas


def _member(personas: Personas, user: User) -> Membership:
    return Membership.objects.get(organization=personas.acme, user=user)


def _admin(personas: Personas, client: Client) -> User:
    """Erin, an admin of Acme, signed in on ``client``."""
    erin = UserFactory(email="erin@example.test", first_name="Erin")
    MembershipFactory(organization=personas.acme, user=erin, role=Role.ADMIN)
    client.force_login(erin)
    return erin


def _snapshot() -> tuple[list[tuple[int, str]], list[tuple[str, str, object]], int]:
    """Every membership, every invitation and the audit trail's length: what a refusal must leave alone."""
    return (sorted(Membership.objects.values_list("pk", "role")),
            sorted(Invitation.objects.values_list("email", "role", "accepted_at")),
            AuditEvent.objects.count())


# --- inviting ---------------------------------------------------------------------------------------------

def test_an_admin_cannot_invite_an_owner(client: Client, personas: Personas) -> None:
    _admin(personas, client)
    before = _snapshot()
    response = client.post("/o/acme/people/", {"email": "mallory@example.test", "role": "owner"})
    assert response.status_code == 200
    assert "cannot give the owner role" in response.content.decode()
    assert _snapshot() == before and mail.outbox == []


def test_an_admin_is_offered_only_the_roles_they_may_give(client: Client, personas: Personas) -> None:
    _admin(personas, client)
    page = client.get("/o/acme/people/").content.decode()
    invite_form = page.split("Invite someone")[1]
    assert 'value="admin"' in invite_form and 'value="owner"' not in invite_form
    alice_row = page.split('data-testid="member-alice@example.test"')[1].split("</tr>")[0]
    assert "Change role" not in alice_row and "Remove" not in alice_row  # the owner is out of an admin's reach
    bob_row = page.split('data-testid="member-bob@example.test"')[1].split("</tr>")[0]
    assert "Change role" in bob_row and "Remove" in bob_row and 'value="owner"' not in bob_row


def test_an_admin_may_invite_an_admin_and_the_invitation_is_audited(client: Client, personas: Personas) -> None:
    erin = _admin(personas, client)
    response = client.post("/o/acme/people/", {"email": "frank@example.test", "role": "admin"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="frank@example.test")
    assert invitation.role == "admin" and invitation.invited_by == erin
    event = AuditEvent.objects.get(model="accounts.Invitation", object_id=str(invitation.pk))
    assert event.action == "create" and event.actor_id == erin.pk and event.organization_id == personas.acme.pk


def test_an_owner_may_invite_an_owner(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    assert client.post("/o/acme/people/", {"email": "olivia@example.test", "role": "owner"}).status_code == 302
    assert Invitation.objects.get(email="olivia@example.test").role == "owner"


# --- accepting: the sender's right to give the role is checked again ---------------------------------------

def _old_owner_invitation(personas: Personas, email: str) -> Invitation:
    """An owner invitation an admin sent before admins were stopped from doing so."""
    erin = UserFactory(email="erin@example.test")
    MembershipFactory(organization=personas.acme, user=erin, role=Role.ADMIN)
    return Invitation.objects.create(organization=personas.acme, email=email, role=Role.OWNER, invited_by=erin)


def test_an_owner_invitation_from_an_admin_cannot_be_accepted_by_a_new_person(client: Client,
                                                                               personas: Personas) -> None:
    invitation = _old_owner_invitation(personas, "mallory@example.test")
    before = _snapshot()
    page = client.get(f"/invitations/{invitation.token}/")
    assert page.status_code == 403 and "may not give the owner role" in page.content.decode()
    response = client.post(f"/invitations/{invitation.token}/", {"name": "M", "password": "a sturdy passphrase"})
    assert response.status_code == 403
    assert not User.objects.filter(email="mallory@example.test").exists()
    assert _snapshot() == before
    assert client.get("/o/acme/").status_code == 302  # not signed in


def test_an_owner_invitation_from_an_admin_cannot_be_accepted_by_a_signed_in_person(client: Client,
                                                                                    personas: Personas) -> None:
    invitation = _old_owner_invitation(personas, "charlie@example.test")
    client.force_login(personas.charlie)
    before = _snapshot()
    assert client.get(f"/invitations/{invitation.token}/").status_code == 403
    assert _snapshot() == before
    assert not Membership.objects.filter(organization=personas.acme, user=personas.charlie).exists()


def test_an_invitation_from_someone_who_has_since_left_cannot_be_accepted(client: Client,
                                                                         personas: Personas) -> None:
    invitation = Invitation.objects.create(organization=personas.acme, email="gus@example.test",
                                           role=Role.CONTRIBUTOR, invited_by=personas.bob)
    _member(personas, personas.bob).delete()
    response = client.post(f"/invitations/{invitation.token}/", {"name": "Gus", "password": "a sturdy passphrase"})
    assert response.status_code == 403 and "no longer a member" in response.content.decode()
    assert not User.objects.filter(email="gus@example.test").exists()


def test_an_owner_invitation_from_an_owner_makes_an_owner(client: Client, personas: Personas) -> None:
    invitation = Invitation.objects.create(organization=personas.acme, email="olivia@example.test",
                                           role=Role.OWNER, invited_by=personas.alice)
    response = client.post(f"/invitations/{invitation.token}/", {"name": "Olivia", "password": "a sturdy passphrase"})
    assert response.status_code == 302
    olivia = User.objects.get(email="olivia@example.test")
    assert _member(personas, olivia).role == "owner"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


# --- changing roles -----------------------------------------------------------------------------------------

def test_an_admin_cannot_demote_an_owner(client: Client, personas: Personas) -> None:
    _admin(personas, client)
    alice = _member(personas, personas.alice)
    before = _snapshot()
    response = client.post(f"/o/acme/people/{alice.pk}/role/", {"role": "contributor"})
    assert response.status_code == 403
    assert "an admin cannot change the role of an owner" in response.content.decode()
    assert _snapshot() == before


def test_an_admin_cannot_make_anyone_an_owner(client: Client, personas: Personas) -> None:
    erin = _admin(personas, client)
    before = _snapshot()
    for target in (_member(personas, personas.bob), _member(personas, erin)):
        assert client.post(f"/o/acme/people/{target.pk}/role/", {"role": "owner"}).status_code == 403
    assert _snapshot() == before


def test_an_admin_may_promote_a_contributor_to_admin_and_it_is_audited(client: Client, personas: Personas) -> None:
    erin = _admin(personas, client)
    bob = _member(personas, personas.bob)
    response = client.post(f"/o/acme/people/{bob.pk}/role/", {"role": "admin"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.role == "admin"
    event = AuditEvent.objects.filter(model="accounts.Membership", object_id=str(bob.pk)).first()
    assert event is not None and event.action == "update" and event.actor_id == erin.pk
    assert event.before == {"role": "contributor"} and event.after == {"role": "admin"}


def test_an_owner_may_make_and_unmake_owners_but_never_the_last_one(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    alice, bob = _member(personas, personas.alice), _member(personas, personas.bob)
    assert client.post(f"/o/acme/people/{bob.pk}/role/", {"role": "owner"}).status_code == 302
    assert client.post(f"/o/acme/people/{bob.pk}/role/", {"role": "admin"}).status_code == 302
    bob.refresh_from_db()
    assert bob.role == "admin"
    before = _snapshot()
    response = client.post(f"/o/acme/people/{alice.pk}/role/", {"role": "admin"})  # Alice is the only owner
    assert response.status_code == 403 and "at least one owner" in response.content.decode()
    assert _snapshot() == before


def test_an_unknown_role_is_refused_and_changes_nothing(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    bob = _member(personas, personas.bob)
    before = _snapshot()
    response = client.post(f"/o/acme/people/{bob.pk}/role/", {"role": "superuser"})
    assert response.status_code == 403 and "unknown role" in response.content.decode()
    assert _snapshot() == before


def test_contributors_and_auditors_cannot_change_roles(client: Client, personas: Personas) -> None:
    dana = _member(personas, personas.dana)
    before = _snapshot()
    for person in (personas.bob, personas.dana):
        client.force_login(person)
        assert client.post(f"/o/acme/people/{dana.pk}/role/", {"role": "admin"}).status_code == 403
    assert _snapshot() == before


def test_a_member_of_another_organization_is_not_found(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    charlie = Membership.objects.get(organization=personas.other, user=personas.charlie)
    before = _snapshot()
    assert client.post(f"/o/acme/people/{charlie.pk}/role/", {"role": "auditor"}).status_code == 404
    assert client.post(f"/o/acme/people/{charlie.pk}/remove/").status_code == 404
    assert _snapshot() == before


# --- removing -----------------------------------------------------------------------------------------------

def test_an_admin_cannot_remove_an_owner(client: Client, personas: Personas) -> None:
    _admin(personas, client)
    second_owner = MembershipFactory(organization=personas.acme, user=UserFactory(), role=Role.OWNER)
    before = _snapshot()
    for owner in (_member(personas, personas.alice), second_owner):
        response = client.post(f"/o/acme/people/{owner.pk}/remove/")
        assert response.status_code == 403 and "an admin cannot remove an owner" in response.content.decode()
    assert _snapshot() == before


def test_an_admin_may_remove_a_contributor_and_it_is_audited(client: Client, personas: Personas) -> None:
    erin = _admin(personas, client)
    bob = _member(personas, personas.bob)
    assert client.post(f"/o/acme/people/{bob.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=bob.pk).exists()
    event = AuditEvent.objects.filter(model="accounts.Membership", object_id=str(bob.pk)).first()
    assert event is not None and event.action == "delete" and event.actor_id == erin.pk


def test_an_owner_may_remove_another_owner_but_not_the_last(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    second_owner = MembershipFactory(organization=personas.acme, user=UserFactory(), role=Role.OWNER)
    assert client.post(f"/o/acme/people/{second_owner.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=second_owner.pk).exists()
    assert AuditEvent.objects.filter(model="accounts.Membership", object_id=str(second_owner.pk),
                                     action="delete", actor_id=personas.alice.pk).exists()
    before = _snapshot()
    alice = _member(personas, personas.alice)
    response = client.post(f"/o/acme/people/{alice.pk}/remove/")
    assert response.status_code == 403 and "at least one owner" in response.content.decode()
    assert _snapshot() == before


def test_the_reported_takeover_no_longer_works(client: Client, personas: Personas) -> None:
    """An admin invites an accomplice as owner, who then removes the real owner: each step is refused."""
    _admin(personas, client)
    assert client.post("/o/acme/people/", {"email": "mallory@example.test", "role": "owner"}).status_code == 200
    assert not Invitation.objects.filter(email="mallory@example.test").exists()
    alice = _member(personas, personas.alice)
    assert client.post(f"/o/acme/people/{alice.pk}/remove/").status_code == 403
    assert _member(personas, personas.alice).role == "owner"
