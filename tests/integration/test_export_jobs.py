"""The PDF and the bundle are made in the background: a progress page, then the file, checked by its hash."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.test import Client

from socready.reports.jobs import run_job
from socready.reports.models import ExportJob, JobState
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import Program, make_program


@pytest.fixture
def reports_program(personas: Personas, settings, tmp_path_factory) -> Program:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")
    return make_program(personas)


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_a_queued_export_shows_its_progress_then_offers_the_file(client: Client, personas: Personas,
                                                                 reports_program: Program) -> None:
    job = ExportJob.objects.create(organization=personas.acme, kind="report-pdf", requested_by=personas.alice)
    client.force_login(personas.alice)
    waiting = client.get(f"/o/acme/downloads/jobs/{job.pk}/").content.decode()
    assert '<progress id="export-progress-bar"' in waiting and 'hx-trigger="every 1s"' in waiting
    assert client.get(f"/o/acme/downloads/jobs/{job.pk}/file/").status_code == 404  # not ready yet
    assert run_job(job.pk) == JobState.DONE
    done = client.get(f"/o/acme/downloads/jobs/{job.pk}/progress/").content.decode()
    assert 'id="export-download"' in done and "hx-trigger" not in done  # polling stops once ready
    pdf = _body(client.get(f"/o/acme/downloads/jobs/{job.pk}/file/"))
    assert pdf.startswith(b"%PDF")


def test_the_downloads_page_queues_the_bundle_and_the_auditor_downloads_directly(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.alice)
    page = client.get("/o/acme/downloads/").content.decode()
    assert 'id="prepare-bundle"' in page and 'id="prepare-report-pdf"' in page
    response = client.post("/o/acme/downloads/bundle/prepare/")
    job = ExportJob.objects.get(organization=personas.acme, kind="bundle")
    assert response["Location"] == f"/o/acme/downloads/jobs/{job.pk}/"
    assert job.state == JobState.DONE and job.requested_by == personas.alice  # the test worker runs it at once
    archive = zipfile.ZipFile(BytesIO(_body(client.get(f"/o/acme/downloads/jobs/{job.pk}/file/"))))
    assert any(name.endswith("manifest.json") or "manifest" in name for name in archive.namelist())
    assert "Recently prepared" in client.get("/o/acme/downloads/").content.decode()

    client.force_login(personas.dana)  # the auditor: direct links, no stored jobs
    page = client.get("/o/acme/downloads/").content.decode()
    assert 'id="prepare-bundle"' not in page and "/o/acme/downloads/bundle/" in page
    assert client.post("/o/acme/downloads/bundle/prepare/").status_code == 403
    client.force_login(personas.charlie)  # another organization's owner
    assert client.get(f"/o/acme/downloads/jobs/{job.pk}/").status_code == 404


def test_a_failed_export_says_why(client: Client, personas: Personas, reports_program: Program) -> None:
    job = ExportJob.objects.create(organization=personas.acme, kind="report-pdf", engagement="99999")
    assert run_job(job.pk) == JobState.FAILED
    client.force_login(personas.alice)
    page = client.get(f"/o/acme/downloads/jobs/{job.pk}/").content.decode()
    assert 'id="export-error"' in page and "no engagement with id" in page
