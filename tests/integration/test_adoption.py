"""Adopting the recommended controls: the scope's controls, without other industries' ones."""

from __future__ import annotations

from django.test import Client

from socready.programs.models import Engagement, ScopingProfile
from socready.programs.services import adopt_controls
from tests.integration.conftest import Personas


def _payroll_program(personas: Personas) -> None:
    ScopingProfile.objects.create(organization=personas.acme, answers={"name": "Acme"}, recommendation={
        "soc1": True, "soc2": True, "soc1_objective_services": ["payroll", "payments"]})
    Engagement.objects.create(organization=personas.acme, report="soc1", report_type="type1",
                              objectives=["ITGC-ACCESS", "PAYROLL-01", "PAYMENTS-01"])
    Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type1",
                              categories=["Security", "Processing Integrity"])


def test_a_payroll_company_is_not_recommended_other_industries_controls(client: Client,
                                                                        personas: Personas) -> None:
    _payroll_program(personas)
    client.force_login(personas.alice)
    page = client.get("/o/acme/controls/adopt/").content.decode()
    assert "payments, payroll" in page
    adopted = {c.code.split("-")[0] for c in adopt_controls(personas.acme)}
    assert {"PAY", "PMT", "PIN", "REC", "IAM"} <= adopted
    assert not adopted & {"CLM", "FND", "LND", "BIL"}
    page = client.get("/o/acme/controls/adopt/").content.decode()
    assert "and every one of them is adopted" in page and "Adopt all" not in page


def test_without_a_scoping_profile_the_soc1_objectives_name_the_services(personas: Personas) -> None:
    Engagement.objects.create(organization=personas.acme, report="soc1", report_type="type1",
                              objectives=["ITGC-ACCESS", "LENDING-01"])
    Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type1",
                              categories=["Security", "Processing Integrity"])
    adopted = {c.code for c in adopt_controls(personas.acme)}
    assert {"LND-01", "LND-02", "LND-04"} <= adopted  # LND-02 and LND-04 come in through PI criteria
    assert not any(code.startswith(("PAY-", "CLM-", "FND-", "BIL-", "PMT-")) for code in adopted)
