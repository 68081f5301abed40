"""The PBC list: built from the controls once per request, provided by the team, judged by the auditor."""

from __future__ import annotations

import pytest
from django.test import Client

from socready.core.readiness.snapshot import REQUEST_STATUS_LABELS
from socready.evidence.models import EvidenceRequest, RequestComment, RequestStatus
from socready.evidence.services import generate_requests
from socready.programs.models import Control
from tests.integration.conftest import Personas

pytestmark = pytest.mark.usefixtures("program")


def test_a_request_shared_by_controls_and_engagements_is_listed_once(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.alice)
    assert client.post("/o/acme/requests/generate/").status_code == 302
    shared = EvidenceRequest.objects.get(code="E-AC-01")
    assert {c.code for c in shared.controls.all()} == {"AC-01", "IR-01"}
    assert {e.report for e in shared.engagements.all()} == {"soc1", "soc2"}
    only2 = EvidenceRequest.objects.get(code="E-IR-01")
    assert [e.report for e in only2.engagements.all()] == ["soc2"]
    assert generate_requests(personas.acme) == (0, 0)  # running it again changes nothing
    soc1 = program["soc1"].pk  # type: ignore[attr-defined]
    page = client.get(f"/o/acme/requests/?engagement={soc1}").content.decode()
    assert "E-AC-01" in page and "E-IR-01" not in page
    # A control dropping out of an engagement relinks the request instead of duplicating it.
    Control.objects.get(code="AC-01").engagements.remove(program["soc1"])  # type: ignore[misc]
    assert generate_requests(personas.acme) == (0, 1)
    assert {e.report for e in EvidenceRequest.objects.get(code="E-AC-01").engagements.all()} == {"soc2"}


def test_evidence_provides_a_request_and_the_auditor_accepts_or_flags_it(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    generate_requests(personas.acme)
    request = EvidenceRequest.objects.get(code="E-AC-01")
    client.force_login(personas.bob)
    client.post("/o/acme/evidence/", {"kind": "note", "title": "March review", "effective_date": "2026-03-31",
                                      "controls": [program["shared"].pk], "request": request.pk,  # type: ignore[attr-defined]
                                      "text": "All 42 accounts reviewed."})
    request.refresh_from_db()
    assert request.status == "provided"
    # The team cannot accept its own evidence.
    refused = client.post(f"/o/acme/requests/{request.pk}/", {"form": "review", "status": "accepted", "text": ""})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == "provided"

    client.force_login(personas.dana)
    page = client.post(f"/o/acme/requests/{request.pk}/", {"form": "review", "status": "flagged", "text": ""})
    assert "say what is wrong" in page.content.decode()
    client.post(f"/o/acme/requests/{request.pk}/", {"form": "review", "status": "flagged",
                                                    "text": "The sign-off date is missing."})
    request.refresh_from_db()
    assert request.status == "flagged"
    assert client.post(f"/o/acme/requests/{request.pk}/", {"form": "edit", "due_date": "2026-07-01"}).status_code == 403

    client.force_login(personas.bob)
    client.post("/o/acme/evidence/", {"kind": "note", "title": "March review, signed", "effective_date": "2026-03-31",
                                      "controls": [program["shared"].pk], "request": request.pk,  # type: ignore[attr-defined]
                                      "text": "Signed by the CFO on 2026-04-02."})
    request.refresh_from_db()
    assert request.status == "provided"

    client.force_login(personas.dana)
    client.post(f"/o/acme/requests/{request.pk}/", {"form": "review", "status": "accepted", "text": "Fine now."})
    request.refresh_from_db()
    assert request.status == "accepted"
    trail = list(RequestComment.objects.filter(request=request).values_list("status_set", "author__email"))
    assert trail == [("flagged", "dana@example.test"), ("accepted", "dana@example.test")]
    detail = client.get(f"/o/acme/requests/{request.pk}/").content.decode()
    assert "The sign-off date is missing." in detail and "March review, signed" in detail


def test_the_team_plans_requests_and_outsiders_see_nothing(
        client: Client, personas: Personas) -> None:
    generate_requests(personas.acme)
    request = EvidenceRequest.objects.get(code="E-IR-01")
    client.force_login(personas.bob)
    client.post(f"/o/acme/requests/{request.pk}/", {"form": "edit", "due_date": "2026-07-15",
                                                    "assignee": personas.bob.pk})
    request.refresh_from_db()
    assert str(request.due_date) == "2026-07-15" and request.assignee == personas.bob
    # The page writes the due date as the PBC export does.
    assert '<td class="date">2026-07-15</td>' in client.get("/o/acme/requests/").content.decode()
    client.force_login(personas.charlie)
    assert client.get(f"/o/acme/requests/{request.pk}/").status_code == 404
    assert client.post(f"/o/acme/requests/{request.pk}/", {"form": "review", "text": "hi"}).status_code == 404
    assert not RequestComment.objects.exists()


def test_the_pbc_page_and_the_exports_name_each_status_alike() -> None:
    assert dict(RequestStatus.choices) == REQUEST_STATUS_LABELS
