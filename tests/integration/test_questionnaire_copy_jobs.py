"""Questionnaire copies are made in the background by the export jobs: a progress page, then the download."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from socready.audit.models import AuditEvent
from socready.questionnaires.copies import queue_copy
from socready.questionnaires.models import DraftAnswer, Questionnaire
from socready.reports.jobs import run_job
from socready.reports.models import ExportJob, JobState
from socready.storage.blobs import LocalBlobStore, blob_store
from tests.integration.conftest import Personas
from tests.integration.test_questionnaires_web import CSV, XLSX, alice, upload

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
__all__ = ["alice"]  # the fixture: Acme's program, Alice signed in


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_the_working_copy_is_prepared_in_the_background_and_offered_when_ready(alice: Client,
                                                                              personas: Personas) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    base = f"/o/acme/questionnaires/{questionnaire.pk}"
    page = alice.get(f"{base}/").content.decode()
    assert 'id="prepare-working"' in page
    assert f'href="{base}/download/"' not in page  # writers get the background copy, not the inline one
    assert alice.get(f"{base}/copies/working/prepare/").status_code == 405
    response = alice.post(f"{base}/copies/working/prepare/")
    job = ExportJob.objects.get(kind="questionnaire-working")
    assert response["Location"] == f"/o/acme/downloads/jobs/{job.pk}/"
    assert job.subject == str(questionnaire.pk) and job.requested_by == personas.alice
    assert job.state == JobState.DONE and job.file_name == "prospect-answered.xlsx"  # the test worker ran it
    assert AuditEvent.objects.filter(model="reports.ExportJob", object_id=str(job.pk), action="create").exists()
    status = alice.get(response["Location"]).content.decode()
    assert "Questionnaire, working copy" in status and 'id="export-download"' in status
    assert 'id="export-back">&larr; prospect.xlsx' in status and f'href="{base}/"' in status
    sheet = load_workbook(io.BytesIO(_body(alice.get(f"/o/acme/downloads/jobs/{job.pk}/file/"))))["Questions"]
    assert [sheet[f"C{r}"].value for r in (2, 3)] == ["No", "Yes"]
    recent = alice.get("/o/acme/downloads/").content.decode()
    assert f'href="/o/acme/downloads/jobs/{job.pk}/">Questionnaire, working copy</a>' in recent


def test_a_queued_copy_shows_its_progress_until_the_worker_has_made_it(alice: Client, personas: Personas) -> None:
    upload(alice, ("vendor.csv", CSV))
    questionnaire = Questionnaire.objects.get()
    first = DraftAnswer.objects.get(question_id="1")
    first.answer, first.reviewed = "No", True
    first.save()
    job = queue_copy(personas.acme, personas.alice, questionnaire, "prospect")  # queued, not yet run
    waiting = alice.get(f"/o/acme/downloads/jobs/{job.pk}/").content.decode()
    assert '<progress id="export-progress-bar"' in waiting and 'hx-trigger="every 1s"' in waiting
    assert alice.get(f"/o/acme/downloads/jobs/{job.pk}/file/").status_code == 404
    assert run_job(job.pk) == JobState.DONE
    done = alice.get(f"/o/acme/downloads/jobs/{job.pk}/progress/").content.decode()
    assert 'id="export-download"' in done and "hx-trigger" not in done
    rows = _body(alice.get(f"/o/acme/downloads/jobs/{job.pk}/file/")).decode().splitlines()
    assert rows[1] == '"1","Please share your SOC 2 Type II report.","No"' and rows[2].endswith(',""')


def test_a_copy_of_a_removed_or_damaged_questionnaire_fails_saying_why(alice: Client, personas: Personas) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    store = blob_store()
    assert isinstance(store, LocalBlobStore)
    path = store.path(questionnaire.sha256)
    path.write_bytes(b"tampered")
    try:
        job = queue_copy(personas.acme, personas.alice, questionnaire, "working")
        assert run_job(job.pk) == JobState.FAILED
    finally:
        path.write_bytes(XLSX)
    page = alice.get(f"/o/acme/downloads/jobs/{job.pk}/").content.decode()
    assert 'id="export-error"' in page and "does not match its recorded SHA-256" in page
    gone = queue_copy(personas.acme, personas.alice, questionnaire, "working")
    alice.post(f"/o/acme/questionnaires/{questionnaire.pk}/delete/")
    assert run_job(gone.pk) == JobState.FAILED
    assert "removed before its copy was made" in ExportJob.objects.get(pk=gone.pk).error


def test_the_auditor_downloads_directly_and_cannot_queue_a_copy(client: Client, personas: Personas,
                                                                alice: Client) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    base = f"/o/acme/questionnaires/{questionnaire.pk}"
    client.force_login(personas.dana)
    page = client.get(f"{base}/").content.decode()
    assert 'id="prepare-working"' not in page and re.search(rf'href="{base}/download/" id="download-filled"', page)
    assert client.post(f"{base}/copies/working/prepare/").status_code == 403
    client.force_login(personas.charlie)
    assert client.post(f"/o/acme/questionnaires/{questionnaire.pk}/copies/working/prepare/").status_code == 404
    assert not ExportJob.objects.exists()


def test_the_copy_to_send_is_not_offered_or_made_before_an_answer_is_reviewed(alice: Client,
                                                                               personas: Personas) -> None:
    upload(alice, ("vendor.csv", CSV))
    questionnaire = Questionnaire.objects.get()
    assert not questionnaire.answers.filter(reviewed=True).exists()
    base = f"/o/acme/questionnaires/{questionnaire.pk}"
    none_yet = "The copy to send holds only reviewed answers, and none is reviewed yet."
    page = alice.get(f"{base}/").content.decode()
    assert 'id="prepare-prospect"' not in page and "(0 reviewed answers)" not in page and none_yet in page
    # Asked for anyway, nothing is queued and the page says why.
    refused = alice.post(f"{base}/copies/prospect/prepare/", follow=True)
    assert refused.redirect_chain == [(f"{base}/", 302)] and not ExportJob.objects.exists()
    assert "No copy to send was made: it holds only reviewed answers, and none is reviewed yet." in \
        refused.content.decode()
    alice.force_login(personas.dana)  # the auditor's direct download is held back the same way
    auditor_page = alice.get(f"{base}/").content.decode()
    assert 'id="download-prospect"' not in auditor_page and none_yet in auditor_page
    assert alice.get(f"{base}/download/?copy=prospect")["Location"] == f"{base}/"
    alice.force_login(personas.alice)

    # Reviewing one answer offers the copy; the save swaps the button in, without reloading the page.
    first = DraftAnswer.objects.get(question_id="1")
    saved = alice.post(f"/o/acme/questionnaires/answers/{first.pk}/",
                       {f"a{first.pk}-answer": "No", f"a{first.pk}-explanation": "", f"a{first.pk}-reviewed": "on"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'<span id="prospect-copy" hx-swap-oob="true">.*id="prepare-prospect">Prepare copy to send '
                     r"\(1 reviewed answer\)", saved, flags=re.S)
    assert 'id="prepare-prospect"' in alice.get(f"{base}/").content.decode()
    assert alice.post(f"{base}/copies/prospect/prepare/").status_code == 302
    assert ExportJob.objects.filter(kind="questionnaire-prospect").count() == 1
