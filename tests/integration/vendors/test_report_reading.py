"""A vendor's report is read in the background, in a bounded child process: the upload stores the file and a
queued row, the page shows the progress, the review opens only once the facts are read, a refusal keeps only
a note, and a read whose worker died is queued again or given up."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from socready.cli.main import app
from socready.core.errors import InputError
from socready.core.vendors.facts import ReportFacts, facts_from_dict
from socready.evidence.models import EvidenceItem
from socready.io.sandbox import VENDOR_REPORT_SANDBOX, SandboxLimits
from socready.storage.blobs import blob_store
from socready.vendors import services, services_reading, views
from socready.vendors.models import ReadState, Vendor, VendorReport
from socready.vendors.services import confirm_review, latest_report
from socready.vendors.services_reading import queue_report, read_report
from socready.work.models import WorkerBeat
from socready.work.recovery import MAX_ATTEMPTS, sweep
from tests.integration.conftest import Personas

REPORTS = Path(__file__).resolve().parents[2] / "data" / "vendor_reports"
LARKSPUR = REPORTS / "larkspur_soc2_type2_qualified.pdf"
_MB = 1024 * 1024


def _vendor(personas: Personas) -> Vendor:
    return Vendor.objects.create(organization=personas.acme, name="Larkspur Cloud Hosting", owner=personas.alice,
                                 subservice="carve-out")


def _queued(personas: Personas, path: Path = LARKSPUR) -> VendorReport:
    # As with a worker: the upload stores the file and a queued row; the reading waits in the queue.
    return queue_report(_vendor(personas), personas.alice, SimpleUploadedFile(path.name, path.read_bytes()))


class _Queue:
    """Stands in for the task queue of a server with a worker that has not taken the task yet."""

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, report_id: int) -> None:
        self.enqueued.append(report_id)


def test_an_upload_is_stored_queued_and_shown_in_progress_until_the_worker_reads_it(
        client: Client, personas: Personas, program: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    queue = _Queue()
    monkeypatch.setattr(views, "read_vendor_report", queue)
    vendor = _vendor(personas)
    client.force_login(personas.alice)
    response = client.post(f"/o/acme/vendors/{vendor.pk}/reports/",
                           {"report": SimpleUploadedFile(LARKSPUR.name, LARKSPUR.read_bytes())})
    report = VendorReport.objects.get()
    assert response["Location"].endswith(f"/vendors/reports/{report.pk}/") and queue.enqueued == [report.pk]
    # Stored and hashed, but not evidence yet and with no facts: nothing half-read is visible.
    assert (report.state, report.evidence, report.read_facts) == (ReadState.QUEUED, None, {})
    assert blob_store().exists(report.sha256) and not EvidenceItem.objects.exists()
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert 'id="reading-progress"' in page and "every 1s" in page and "Confirm facts" not in page
    assert "6 minutes" in page  # the wall-clock limit the read is held to
    waiting = client.get(f"/o/acme/vendors/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in waiting and "waiting for the reader" in waiting.content.decode()
    assert "Queued" in client.get(f"/o/acme/vendors/{vendor.pk}/").content.decode()

    assert read_report(report.pk) == f"read {LARKSPUR.name}"
    report.refresh_from_db()
    assert (report.state, report.progress, report.read_facts["opinion"]) == (ReadState.READY, 100, "qualified")
    assert report.evidence is not None and report.evidence.current is not None
    assert report.evidence.current.sha256 == report.sha256 and report.size == LARKSPUR.stat().st_size
    done = client.get(f"/o/acme/vendors/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "Confirm facts" in client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert read_report(report.pk) == "nothing to do (ready)"  # a task delivered twice reads nothing twice
    assert EvidenceItem.objects.count() == 1


def test_the_review_cannot_be_recorded_before_the_facts_are_read(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    report = _queued(personas)
    client.force_login(personas.alice)
    response = client.post(f"/o/acme/vendors/reports/{report.pk}/",
                           {"conclusion": "rely", "conclusion_note": "Looks fine.", "report": "SOC 2"}, follow=True)
    assert "has not been read" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.conclusion) == ("to_review", "")
    with pytest.raises(InputError, match="has not been read yet"):
        confirm_review(report, personas.alice, facts_from_dict({}), "rely", "")
    assert latest_report(report.vendor) is None  # a queued report speaks for no period


def test_a_refused_read_keeps_only_a_note_which_a_writer_may_remove(
        client: Client, personas: Personas, program: dict[str, object]) -> None:
    report = _queued(personas, REPORTS / "encrypted.pdf")
    sha256 = report.sha256
    assert blob_store().exists(sha256)
    assert read_report(report.pk).startswith("refused: encrypted.pdf: ")
    report.refresh_from_db()
    assert report.state == ReadState.FAILED and report.error.startswith("encrypted.pdf: ")
    assert report.evidence is None and not EvidenceItem.objects.exists() and not blob_store().exists(sha256)
    client.force_login(personas.alice)
    # A page that was polling reloads, so the title says "Refused" and the Remove button is there.
    poll = client.get(f"/o/acme/vendors/reports/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert "Remove this note" in client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    client.force_login(personas.dana)  # the auditor sees why, and cannot remove it
    page = client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert f"Not stored: {report.error}" in page.replace("&#x27;", "'") and "every 1s" not in page
    assert client.post(f"/o/acme/vendors/reports/{report.pk}/remove/").status_code == 403
    client.force_login(personas.alice)
    response = client.post(f"/o/acme/vendors/reports/{report.pk}/remove/")
    assert response.status_code == 302 and not VendorReport.objects.exists()


def _slow_reader(path: Path) -> ReportFacts:
    time.sleep(60)  # a parser stuck on a hostile file
    return facts_from_dict({})


def _greedy_reader(path: Path) -> ReportFacts:
    hoard = [bytearray(64 * _MB) for _ in range(64)]  # a parser expanding a small file into gigabytes
    return facts_from_dict({"pages": len(hoard)})


def test_a_read_past_the_time_limit_is_stopped_and_refused_naming_the_file_and_the_limit(
        personas: Personas, program: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "read_soc_report", _slow_reader)
    monkeypatch.setattr(services, "VENDOR_REPORT_SANDBOX", SandboxLimits(seconds=1.0, memory_bytes=512 * _MB))
    report = _queued(personas)
    read_report(report.pk)
    report.refresh_from_db()
    assert report.state == ReadState.FAILED
    assert report.error == (f"{LARKSPUR.name}: reading the file took longer than 1 seconds, the limit; "
                            "it was stopped")
    assert not EvidenceItem.objects.exists() and not blob_store().exists(report.sha256)


def test_a_read_past_the_memory_cap_is_stopped_and_refused_naming_the_file_and_the_limit(
        personas: Personas, program: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "read_soc_report", _greedy_reader)
    monkeypatch.setattr(services, "VENDOR_REPORT_SANDBOX", SandboxLimits(seconds=60.0, memory_bytes=256 * _MB))
    report = _queued(personas)
    read_report(report.pk)
    report.refresh_from_db()
    assert report.state == ReadState.FAILED
    assert report.error.startswith(f"{LARKSPUR.name}: ") and "256 MB" in report.error
    assert not EvidenceItem.objects.exists()


def test_the_worker_writes_a_heartbeat_while_the_child_reads(
        personas: Personas, program: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    from socready.io import sandbox

    beats: list[int] = []
    real_beat = services_reading._beat
    monkeypatch.setattr(sandbox, "TICK_SECONDS", 0.05)
    monkeypatch.setattr(services_reading, "_beat", lambda report_id: (beats.append(report_id), real_beat(report_id)))

    real_reader = services.read_soc_report

    def reader(path: Path) -> ReportFacts:
        time.sleep(0.5)  # long enough for a few heartbeats
        return real_reader(path)

    monkeypatch.setattr(services, "read_soc_report", reader)
    report = _queued(personas)
    read_report(report.pk)
    report.refresh_from_db()
    assert report.state == ReadState.READY and beats and set(beats) == {report.pk}


def _abandoned(report: VendorReport, seconds_ago: int) -> None:
    VendorReport.objects.filter(pk=report.pk).update(
        state=ReadState.READING, progress=services_reading.READING, attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds_ago))


def test_a_read_whose_heartbeat_stopped_can_be_queued_again_and_one_with_a_live_worker_is_left_alone(
        client: Client, personas: Personas, program: dict[str, object], settings: Any) -> None:
    report = _queued(personas)
    _abandoned(report, seconds_ago=1)  # a live worker is reading it
    assert read_report(report.pk) == "nothing to do (reading)"
    client.force_login(personas.alice)
    assert "Queue the read again" not in client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    assert client.post(f"/o/acme/vendors/reports/{report.pk}/retry/").status_code == 302
    report.refresh_from_db()
    assert report.state == ReadState.READING and not EvidenceItem.objects.exists()  # not stuck: left alone

    _abandoned(report, seconds_ago=settings.IMPORT_STALE_SECONDS + 5)  # its worker stopped writing
    assert "Queue the read again" in client.get(f"/o/acme/vendors/reports/{report.pk}/").content.decode()
    # The retry button queues it again; tasks run inline here, so it is read at once, and only once.
    response = client.post(f"/o/acme/vendors/reports/{report.pk}/retry/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.attempts) == (ReadState.READY, 2) and EvidenceItem.objects.count() == 1


def test_the_task_of_a_read_whose_worker_died_is_queued_again_then_given_up(personas: Personas) -> None:
    report = _queued(personas)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    WorkerBeat.objects.create(worker_id="dead", started_at=long_ago, beat_at=long_ago)
    _abandoned(report, seconds_ago=300)
    task = DBTaskResult.objects.create(
        task_path="socready.vendors.tasks.read_vendor_report", args_kwargs={"args": [report.pk], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), status=TaskResultStatus.RUNNING, worker_ids=["dead"],
        started_at=long_ago)
    assert sweep().retried == [str(task.pk)]
    report.refresh_from_db()
    assert (report.state, report.progress) == (ReadState.QUEUED, services_reading.STORED)
    _abandoned(report, seconds_ago=300)
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.RUNNING,
                                                   worker_ids=["dead"] * MAX_ATTEMPTS)
    assert sweep().failed == [str(task.pk)]
    report.refresh_from_db()
    assert report.state == ReadState.FAILED and report.error.startswith(f"{LARKSPUR.name}: the background worker")
    assert not blob_store().exists(report.sha256) and not EvidenceItem.objects.exists()


def test_a_read_that_kills_its_worker_again_and_again_is_refused(
        personas: Personas, program: dict[str, object], settings: Any) -> None:
    report = _queued(personas)
    VendorReport.objects.filter(pk=report.pk).update(
        state=ReadState.READING, attempts=services_reading.MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.IMPORT_STALE_SECONDS + 5))
    assert read_report(report.pk).startswith("refused:")
    report.refresh_from_db()
    assert report.state == ReadState.FAILED and "stopped 3 times" in report.error
    assert report.error.startswith(LARKSPUR.name) and not blob_store().exists(report.sha256)


def test_a_refused_read_leaves_a_file_another_report_still_uses(
        personas: Personas, program: dict[str, object]) -> None:
    vendor = _vendor(personas)
    upload = (LARKSPUR.name, LARKSPUR.read_bytes())
    first = queue_report(vendor, personas.alice, SimpleUploadedFile(*upload))
    second = queue_report(vendor, personas.alice, SimpleUploadedFile(*upload))
    long_ago = timezone.now() - dt.timedelta(hours=1)
    VendorReport.objects.filter(pk=first.pk).update(state=ReadState.READING, attempts=services_reading.MAX_ATTEMPTS,
                                                    heartbeat_at=None, created_at=long_ago)
    assert read_report(first.pk).startswith("refused:")
    assert blob_store().exists(second.sha256)  # the queued twin still needs it
    assert read_report(second.pk) == f"read {LARKSPUR.name}"


def test_the_cli_review_reads_the_report_within_the_limits_and_stores_nothing_past_them(
        personas: Personas, program: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    assert VENDOR_REPORT_SANDBOX.seconds > 120 + 180  # the reader's own text and OCR limits stop it first
    _vendor(personas)
    monkeypatch.setattr(services, "read_soc_report", _greedy_reader)
    monkeypatch.setattr(services, "VENDOR_REPORT_SANDBOX", SandboxLimits(seconds=60.0, memory_bytes=256 * _MB))
    result = CliRunner().invoke(app, ["vendor", "review", str(LARKSPUR), "--org", "acme", "--vendor",
                                      "Larkspur Cloud Hosting"])
    assert result.exit_code == 2 and LARKSPUR.name in result.stderr and "256 MB" in result.stderr
    assert not VendorReport.objects.exists() and not EvidenceItem.objects.exists()
