"""The workspace end to end through the test client: scoping, engagements, adoption, edits, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socready.accounts.models import Invitation, Membership, User
from socready.audit.models import AuditEvent
from socready.programs.models import Control, Engagement, RemediationTask, ScopingProfile
from socready.programs.services import adopt_controls, shared_control_count
from tests.integration.conftest import Personas

STEP1 = {"name": "Acme Payroll", "description": "We run payroll and pay employees by direct deposit for our "
         "business customers, and we store their employees' personal data.",
         "financial_impact": ["payroll"], "data": ["personal", "financial-records"]}
STEP2 = {"uptime_sla_percent": "99.9", "confidentiality": "yes", "regions": ["US"]}
STEP3 = {"deadline_what": "", "controls_operating_since": "", "subservices": "AWS: cloud hosting"}


def _run_wizard(client: Client) -> dict:  # type: ignore[type-arg]
    assert client.post("/o/acme/scoping/step/1/", STEP1).status_code == 302
    assert client.post("/o/acme/scoping/step/2/", STEP2).status_code == 302
    response = client.post("/o/acme/scoping/step/3/", STEP3)
    assert response.status_code == 302 and response["Location"].endswith("/scoping/result/")
    return ScopingProfile.objects.get(organization__slug="acme").recommendation


def _plan(report: str, start: dt.date) -> dict[str, str]:
    return {"report": report, "action": "create", "report_type": "type2", "period_start": start.isoformat(),
            "period_end": (start + dt.timedelta(days=180)).isoformat(), "auditor_firm": "Example CPAs"}


def test_wizard_recommends_both_reports_with_reasons_and_creates_engagements(client: Client,
                                                                             personas: Personas) -> None:
    client.force_login(personas.alice)
    rec = _run_wizard(client)
    assert rec["soc1"] and rec["soc2"]
    assert "Availability" in rec["soc2_categories"]
    page = client.get("/o/acme/scoping/result/").content.decode()
    assert "payroll" in page and "Why" in page
    start = dt.date.today() + dt.timedelta(days=10)
    form = {"plan-TOTAL_FORMS": "2", "plan-INITIAL_FORMS": "2", "plan-MIN_NUM_FORMS": "0",
            "plan-MAX_NUM_FORMS": "10"}
    for index, report in enumerate(("soc1", "soc2")):
        form.update({f"plan-{index}-{k}": v for k, v in _plan(report, start).items()})
    response = client.post("/o/acme/scoping/result/", form)
    assert response.status_code == 302 and response["Location"].endswith("/controls/adopt/")
    engagements = {e.report: e for e in Engagement.objects.filter(organization=personas.acme)}
    assert set(engagements) == {"soc1", "soc2"}
    assert "PAYROLL-01" in engagements["soc1"].objectives and "ITGC-ACCESS" in engagements["soc1"].objectives
    assert engagements["soc2"].categories[0] == "Security"


def test_type2_period_outside_3_to_12_months_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    _run_wizard(client)
    start = dt.date.today()
    plan = {**_plan("soc2", start), "period_end": (start + dt.timedelta(days=30)).isoformat()}
    form = {"plan-TOTAL_FORMS": "1", "plan-INITIAL_FORMS": "1", "plan-MIN_NUM_FORMS": "0", "plan-MAX_NUM_FORMS": "10",
            **{f"plan-0-{k}": v for k, v in plan.items()}}
    response = client.post("/o/acme/scoping/result/", form)
    assert response.status_code == 200
    assert "3 to 12 months" in response.content.decode()
    assert not Engagement.objects.filter(organization=personas.acme).exists()


def test_adopting_twice_keeps_one_row_per_control_shared_by_both_reports(personas: Personas) -> None:
    for report in ("soc1", "soc2"):
        Engagement.objects.create(organization=personas.acme, report=report, report_type="type1",
                                  categories=["Security"] if report == "soc2" else [],
                                  objectives=["ITGC-ACCESS", "ITGC-CHANGE"] if report == "soc1" else [])
    first = adopt_controls(personas.acme)
    again = adopt_controls(personas.acme)
    assert first and again == []
    access_review = next(c for c in Control.objects.filter(organization=personas.acme)
                         if "ITGC-ACCESS" in c.objectives and "CC6.3" in c.criteria)
    assert {e.report for e in access_review.engagements.all()} == {"soc1", "soc2"}
    assert shared_control_count(personas.acme) > 0


def test_contributor_sets_owner_and_status_and_the_change_is_audited(client: Client, personas: Personas) -> None:
    control = Control.objects.create(organization=personas.acme, code="IAM-X", title="Access review",
                                     criteria=["CC6.2"])
    client.force_login(personas.bob)
    response = client.post(f"/o/acme/controls/{control.pk}/", {
        "code": "IAM-X", "title": "Access review", "description": "", "frequency": "quarterly",
        "owner": personas.bob.pk, "status": "implemented", "notes": "done in Okta", "criteria_ids": "CC6.2, CC6.3",
        "objective_ids": "ITGC-ACCESS", "not_applicable_reason": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    control.refresh_from_db()
    assert (control.status, control.owner, control.criteria) == ("implemented", personas.bob, ["CC6.2", "CC6.3"])
    event = AuditEvent.objects.filter(model="programs.Control", action="update").latest("id")
    assert event.actor_label == "bob@example.test"
    assert event.before["status"] == "not_started" and event.after["status"] == "implemented"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("criteria_ids", "CC6.9", "Unknown criterion id(s): CC6.9"),
    ("objective_ids", "ITGC-NOPE", "Unknown objective id(s): ITGC-NOPE"),
    ("not_applicable", "on", "Say why the control does not apply"),
])
def test_bad_control_edits_are_refused_and_change_nothing(client: Client, personas: Personas, field: str,
                                                          value: str, message: str) -> None:
    control = Control.objects.create(organization=personas.acme, code="C-2", title="Something", criteria=["CC1.1"])
    client.force_login(personas.alice)
    data = {"code": "C-2", "title": "Renamed", "frequency": "annual", "status": "operating", "criteria_ids": "CC1.1",
            "objective_ids": "", "not_applicable_reason": "", field: value}
    response = client.post(f"/o/acme/controls/{control.pk}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    control.refresh_from_db()
    assert (control.title, control.status) == ("Something", "not_started")


def test_custom_control_and_custom_objective(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.post("/o/acme/objectives/", {"code": "treasury-01", "service": "treasury", "domain": "Treasury",
                                                  "title": "Cash positions", "statement": "Controls provide ..."})
    assert response.status_code == 302
    response = client.post("/o/acme/controls/new/", {
        "code": "OWN-1", "title": "Daily cash sweep check", "frequency": "daily", "status": "designed",
        "criteria_ids": "", "objective_ids": "TREASURY-01", "not_applicable_reason": ""})
    assert response.status_code == 302
    control = Control.objects.get(organization=personas.acme, code="OWN-1")
    assert control.objectives == ["TREASURY-01"] and control.is_custom


def test_dashboard_counts_change_when_a_control_changes(client: Client, personas: Personas) -> None:
    engagement = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type1",
                                           categories=["Security"])
    control = Control.objects.create(organization=personas.acme, code="C-3", title="x", criteria=["CC8.1"])
    control.engagements.add(engagement)
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    assert 'data-testid="status-operating">0<' in page
    control.status = "operating"
    control.save()
    page = client.get("/o/acme/").content.decode()
    assert 'data-testid="status-operating">1<' in page
    assert "1 of 33" in page  # CC8.1 covered out of the 33 Security criteria


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_dashboard_queries_do_not_grow_with_the_number_of_controls(client: Client,
                                                                            personas: Personas) -> None:
    org = personas.acme
    engagements = [Engagement.objects.create(organization=org, report=r, report_type="type1",
                                             categories=["Security"] if r == "soc2" else [],
                                             objectives=["ITGC-ACCESS"] if r == "soc1" else [])
                   for r in ("soc1", "soc2")]

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            control = Control.objects.create(organization=org, code=f"Q-{i}", title="q", criteria=["CC6.1"],
                                             objectives=["ITGC-ACCESS"], owner=personas.bob)
            control.engagements.add(*engagements)
            RemediationTask.objects.create(organization=org, title=f"t{i}", control=control, owner=personas.bob,
                                           due_date=dt.date(2020, 1, 1))

    client.force_login(personas.alice)
    add(3, 0)
    small = {url: _queries(client, url) for url in ("/o/acme/", "/o/acme/controls/", "/o/acme/tasks/")}
    add(40, 100)
    large = {url: _queries(client, url) for url in small}
    assert large == small
    # The dashboard also scores readiness when the program changed (a fixed number of queries, see snapshot).
    assert large["/o/acme/"] <= 25
    assert max(large["/o/acme/controls/"], large["/o/acme/tasks/"]) <= 15


def test_invitation_by_email_link_lets_a_new_person_join_with_the_role(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.post("/o/acme/people/", {"email": "erin@example.test", "role": "auditor"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get(email="erin@example.test")
    assert invitation.token in mail.outbox[0].body
    client.logout()
    response = client.post(f"/invitations/{invitation.token}/", {"name": "Erin E", "password": "a sturdy passphrase"})
    assert response.status_code == 302
    erin = User.objects.get(email="erin@example.test")
    assert Membership.objects.get(user=erin, organization=personas.acme).role == "auditor"
    assert client.get(f"/invitations/{invitation.token}/").status_code == 404  # used once only


def test_contributor_cannot_invite(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    assert client.post("/o/acme/people/", {"email": "z@example.test", "role": "owner"}).status_code == 403
    assert not Invitation.objects.exists()


def test_consultant_switches_between_client_organizations(client: Client, personas: Personas) -> None:
    Membership.objects.create(organization=personas.other, user=personas.alice, role="admin")
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    assert "Other Co" in page and "Acme Payroll" in page
    assert client.get("/organizations/switch/?slug=other")["Location"] == "/o/other/"
