"""An evidence trail auditors trust: withdrawn evidence reopens an accepted request; the auditor owns no work;
only owners and admins move an engagement's dates."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from socready.evidence.models import EvidenceRequest, RequestStatus
from socready.evidence.services import review_request
from socready.programs.models import Control, Engagement, RemediationTask
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import add_evidence


def _accepted_request(personas: Personas, items: int = 1) -> tuple[EvidenceRequest, list]:  # type: ignore[type-arg]
    org = personas.acme
    control = Control.objects.create(organization=org, code="AC-1", title="Access review")
    request = EvidenceRequest.objects.create(organization=org, code="E-AC-1", title="Review sign-off")
    request.controls.add(control)
    evidence = []
    for n in range(items):
        item = add_evidence(org, control, f"Review {n}")
        item.request = request
        item.save()
        evidence.append(item)
    review_request(request, personas.dana, "auditor", status=RequestStatus.ACCEPTED, text="Looks complete.")
    return request, evidence


def test_deleting_the_only_evidence_reopens_an_accepted_request_and_the_auditor_sees_it(
        client: Client, personas: Personas) -> None:
    request, (item,) = _accepted_request(personas)
    client.force_login(personas.alice)
    confirm = client.get(f"/o/acme/evidence/{item.pk}/delete/").content.decode()
    assert 'data-testid="delete-warning"' in confirm and "E-AC-1" in confirm
    followed = client.post(f"/o/acme/evidence/{item.pk}/delete/", follow=True).content.decode()
    assert "reopened as &quot;evidence withdrawn&quot;" in followed
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    client.force_login(personas.dana)
    listed = client.get("/o/acme/requests/").content.decode()
    assert "Evidence withdrawn" in listed.split('data-testid="request-E-AC-1"')[1].split("</tr>")[0]
    detail = client.get(f"/o/acme/requests/{request.pk}/").content.decode()
    assert "Evidence withdrawn: &#x27;Review 0&#x27; was deleted" in detail
    # New evidence for the request puts it back in the auditor's hands.
    control = Control.objects.get(code="AC-1")
    client.force_login(personas.bob)
    client.post("/o/acme/evidence/new/", {"kind": "note", "title": "Review again", "effective_date": "2026-03-31",
                                          "controls": [control.pk], "request": request.pk, "text": "Redone."})
    request.refresh_from_db()
    assert request.status == RequestStatus.PROVIDED


def test_deleting_one_of_several_items_leaves_the_acceptance_alone(client: Client, personas: Personas) -> None:
    request, (first, _second) = _accepted_request(personas, items=2)
    client.force_login(personas.alice)
    assert 'data-testid="delete-warning"' not in client.get(f"/o/acme/evidence/{first.pk}/delete/").content.decode()
    client.post(f"/o/acme/evidence/{first.pk}/delete/")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_the_auditor_cannot_own_a_control_a_task_or_a_request(client: Client, personas: Personas) -> None:
    control = Control.objects.create(organization=personas.acme, code="AC-2", title="x")
    request = EvidenceRequest.objects.create(organization=personas.acme, code="E-2", title="y")
    client.force_login(personas.alice)
    for url in (f"/o/acme/controls/{control.pk}/", "/o/acme/tasks/", f"/o/acme/requests/{request.pk}/"):
        page = client.get(url).content.decode()
        assert "bob@example.test" in page or "Bob" in page, url
        assert f'<option value="{personas.dana.pk}"' not in page, url
    client.post("/o/acme/tasks/", {"title": "Fix it", "owner": personas.dana.pk, "status": "open"})
    assert not RemediationTask.objects.filter(owner=personas.dana).exists()
    client.post(f"/o/acme/requests/{request.pk}/", {"form": "edit", "assignee": personas.dana.pk})
    request.refresh_from_db()
    assert request.assignee is None


def test_only_owners_and_admins_move_an_engagements_dates(client: Client, personas: Personas) -> None:
    engagement = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type2",
                                           period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30),
                                           categories=["Security"])
    moved = {"report": "soc2", "report_type": "type2", "period_start": "2026-03-01", "period_end": "2026-08-31",
             "auditor_firm": "Example CPAs"}
    client.force_login(personas.bob)  # a contributor
    page = client.get(f"/o/acme/engagements/{engagement.pk}/").content.decode()
    assert "Only an owner or admin can move the engagement" in page
    client.post(f"/o/acme/engagements/{engagement.pk}/", moved)
    engagement.refresh_from_db()
    assert engagement.period_start == dt.date(2026, 1, 1) and engagement.auditor_firm == "Example CPAs"
    client.force_login(personas.alice)  # the owner
    client.post(f"/o/acme/engagements/{engagement.pk}/", moved)
    engagement.refresh_from_db()
    assert engagement.period_start == dt.date(2026, 3, 1)
