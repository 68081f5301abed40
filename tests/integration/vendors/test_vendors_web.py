"""Vendors through the web: upload a report, review it into the program, coverage, bridge letters, roll-forward."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from socready.audit.models import AuditEvent
from socready.evidence.models import EvidenceItem
from socready.programs.models import Control, Engagement, RemediationTask
from socready.programs.services_engagements import EngagementReadOnly, delete_engagement, update_engagement
from socready.snapshot import build_view
from socready.storage.blobs import blob_store
from socready.vendors.models import RollForward, Vendor, VendorReport, VendorRisk
from tests.integration.conftest import Personas

REPORTS = Path(__file__).resolve().parents[2] / "data" / "vendor_reports"
LARKSPUR = REPORTS / "larkspur_soc2_type2_qualified.pdf"


def _vendor(personas: Personas) -> Vendor:
    return Vendor.objects.create(organization=personas.acme, name="Larkspur Cloud Hosting", services="Hosting",
                                 subservice="carve-out", csocs="Physical access to data centres is restricted",
                                 owner=personas.alice)


def _upload(client: Client, vendor: Vendor, path: Path = LARKSPUR) -> object:
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/pdf")
    return client.post(f"/o/acme/vendors/{vendor.pk}/reports/", {"report": upload})


def _review(client: Client, report: VendorReport, **changes: str) -> object:
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/")
    form = page.context["form"]  # type: ignore[attr-defined]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"conclusion": "follow_up", "conclusion_note": "Exceptions followed up.", **changes})
    return client.post(f"/o/acme/vendors/reports/{report.pk}/", data)


def test_upload_stores_the_report_as_hashed_evidence_and_review_turns_cuecs_into_controls_and_raises_risks(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    response = _upload(client, vendor)
    report = VendorReport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/vendors/reports/{report.pk}/")  # type: ignore[index,attr-defined]
    assert report.sha256 == hashlib.sha256(LARKSPUR.read_bytes()).hexdigest()
    assert report.evidence.current is not None and report.evidence.current.sha256 == report.sha256
    assert report.read_facts["opinion"] == "qualified"
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert "page 5" in page and "Fenwick &amp; Doyle LLP" in page
    # The reviewer corrects the auditor's name; the rest is confirmed as read.
    assert _review(client, report, service_auditor="Fenwick and Doyle LLP").status_code == 302  # type: ignore[attr-defined]
    report.refresh_from_db()
    assert report.status == "reviewed" and report.facts["service_auditor"] == "Fenwick and Doyle LLP"
    cuec_controls = Control.objects.filter(code__startswith=f"VEN-{vendor.pk}-CUEC-")
    assert cuec_controls.count() == 3
    first = cuec_controls.order_by("code").first()
    assert first is not None and "Source: CUEC 1 of Larkspur Cloud Hosting SOC 2 Type II" in first.description
    assert first.criteria and set(first.engagements.all()) == set(Engagement.objects.filter(organization=personas.acme))
    reasons = sorted(VendorRisk.objects.values_list("reason", flat=True))
    assert len(reasons) == 3 and any("qualified" in r for r in reasons) and any("CC8.1" in r for r in reasons)
    assert RemediationTask.objects.filter(title__startswith="Follow up Larkspur").count() == 3
    vendor.refresh_from_db()
    assert vendor.review_control is not None and report.evidence.controls.filter(pk=vendor.review_control.pk).exists()
    assert AuditEvent.objects.filter(model="vendors.VendorReport", action="update").exists()


def test_a_file_that_is_not_a_soc_report_is_refused_keeping_only_a_note_of_why(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    for name in ("not_a_report.pdf", "encrypted.pdf", "truncated.pdf"):
        response = client.post(f"/o/acme/vendors/{vendor.pk}/reports/",
                               {"report": SimpleUploadedFile(name, (REPORTS / name).read_bytes())}, follow=True)
        assert f"Not stored: {name}:" in response.content.decode()
        # Read in the background: the refusal is kept as a note on the report's page, and nothing else is.
        refused = VendorReport.objects.get(file_name=name)
        assert refused.state == "failed" and refused.error.startswith(f"{name}: ") and refused.evidence is None
        assert not blob_store().exists(refused.sha256)
        assert "Review:" not in response.content.decode() and 'id="reading-error"' in response.content.decode()
    assert not EvidenceItem.objects.exists()
    vendor.refresh_from_db()
    assert vendor.review_control is None  # not even the review control: no report was read


def test_a_file_that_is_not_a_pdf_is_refused_at_once_and_nothing_is_stored(
        client: Client, personas: Personas, program: dict[str, object], settings) -> None:  # type: ignore[no-untyped-def]
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    response = client.post(f"/o/acme/vendors/{vendor.pk}/reports/",
                           {"report": SimpleUploadedFile("report.pdf", b"Dear customer, our SOC 2 report...")},
                           follow=True)
    assert "Not stored: report.pdf: not a PDF (no PDF header)" in response.content.decode()
    assert not VendorReport.objects.exists() and not EvidenceItem.objects.exists()
    assert not any(p.is_file() for p in Path(settings.EVIDENCE_DIR).rglob("*"))


def test_auditors_read_but_cannot_upload_and_outsiders_see_nothing(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    client.force_login(personas.dana)
    assert client.get("/o/acme/vendors/").status_code == 200
    assert _upload(client, vendor).status_code == 403  # type: ignore[attr-defined]
    client.force_login(personas.charlie)
    assert client.get(f"/o/acme/vendors/{vendor.pk}/").status_code == 404


def test_a_vendor_period_ending_before_ours_is_flagged_with_ask_for_a_bridge_letter(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type2",
                              period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    client.force_login(personas.alice)
    _upload(client, vendor)
    page = client.get("/o/acme/vendors/").content.decode()
    assert "Gap: ask for a bridge letter" in page
    assert "61 days uncovered from 2024-11-01 to 2024-12-31" in page


def test_subservice_organizations_from_the_register_feed_the_description_and_the_matrix(
        client: Client, personas: Personas, program: dict[str, object], tmp_path: Path) -> None:
    from socready.io.exports.description import description_lines
    from socready.io.exports.matrix import write_matrix

    _vendor(personas)
    snapshot = build_view(personas.acme).snapshot
    assert [(s.name, s.method) for s in snapshot.subservice] == [("Larkspur Cloud Hosting", "carve-out")]
    from socready.core.catalog.catalog import load_description_criteria

    dc7 = [lines for item, lines in description_lines(snapshot, None, None, load_description_criteria())
           if item.id == "DC7"][0]
    assert dc7[0].text.startswith("Larkspur Cloud Hosting (Hosting), carve-out method.")
    assert dc7[1].text == "CSOC: Physical access to data centres is restricted."
    path = write_matrix(snapshot, tmp_path / "m.xlsx")
    with zipfile.ZipFile(path) as book:
        assert "Subservice organizations" in book.read("xl/workbook.xml").decode()


def test_bridge_letter_downloads_as_docx_and_pdf_with_control_changes(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    soc2: Engagement = program["soc2"]  # type: ignore[assignment]
    control: Control = program["only2"]  # type: ignore[assignment]
    control.status = "operating"
    control.save()  # recorded in the audit trail today, after the period end (2026-06-30)
    client.force_login(personas.alice)
    through = timezone.localdate()
    assert through > dt.date(2026, 6, 30)
    response = client.post(f"/o/acme/periods/{soc2.pk}/bridge-letter/",
                           {f"e{soc2.pk}-through": through.isoformat(), f"e{soc2.pk}-statement": "",
                            f"e{soc2.pk}-file_format": "docx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith(f'bridge-letter-{through}.docx"')
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "Management's statement" in text and "June 30, 2026" in text
    assert f"{(through - dt.date(2026, 6, 30)).days} days" in text
    assert "control IR-01 Incident response plan changed (status)" in text
    response = client.post(f"/o/acme/periods/{soc2.pk}/bridge-letter/",
                           {f"e{soc2.pk}-through": through.isoformat(), f"e{soc2.pk}-file_format": "pdf"})
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_roll_forward_copies_controls_not_populations_and_closes_the_old_engagement(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    soc2: Engagement = program["soc2"]  # type: ignore[assignment]
    client.force_login(personas.alice)
    assert client.post(f"/o/acme/periods/{soc2.pk}/roll-forward/").status_code == 302
    rolled = RollForward.objects.get(source=soc2)
    new = rolled.target
    assert (new.period_start, new.period_end) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert set(new.controls.values_list("code", flat=True)) == {"AC-01", "IR-01"}
    assert new.categories == ["Security"] and not new.populations.exists()
    assert new.evidence_requests.filter(code="E-IR-01").exists()
    assert rolled.summary == {"controls": 2, "prior_evidence": 0, "design_reference": 0, "operating_prior": 0,
                              "reopened_requests": 0, "requests": 2}
    assert AuditEvent.objects.filter(model="vendors.RollForward", action="create").exists()
    # The old engagement is read-only: its edit page refuses changes, its deletion is refused.
    response = client.post(f"/o/acme/engagements/{soc2.pk}/", {"report_type": "type1"}, follow=True)
    assert "read-only" in response.content.decode()
    soc2.refresh_from_db()
    assert soc2.report_type == "type2"
    with pytest.raises(EngagementReadOnly):
        delete_engagement(soc2)
    with pytest.raises(EngagementReadOnly):
        update_engagement(soc2, {"report_type": "type1", "as_of_date": dt.date(2026, 6, 30)})
    assert Engagement.objects.filter(pk=soc2.pk, report_type="type2").exists()
    response = client.post(f"/o/acme/periods/{soc2.pk}/roll-forward/", follow=True)
    assert "already rolled forward" in response.content.decode()
    # The new period has not ended: it cannot be rolled forward yet.
    future = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type2",
                                       period_start=timezone.localdate(),
                                       period_end=timezone.localdate() + dt.timedelta(days=180))
    response = client.post(f"/o/acme/periods/{future.pk}/roll-forward/", follow=True)
    assert "has not ended yet" in response.content.decode()
    assert not RollForward.objects.filter(source=future).exists()


@pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")),
                    reason="tesseract and pdftoppm are needed to read image pages")
def test_the_review_warns_once_about_the_page_read_by_ocr(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    _upload(client, vendor, REPORTS / "bluefin_soc1_type1.pdf")
    report = VendorReport.objects.get()
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert page.count("read by OCR") == 1 and "report_date, service_auditor" in page


def test_each_risk_names_its_follow_up_task_by_title_with_the_due_date_as_elsewhere(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    _upload(client, vendor)
    _review(client, VendorReport.objects.get())
    risk = VendorRisk.objects.filter(task__isnull=False).select_related("task").first()
    assert risk is not None and risk.task is not None and risk.task.due_date is not None
    page = client.get(f"/o/acme/vendors/{vendor.pk}/").content.decode()
    assert f">{risk.task.title}</a> (open, due {risk.task.due_date.isoformat()})" in page
    assert "Criticality: medium" in page
