"""Each CUEC of a reviewed report becomes what the reviewer chose: a control, a task, or not applicable (why)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from socready.audit.models import AuditEvent
from socready.cli.main import app
from socready.evidence.models import EvidenceItem
from socready.programs.models import Control, RemediationTask
from socready.vendors.models import Vendor, VendorCuec, VendorReport
from tests.integration.conftest import Personas

REPORTS = Path(__file__).resolve().parents[2] / "data" / "vendor_reports"
LARKSPUR = REPORTS / "larkspur_soc2_type2_qualified.pdf"
SOURCE = "Larkspur Cloud Hosting SOC 2 Type II (2023-11-01 to 2024-10-31), file larkspur_soc2_type2_qualified.pdf"


def _uploaded(client: Client, personas: Personas) -> VendorReport:
    vendor = Vendor.objects.create(organization=personas.acme, name="Larkspur Cloud Hosting", owner=personas.bob)
    client.force_login(personas.alice)
    upload = SimpleUploadedFile(LARKSPUR.name, LARKSPUR.read_bytes(), content_type="application/pdf")
    client.post(f"/o/acme/vendors/{vendor.pk}/reports/", {"report": upload})
    return VendorReport.objects.get()


def _review(client: Client, report: VendorReport, **changes: str) -> Any:
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/")
    form = page.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"conclusion": "rely", "conclusion_note": "Read.", **changes})
    return client.post(f"/o/acme/vendors/reports/{report.pk}/", data)


def test_reviewer_makes_one_cuec_a_control_one_a_task_and_one_not_applicable(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    report = _uploaded(client, personas)
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert "What each CUEC becomes in our program" in page and 'name="cuec_3"' in page
    response = _review(client, report, cuec_2="task", cuec_3="not_applicable",
                       cuec_3_reason="Our customers never report incidents to Larkspur: we do.")
    assert response.status_code == 302
    items = {c.number: c for c in VendorCuec.objects.filter(report=report)}
    assert [items[n].treatment for n in (1, 2, 3)] == ["control", "task", "not_applicable"]
    control = items[1].control
    assert control is not None and items[1].task is None and control.criteria
    assert f"Source: CUEC 1 of {SOURCE}" in control.description
    task = items[2].task
    assert task is not None and items[2].control is None
    assert task.title.startswith("CUEC 2 of Larkspur Cloud Hosting: Customers encrypt data")
    assert f"Source: CUEC 2 of {SOURCE}" in task.notes and "Criteria it serves:" in task.notes
    assert task.owner == personas.bob and task.control is not None and task.control.code.startswith("VEN-")
    assert items[3].control is None and items[3].task is None
    assert items[3].reason == "Our customers never report incidents to Larkspur: we do."
    assert Control.objects.filter(family="Vendor CUECs").count() == 1
    assert AuditEvent.objects.filter(model="vendors.VendorCuec", action="create").count() == 3
    detail = client.get(f"/o/acme/vendors/{report.vendor_id}/").content.decode()
    assert "not applicable: Our customers never report incidents" in detail and "task <a" in detail
    # The choices are shown again on the next visit.
    form = client.get(f"/o/acme/vendors/reports/{report.pk}/").context["form"]
    assert form.initial["cuec_2"] == "task" and form.initial["cuec_3"] == "not_applicable"


def test_not_applicable_without_a_reason_is_refused_and_nothing_changes(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    report = _uploaded(client, personas)
    response = _review(client, report, cuec_1="not_applicable")
    assert response.status_code == 200 and "say why CUEC 1 does not apply" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "to_review" and not VendorCuec.objects.exists()


def test_reviewing_again_turns_a_cuec_control_into_a_task_and_retires_the_control(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    report = _uploaded(client, personas)
    _review(client, report)
    assert Control.objects.filter(family="Vendor CUECs", not_applicable=False).count() == 3
    _review(client, report, cuec_1="task")
    retired = Control.objects.get(code=f"VEN-{report.vendor_id}-CUEC-{report.pk}-1")
    assert retired.not_applicable and "no longer answers this CUEC with a control" in retired.not_applicable_reason
    assert RemediationTask.objects.filter(title__startswith="CUEC 1 of").count() == 1
    _review(client, report, cuec_1="control")
    retired.refresh_from_db()
    assert not retired.not_applicable
    assert not RemediationTask.objects.filter(title__startswith="CUEC 1 of").exists()


def test_cli_review_places_cuecs_as_told_and_refuses_a_cuec_the_report_lacks(
        personas: Personas, program: dict[str, object]) -> None:
    Vendor.objects.create(organization=personas.acme, name="Larkspur")
    runner = CliRunner()
    bad = runner.invoke(app, ["vendor", "review", str(LARKSPUR), "--org", "acme", "--vendor", "Larkspur",
                              "--conclusion", "rely", "--cuec", "7=task"])
    assert bad.exit_code == 2 and "CUEC 7 does not exist: the report lists 3" in bad.stderr
    assert not VendorReport.objects.exists() and not EvidenceItem.objects.exists()
    bad = runner.invoke(app, ["vendor", "review", str(LARKSPUR), "--org", "acme", "--vendor", "Larkspur",
                              "--conclusion", "rely", "--cuec", "2=na"])
    assert bad.exit_code == 2 and "needs a reason" in bad.stderr
    ok = runner.invoke(app, ["vendor", "review", str(LARKSPUR), "--org", "acme", "--vendor", "Larkspur",
                             "--conclusion", "rely", "--cuec", "2=task", "--cuec", "3=na:We report incidents."])
    assert ok.exit_code == 0, ok.output
    assert list(VendorCuec.objects.order_by("number").values_list("treatment", "reason")) == [
        ("control", ""), ("task", ""), ("not_applicable", "We report incidents.")]
