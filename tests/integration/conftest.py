"""Personas: Alice owns Acme, Bob contributes to it, Dana audits it, Charlie belongs to another org."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from socready.accounts.models import Organization, Role, User
from socready.programs.models import Control, Engagement
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


@pytest.fixture
def program(personas: Personas, tmp_path: Path, settings) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Acme with a SOC 1 and a SOC 2 Type II engagement sharing control AC-01; IR-01 serves SOC 2 only."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    acme = personas.acme
    soc1 = Engagement.objects.create(organization=acme, report="soc1", report_type="type2",
                                     period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                                     objectives=["CO-1"])
    soc2 = Engagement.objects.create(organization=acme, report="soc2", report_type="type2",
                                     period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                                     categories=["Security"])
    shared = Control.objects.create(organization=acme, code="AC-01", title="Quarterly access review",
                                    frequency="monthly", criteria=["CC6.1"], objectives=["CO-1"],
                                    evidence_requests=[{"id": "E-AC-01", "name": "Access review sign-off",
                                                        "shows": "the review was done"}])
    shared.engagements.set([soc1, soc2])
    only2 = Control.objects.create(organization=acme, code="IR-01", title="Incident response plan",
                                   criteria=["CC7.3"], evidence_requests=[{"id": "E-AC-01", "name": "Access review",
                                                                           "shows": "x"},
                                                                          {"id": "E-IR-01", "name": "IR plan",
                                                                           "shows": "a plan exists"}])
    only2.engagements.set([soc2])
    return {"soc1": soc1, "soc2": soc2, "shared": shared, "only2": only2}
