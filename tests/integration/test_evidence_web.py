"""Evidence through the web: stored once by hash, shared by both reports, versioned, soft-deleted, verified."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from socready.audit.models import AuditEvent
from socready.evidence.models import EvidenceItem, EvidenceRevision
from socready.programs.models import Control
from socready.storage.blobs import LocalBlobStore, blob_store
from tests.integration.conftest import Personas


def _upload(client: Client, control: Control, name: str = "review.pdf", content: bytes = b"%PDF-1.4 review",
            **extra: object) -> object:
    data = {"kind": "file", "title": "", "effective_date": "2026-03-31", "controls": [control.pk],
            "files": [SimpleUploadedFile(name, content, content_type="application/pdf")], **extra}
    return client.post("/o/acme/evidence/", data)


def test_a_file_on_a_shared_control_is_stored_once_and_shows_under_both_engagements(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.bob)
    response = _upload(client, program["shared"])  # type: ignore[arg-type]
    assert response.status_code == 302  # type: ignore[attr-defined]
    item = EvidenceItem.objects.get()
    revision = item.current
    assert revision is not None and revision.sha256 == hashlib.sha256(b"%PDF-1.4 review").hexdigest()
    assert item.title == "review.pdf" and item.collector == personas.bob
    store = blob_store()
    assert isinstance(store, LocalBlobStore) and store.path(revision.sha256).read_bytes() == b"%PDF-1.4 review"
    for engagement in (program["soc1"], program["soc2"]):
        page = client.get(f"/o/acme/engagements/{engagement.pk}/evidence/")  # type: ignore[attr-defined]
        assert page.status_code == 200 and "review.pdf" in page.content.decode()
    detail = client.get(f"/o/acme/evidence/{item.pk}/").content.decode()
    assert "SOC 1 Type II" in detail and "SOC 2 Type II" in detail
    # The same bytes again: a second item, but one stored file.
    _upload(client, program["only2"], name="copy.pdf")  # type: ignore[arg-type]
    assert EvidenceItem.objects.count() == 2
    assert len([p for p in store.root.rglob("*") if p.is_file() and p.parent.name != "tmp"]) == 1


def test_download_checks_the_hash_and_refuses_a_tampered_file(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.alice)
    _upload(client, program["shared"], name="../../etc/passwd\x07")  # type: ignore[arg-type]
    item = EvidenceItem.objects.get()
    assert item.current is not None and item.current.file_name == "passwd"
    client.force_login(personas.dana)  # auditors download too
    response = client.get(f"/o/acme/evidence/{item.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 review"  # type: ignore[attr-defined]
    assert 'filename="passwd"' in response["Content-Disposition"]
    path = blob_store().path(item.current.sha256)  # type: ignore[attr-defined]
    path.write_bytes(b"something else")
    tampered = client.get(f"/o/acme/evidence/{item.pk}/download/")
    assert tampered.status_code == 409 and b"does not match" in tampered.content


def test_new_versions_keep_the_history_and_deletion_is_soft_and_audited(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.bob)
    _upload(client, program["shared"])  # type: ignore[arg-type]
    item = EvidenceItem.objects.get()
    first = item.current
    response = client.post(f"/o/acme/evidence/{item.pk}/", {
        "files": SimpleUploadedFile("review-v2.pdf", b"%PDF-1.4 second"), "change_note": "signed copy"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current is not None and item.current.number == 2 and item.current.file_name == "review-v2.pdf"
    old = client.get(f"/o/acme/evidence/revisions/{first.pk}/download/")  # type: ignore[union-attr]
    assert b"".join(old.streaming_content) == b"%PDF-1.4 review"  # type: ignore[attr-defined]
    client.force_login(personas.alice)
    assert client.post(f"/o/acme/evidence/{item.pk}/delete/").status_code == 302
    item.refresh_from_db()
    assert item.deleted_at is not None and EvidenceRevision.objects.filter(item=item).count() == 2
    assert "review-v2.pdf" not in client.get("/o/acme/evidence/").content.decode()
    deletion = AuditEvent.objects.filter(model="evidence.EvidenceItem", action="update").latest("id")
    assert deletion.after is not None and deletion.after.get("deleted_at")
    assert deletion.actor_label == "alice@example.test"


def test_refused_uploads_say_why_and_store_nothing(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.bob)
    with override_settings(MAX_UPLOAD_BYTES=10):
        page = _upload(client, program["shared"], content=b"x" * 11).content.decode()  # type: ignore[attr-defined]
    assert "larger than the limit" in page
    with override_settings(MAX_UPLOAD_FILES=1):
        response = client.post("/o/acme/evidence/", {
            "kind": "file", "effective_date": "2026-03-31", "controls": [program["shared"].pk],  # type: ignore[attr-defined]
            "files": [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]})
    assert "at most 1 per upload" in response.content.decode()
    page = _upload(client, program["shared"], content=b"").content.decode()  # type: ignore[attr-defined]
    assert "empty" in page
    bad_period = _upload(client, program["shared"], period_end="2026-01-01").content.decode()  # type: ignore[attr-defined]
    assert "must end on or after" in bad_period
    bad_json = client.post("/o/acme/evidence/", {"kind": "result", "title": "scan", "effective_date": "2026-03-31",
                                                 "controls": [program["shared"].pk],  # type: ignore[attr-defined]
                                                 "result": '{"passed": true,\n "high": }'}).content.decode()
    assert "line 2, column" in bad_json
    assert EvidenceItem.objects.count() == 0 and EvidenceRevision.objects.count() == 0
    root = blob_store().root  # type: ignore[attr-defined]
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_links_notes_and_results_are_evidence_too(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.bob)
    control = program["only2"].pk  # type: ignore[attr-defined]
    client.post("/o/acme/evidence/", {"kind": "link", "title": "Ticket", "effective_date": "2026-02-01",
                                      "controls": [control], "url": "https://tickets.example.test/42"})
    client.post("/o/acme/evidence/", {"kind": "result", "title": "Scanner", "effective_date": "2026-02-02",
                                      "period_end": "2026-02-28", "controls": [control],
                                      "result": '{"critical": 0}'})
    kinds = dict(EvidenceItem.objects.values_list("title", "kind"))
    assert kinds == {"Ticket": "link", "Scanner": "result"}
    result = EvidenceItem.objects.get(title="Scanner")
    assert result.current is not None and result.current.result == {"critical": 0}
    assert result.when == "2026-02-02 to 2026-02-28"


def test_the_auditor_cannot_add_or_delete_evidence(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.dana)
    assert _upload(client, program["shared"]).status_code == 403  # type: ignore[attr-defined]
    assert EvidenceItem.objects.count() == 0


def test_outsiders_cannot_download(client: Client, personas: Personas, program: dict[str, object]) -> None:
    client.force_login(personas.bob)
    _upload(client, program["shared"])  # type: ignore[arg-type]
    item = EvidenceItem.objects.get()
    client.force_login(personas.charlie)
    assert client.get(f"/o/acme/evidence/{item.pk}/download/").status_code == 404
    assert client.get(f"/o/other/evidence/{item.pk}/download/").status_code == 404


def test_the_control_timeline_names_the_months_without_evidence(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    control = program["shared"]
    client.force_login(personas.bob)
    for day in ("2026-01-20", "2026-02-27", "2026-04-30"):
        client.post("/o/acme/evidence/", {"kind": "note", "title": f"Review {day}", "effective_date": day,
                                          "controls": [control.pk], "text": "done"})  # type: ignore[attr-defined]
    # A quarterly report covering May and June counts for both months.
    client.post("/o/acme/evidence/", {"kind": "note", "title": "Q2 extract", "effective_date": "2026-05-01",
                                      "period_end": "2026-06-30", "controls": [control.pk], "text": "x"})  # type: ignore[attr-defined]
    page = client.get(f"/o/acme/controls/{control.pk}/evidence/").content.decode()  # type: ignore[attr-defined]
    assert page.count('data-testid="timeline-') == 2  # one per engagement the control serves
    assert "5 of 6 expected periods hold evidence" in page
    assert "no evidence for 2026-03" in page
    assert "no evidence for 2026-05" not in page and "no evidence for 2026-01" not in page


def test_the_dashboard_counts_live_evidence_and_requests_by_status(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    from socready.evidence.services import evidence_figures, generate_requests

    generate_requests(personas.acme)
    client.force_login(personas.bob)
    _upload(client, program["shared"])  # type: ignore[arg-type]
    _upload(client, program["only2"], name="other.pdf", content=b"other")  # type: ignore[arg-type]
    EvidenceItem.objects.filter(title="other.pdf").update(deleted_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    figures = evidence_figures(personas.acme)
    assert figures.items == 1 and figures.requests == {"requested": 2, "provided": 0, "accepted": 0, "flagged": 0,
                                                                "withdrawn": 0}
    assert evidence_figures(personas.other).items == 0
    page = client.get("/o/acme/").content.decode()
    assert 'data-testid="evidence-items">1<' in page and "2 requested" in page
