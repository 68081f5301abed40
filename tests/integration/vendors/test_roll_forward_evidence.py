"""Rolling forward keeps design evidence as prior-period reference and asks again for operating evidence."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from socready.evidence.models import EvidenceItem, EvidenceRequest, RequestComment
from socready.evidence.services import Content, add_evidence, generate_requests
from socready.programs.models import Control, Engagement
from socready.vendors.services_periods import roll_forward
from tests.integration.conftest import Personas


def test_evidence_purpose_follows_the_kind_unless_given(personas: Personas, program: dict[str, object]) -> None:
    control: Control = program["only2"]  # type: ignore[assignment]
    org, alice = personas.acme, personas.alice
    note = add_evidence(org, alice, kind="note", title="How incidents are triaged", effective_date=dt.date(2026, 2, 1),
                        controls=[control], content=Content(text="Severity levels and who is paged."))
    upload = SimpleUploadedFile("drill.txt", b"tabletop drill minutes")
    file = add_evidence(org, alice, kind="file", title="Drill minutes", effective_date=dt.date(2026, 3, 1),
                        controls=[control], content=Content(upload=upload))
    policy = add_evidence(org, alice, kind="file", title="IR policy", effective_date=dt.date(2026, 1, 5),
                          controls=[control], content=Content(upload=SimpleUploadedFile("p.txt", b"policy")),
                          purpose="design")
    tickets = add_evidence(org, alice, kind="link", title="Ticket log", effective_date=dt.date(2026, 1, 1),
                           period_end=dt.date(2026, 3, 31), controls=[control], content=Content(url="https://x.test/"))
    assert [note.purpose, file.purpose, policy.purpose, tickets.purpose] == ["design", "operating", "design",
                                                                             "operating"]


def test_the_evidence_form_records_the_purpose_chosen(client: Client, personas: Personas,
                                                      program: dict[str, object]) -> None:
    control: Control = program["only2"]  # type: ignore[assignment]
    client.force_login(personas.alice)
    response = client.post("/o/acme/evidence/new/", {
        "kind": "note", "title": "Pager rota for June", "effective_date": "2026-06-01", "controls": [control.pk],
        "text": "Who was on call.", "purpose": "operating"})
    assert response.status_code == 302
    assert EvidenceItem.objects.get(title="Pager rota for June").purpose == "operating"
    client.post("/o/acme/evidence/new/", {"kind": "note", "title": "Escalation procedure",
                                          "effective_date": "2026-06-01", "controls": [control.pk], "text": "Steps."})
    item = EvidenceItem.objects.get(title="Escalation procedure")
    assert item.purpose == "design"
    assert "Design (how the control is built)" in client.get(f"/o/acme/evidence/{item.pk}/").content.decode()


def test_roll_forward_reopens_requests_answered_with_operating_evidence_and_keeps_design_ones(
        personas: Personas, program: dict[str, object]) -> None:
    soc2: Engagement = program["soc2"]  # type: ignore[assignment]
    shared: Control = program["shared"]  # type: ignore[assignment]
    only2: Control = program["only2"]  # type: ignore[assignment]
    org, alice = personas.acme, personas.alice
    generate_requests(org)
    access = EvidenceRequest.objects.get(organization=org, code="E-AC-01")
    plan = EvidenceRequest.objects.get(organization=org, code="E-IR-01")
    add_evidence(org, alice, kind="file", title="Q2 access review sign-off", effective_date=dt.date(2026, 6, 15),
                 controls=[shared], content=Content(upload=SimpleUploadedFile("q2.txt", b"signed")), request=access)
    add_evidence(org, alice, kind="link", title="Incident response plan", effective_date=dt.date(2026, 2, 1),
                 controls=[only2], content=Content(url="https://wiki.test/ir"), request=plan)
    EvidenceRequest.objects.filter(pk__in=[access.pk, plan.pk]).update(status="accepted")

    rolled = roll_forward(soc2, alice)

    assert rolled.summary["design_reference"] == 1 and rolled.summary["operating_prior"] == 1
    assert rolled.summary["prior_evidence"] == 2 and rolled.summary["reopened_requests"] == 1
    access.refresh_from_db()
    plan.refresh_from_db()
    assert access.status == "requested" and plan.status == "accepted"
    comment = RequestComment.objects.get(request=access)
    assert comment.status_set == "requested" and comment.author == alice
    assert f"Reopened for {rolled.target.label}" in comment.text and "prior-period reference" in comment.text
    assert not RequestComment.objects.filter(request=plan).exists()
    # The old items stay where they were: linked to their request and controls, as reference.
    assert access.evidence_items.count() == 1 and plan.evidence_items.count() == 1
    assert set(access.engagements.all()) >= {soc2, rolled.target}
