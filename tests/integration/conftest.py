"""Personas: Alice owns Acme, Bob contributes to it, Dana audits it, Charlie belongs to another org."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from socready.accounts.models import Organization, Role, User
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PASSWORD = "correct horse battery"


@dataclass
class Personas:
    acme: Organization
    other: Organization
    alice: User
    bob: User
    charlie: User
    dana: User


@pytest.fixture
def personas(db: None) -> Personas:
    acme = OrganizationFactory(name="Acme Payroll", slug="acme")
    other = OrganizationFactory(name="Other Co", slug="other")
    alice = UserFactory(email="alice@example.test", first_name="Alice")
    bob = UserFactory(email="bob@example.test", first_name="Bob")
    charlie = UserFactory(email="charlie@example.test", first_name="Charlie")
    dana = UserFactory(email="dana@example.test", first_name="Dana")
    MembershipFactory(organization=acme, user=alice, role=Role.OWNER)
    MembershipFactory(organization=acme, user=bob, role=Role.CONTRIBUTOR)
    MembershipFactory(organization=acme, user=dana, role=Role.AUDITOR)
    MembershipFactory(organization=other, user=charlie, role=Role.OWNER)
    return Personas(acme, other, alice, bob, charlie, dana)
