"""The questionnaire screens: uploads, asks across files, scoping, reviewing answers and the filled copy."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from socready.audit.models import AuditEvent
from socready.programs.models import Control, ScopingProfile
from socready.questionnaires.models import DraftAnswer, KnownAnswer, Questionnaire, ReadState
from socready.questionnaires.services_reading import queue_questionnaire, read_and_draft
from socready.storage.blobs import LocalBlobStore, blob_store
from tests.integration.conftest import Personas
from tests.integration.test_questionnaires_cli import build_program
from tests.xlsx_parts import padded_rows, stream_sheet

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "questionnaires"


def workbook_bytes(*questions: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Questions"
    sheet.append(["ID", "Question", "Answer"])
    for number, text in enumerate(questions, start=1):
        sheet.append([f"Q{number}", text, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = workbook_bytes("Do you hold a current SOC 2 Type II report?",
                      "Is multi-factor authentication enforced for administrator logins?",
                      "How many employees have access to production?")
CSV = b"ID,Question,Answer\n1,Please share your SOC 2 Type II report.,\n2,Do you also have a SOC 1 report?,\n"


def upload(client: Client, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    return client.post("/o/acme/questionnaires/", {"files": [SimpleUploadedFile(n, c) for n, c in files]},
                       follow=True)


def stored(content: bytes) -> bool:
    store = blob_store()
    return isinstance(store, LocalBlobStore) and store.exists(hashlib.sha256(content).hexdigest())


@pytest.fixture
def alice(client: Client, personas: Personas) -> Client:
    build_program(personas.acme)
    client.force_login(personas.alice)
    return client


def test_upload_stores_readable_files_drafts_answers_and_refuses_a_protected_one(alice: Client) -> None:
    protected = (FIXTURES / "bad" / "protected.xlsx").read_bytes()
    page = upload(alice, ("prospect.xlsx", XLSX), ("vendor.csv", CSV), ("locked.xlsx", protected)).content.decode()
    assert "Stored 2 questionnaires with 5 questions" in page
    assert "Not stored: locked.xlsx: the workbook is password-protected" in page
    assert sorted(Questionnaire.objects.exclude(state=ReadState.FAILED).values_list("file_name", flat=True)) == [
        "prospect.xlsx", "vendor.csv"]
    # Read by the task, not the request: the refused file keeps a failed row with the reason, not the file.
    assert "password-protected" in Questionnaire.objects.get(file_name="locked.xlsx").error
    assert stored(XLSX) and stored(CSV) and not stored(protected)
    answers = {a.question_id: a for a in DraftAnswer.objects.filter(questionnaire__file_name="prospect.xlsx")}
    assert answers["Q2"].answer == "Yes" and answers["Q2"].controls[0]["code"] == "IAM-05"
    assert answers["Q1"].answer == "No" and "SOC 2 Type II planned" in answers["Q1"].explanation
    assert answers["Q3"].answer == "" and answers["Q3"].needs_review
    assert AuditEvent.objects.filter(model="questionnaires.DraftAnswer", action="create").count() == 5


def test_a_workbook_that_would_unzip_far_beyond_its_size_is_not_stored(alice: Client, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(XLSX)
    bomb = stream_sheet(path, padded_rows(4000)).read_bytes()
    page = upload(alice, ("bomb.xlsx", bomb)).content.decode()
    assert "Not stored: bomb.xlsx: the part xl/worksheets/sheet1.xml unzips to" in page
    assert "looks like a decompression bomb" in page
    assert Questionnaire.objects.get().state == ReadState.FAILED and not stored(bomb)


def test_the_list_adds_up_what_the_files_ask_for(alice: Client) -> None:
    upload(alice, ("prospect.xlsx", XLSX), ("vendor.csv", CSV), ("broken.docx", b"not a zip at all"))
    page = alice.get("/o/acme/questionnaires/").content.decode()
    assert "2 of 2 ask for SOC 2 Type II" in page and "1 of 2 ask for SOC 1" in page
    assert "Use these asks in scoping" in page


@pytest.mark.parametrize(("name", "content", "message", "read"), [
    ("broken.docx", b"not a zip at all", "broken.docx: not a readable .docx document", True),
    ("notes.rtf", b"{\\rtf1 Do you have a SOC 2?}", "notes.rtf: not a questionnaire format", False),
    ("empty.csv", b"", "empty.csv: the file is empty", False),
    ("cover-letter.txt", b"Thank you for your interest.\nWe will be in touch.\n", "no questions were found", True),
])
def test_an_unusable_upload_says_why_and_stores_nothing(alice: Client, name: str, content: bytes,
                                                       message: str, read: bool) -> None:
    events = AuditEvent.objects.count()
    page = upload(alice, (name, content)).content.decode()
    assert message in page
    if read:  # refused by the task that reads it: a failed row with the reason stays, the file does not
        failed = Questionnaire.objects.get()
        assert failed.state == ReadState.FAILED and message.split(": ")[-1] in failed.error
    else:  # refused by its name or size before anything is stored
        assert not Questionnaire.objects.exists() and AuditEvent.objects.count() == events
    assert not stored(content)


def test_upload_limits_refuse_the_whole_upload_with_the_limit_named(
        alice: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_FILES = 1
    page = upload(alice, ("a.xlsx", XLSX), ("b.csv", CSV)).content.decode()
    assert "2 files sent; at most 1 per upload" in page
    settings.MAX_UPLOAD_FILES = 20
    settings.MAX_UPLOAD_BYTES = 100
    page = upload(alice, ("a.xlsx", XLSX)).content.decode()
    assert "a.xlsx: larger than the limit" in page
    assert not Questionnaire.objects.exists()


def test_a_file_name_is_stripped_of_folders_and_control_characters(alice: Client) -> None:
    upload(alice, ("../../etc/evil\x07name.csv", CSV))
    assert Questionnaire.objects.get().file_name == "evilname.csv"


def test_saving_asks_to_scoping_replaces_earlier_questionnaire_asks_and_keeps_typed_ones(
        alice: Client, personas: Personas) -> None:
    ScopingProfile.objects.create(organization=personas.acme, answers={
        "name": "Acme", "prospect_asks": [{"source": "Big customer", "report": "SOC 1"}]})
    upload(alice, ("prospect.xlsx", XLSX), ("vendor.csv", CSV))
    for _ in range(2):
        assert alice.post("/o/acme/questionnaires/scoping/").status_code == 302
    asks = ScopingProfile.objects.get(organization=personas.acme).answers["prospect_asks"]
    assert {"source": "Big customer", "report": "SOC 1"} in asks
    assert {"source": "questionnaire prospect.xlsx", "report": "SOC 2", "type": "Type II"} in asks
    assert {"source": "questionnaire vendor.csv", "report": "SOC 1"} in asks
    assert len(asks) == 4


def test_a_contributor_edits_and_reviews_an_answer_with_htmx_and_the_trail_records_it(
        client: Client, personas: Personas) -> None:
    build_program(personas.acme)
    client.force_login(personas.bob)
    upload(client, ("prospect.xlsx", XLSX))
    row = DraftAnswer.objects.get(question_id="Q3")
    prefix = f"a{row.pk}"
    response = client.post(f"/o/acme/questionnaires/answers/{row.pk}/",
                           {f"{prefix}-answer": "Partial", f"{prefix}-explanation": "About 12 engineers.",
                            f"{prefix}-reviewed": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<article") and "Saved" in fragment and "reviewed by Bob" in fragment
    row.refresh_from_db()
    assert (row.answer, row.explanation, row.reviewed, row.edited, row.reviewed_by) == \
        ("Partial", "About 12 engineers.", True, True, personas.bob)
    event = AuditEvent.objects.filter(model="questionnaires.DraftAnswer", action="update").latest("id")
    assert event.after["answer"] == "Partial" and event.organization_id == personas.acme.pk


def test_an_invalid_answer_is_refused_and_nothing_changes(alice: Client) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    row = DraftAnswer.objects.get(question_id="Q2")
    response = alice.post(f"/o/acme/questionnaires/answers/{row.pk}/", {f"a{row.pk}-answer": "Maybe"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    row.refresh_from_db()
    assert row.answer == "Yes" and not row.edited


def test_the_auditor_reads_and_downloads_but_cannot_edit(client: Client, personas: Personas) -> None:
    build_program(personas.acme)
    client.force_login(personas.alice)
    upload(client, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    row = DraftAnswer.objects.get(question_id="Q2")
    client.force_login(personas.dana)
    page = client.get(f"/o/acme/questionnaires/{questionnaire.pk}/").content.decode()
    assert "MFA policy export" in page and "<form method=\"post\" action=\"/o/acme/questionnaires/answers" not in page
    assert client.get(f"/o/acme/questionnaires/{questionnaire.pk}/download/").status_code == 200
    response = client.post(f"/o/acme/questionnaires/answers/{row.pk}/", {f"a{row.pk}-answer": "No"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.answer == "Yes"


def test_the_download_is_the_original_filled_with_the_current_answers(alice: Client) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    row = DraftAnswer.objects.get(question_id="Q3")
    alice.post(f"/o/acme/questionnaires/answers/{row.pk}/",
               {f"a{row.pk}-answer": "Yes", f"a{row.pk}-explanation": "=cmd|' /C calc'!A0",
                f"a{row.pk}-reviewed": "on"})
    response = alice.get(f"/o/acme/questionnaires/{questionnaire.pk}/download/")
    assert response.status_code == 200
    assert 'filename="prospect-answered.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Questions"]
    assert [sheet[f"C{r}"].value for r in (2, 3, 4)] == ["No", "Yes", "Yes"]
    notes = [c.value for c in sheet[4]]
    joined = " ".join(str(v) for v in notes)
    assert any(str(v).startswith("'=cmd") for v in notes) and "Reviewed." in joined
    assert "alice@example.test" not in joined  # the copy goes to a prospect: no staff addresses
    assert stored(XLSX)  # the original is still stored, unchanged, under its own hash


def test_a_download_of_a_damaged_stored_file_is_refused(alice: Client) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    store = blob_store()
    assert isinstance(store, LocalBlobStore)
    path = store.path(questionnaire.sha256)
    path.write_bytes(b"tampered")
    try:
        response = alice.get(f"/o/acme/questionnaires/{questionnaire.pk}/download/")
        assert response.status_code == 409 and b"SHA-256" in response.content
    finally:
        path.write_bytes(XLSX)


def test_drafting_again_follows_the_program_but_keeps_edited_answers(alice: Client, personas: Personas) -> None:
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    mfa = DraftAnswer.objects.get(question_id="Q2")
    people = DraftAnswer.objects.get(question_id="Q3")
    alice.post(f"/o/acme/questionnaires/answers/{people.pk}/",
               {f"a{people.pk}-answer": "", f"a{people.pk}-explanation": "Eleven engineers."})
    Control.objects.filter(organization=personas.acme, code="IAM-05").update(status="in_progress")
    assert alice.post(f"/o/acme/questionnaires/{questionnaire.pk}/redraft/").status_code == 302
    mfa.refresh_from_db()
    people.refresh_from_db()
    assert mfa.answer == "Partial" and "not implemented yet" in mfa.review_reason
    assert people.explanation == "Eleven engineers."


def test_removing_a_questionnaire_removes_its_answers_and_file(alice: Client,
                                                               django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    upload(alice, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    sha256 = questionnaire.sha256
    assert blob_store().exists(sha256)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(f"/o/acme/questionnaires/{questionnaire.pk}/delete/")
    assert response.status_code == 302
    assert not Questionnaire.objects.exists() and not DraftAnswer.objects.exists()
    assert AuditEvent.objects.filter(model="questionnaires.Questionnaire", action="delete").exists()
    assert not blob_store().exists(sha256)


def test_a_file_shared_by_two_questionnaires_stays_until_both_are_removed(
        alice: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    upload(alice, ("prospect.xlsx", XLSX))
    upload(alice, ("same-prospect.xlsx", XLSX))
    first, second = Questionnaire.objects.order_by("pk")
    assert first.sha256 == second.sha256
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(f"/o/acme/questionnaires/{first.pk}/delete/")
    assert blob_store().exists(second.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(f"/o/acme/questionnaires/{second.pk}/delete/")
    assert not blob_store().exists(second.sha256)


def test_an_outsider_cannot_see_or_change_another_organizations_questionnaire(client: Client,
                                                                             personas: Personas) -> None:
    build_program(personas.acme)
    client.force_login(personas.alice)
    upload(client, ("prospect.xlsx", XLSX))
    questionnaire = Questionnaire.objects.get()
    row = DraftAnswer.objects.first()
    assert row is not None
    client.force_login(personas.charlie)
    assert client.get(f"/o/acme/questionnaires/{questionnaire.pk}/").status_code == 404
    assert client.get(f"/o/other/questionnaires/{questionnaire.pk}/").status_code == 404
    assert client.post(f"/o/other/questionnaires/answers/{row.pk}/", {f"a{row.pk}-answer": "No"}).status_code == 404
    assert client.get(f"/o/other/questionnaires/{questionnaire.pk}/download/").status_code == 404


def test_the_copy_to_send_holds_only_reviewed_answers_and_no_internal_notes(alice: Client) -> None:
    upload(alice, ("vendor.csv", CSV))
    questionnaire = Questionnaire.objects.get()
    first = DraftAnswer.objects.get(question_id="1")
    first.answer, first.explanation, first.reviewed = "No", "The SOC 2 Type II period ends in June.", True
    first.save()
    working = alice.get(f"/o/acme/questionnaires/{questionnaire.pk}/download/")
    assert "Notes (socready draft)" in b"".join(working.streaming_content).decode()
    response = alice.get(f"/o/acme/questionnaires/{questionnaire.pk}/download/?copy=prospect")
    assert response.status_code == 200 and "vendor-reviewed-answers.csv" in response["Content-Disposition"]
    rows = b"".join(response.streaming_content).decode().splitlines()
    # The file has its own answer column, so the copy to send gains no column: only the answer goes in.
    assert rows == ['"ID","Question","Answer"',
                    '"1","Please share your SOC 2 Type II report.","No"',
                    '"2","Do you also have a SOC 1 report?",""']


def test_a_reviewed_answer_is_kept_and_reused_in_the_next_questionnaire(alice: Client) -> None:
    upload(alice, ("vendor.csv", CSV))
    first = DraftAnswer.objects.get(question_id="1")
    response = alice.post(f"/o/acme/questionnaires/answers/{first.pk}/", {
        f"a{first.pk}-answer": "No", f"a{first.pk}-explanation": "Our first SOC 2 period ends in June.",
        f"a{first.pk}-reviewed": "on"})
    assert response.status_code in (200, 302)
    known = KnownAnswer.objects.get()
    assert (known.answer, known.source) == ("No", "vendor.csv")
    upload(alice, ("next.csv", CSV))
    again = DraftAnswer.objects.filter(questionnaire__file_name="next.csv", question_id="1").get()
    assert (again.answer, again.kind, again.explanation) == ("No", "reused", "Our first SOC 2 period ends in June.")


def test_confident_drafts_are_accepted_in_bulk_by_section_and_the_counters_follow_a_save(alice: Client) -> None:
    upload(alice, ("vendor.csv", CSV))
    questionnaire = Questionnaire.objects.get()
    sure, unsure = DraftAnswer.objects.order_by("position")
    DraftAnswer.objects.filter(pk=sure.pk).update(answer="Yes", confidence=0.9, review_reason="", section="Reports")
    DraftAnswer.objects.filter(pk=unsure.pk).update(answer="No", confidence=0.5, review_reason="loose match",
                                                    section="Reports")
    page = alice.get(f"/o/acme/questionnaires/{questionnaire.pk}/?section=Reports").content.decode()
    assert "Accept confident drafts in this section" in page
    alice.post(f"/o/acme/questionnaires/{questionnaire.pk}/accept/", {"section": "Reports"})
    assert [r.reviewed for r in DraftAnswer.objects.order_by("position")] == [True, False]
    assert KnownAnswer.objects.filter(question=sure.text).exists()  # kept for the next questionnaire
    # Saving one answer through htmx returns the card and the counters, swapped in out of band.
    fields = {f"a{unsure.pk}-answer": "Yes", f"a{unsure.pk}-explanation": "", f"a{unsure.pk}-reviewed": "on"}
    response = alice.post(f"/o/acme/questionnaires/answers/{unsure.pk}/", fields, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="qa-stats" hx-swap-oob="true"' in body
    assert 'data-testid="count-reviewed">2<' in body and 'data-testid="count-yes">2<' in body


def test_questionnaire_pages_carry_no_inline_script(alice: Client) -> None:
    upload(alice, ("vendor.csv", CSV))
    questionnaire = Questionnaire.objects.get()
    for url in ("/o/acme/questionnaires/", f"/o/acme/questionnaires/{questionnaire.pk}/"):
        page = alice.get(url).content.decode()
        assert "<script>" not in page and "onsubmit=" not in page and "onclick=" not in page
        assert "socready/app.js" in page  # confirmations and the file-count check come from the shared script


def test_a_queued_upload_shows_its_progress_until_the_background_drafting_is_done(
        alice: Client, personas: Personas) -> None:
    # As with a worker: the request only stores the file; reading and drafting wait in the queue.
    queued = queue_questionnaire(personas.acme, personas.alice, SimpleUploadedFile("vendor.csv", CSV))
    assert (queued.state, queued.question_count, queued.asks, DraftAnswer.objects.count()) == (
        ReadState.QUEUED, 0, [], 0)
    page = alice.get(f"/o/acme/questionnaires/{queued.pk}/").content.decode()
    assert 'id="reading-progress"' in page and "every 1s" in page
    waiting = alice.get(f"/o/acme/questionnaires/{queued.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in waiting and "Queued" in waiting.content.decode()
    assert read_and_draft(queued.pk) == "drafted 2 answers"
    queued.refresh_from_db()
    assert (queued.state, queued.progress, DraftAnswer.objects.count()) == (ReadState.READY, 100, 2)
    assert queued.question_count == 2 and queued.asks[0]["report"] == "SOC 2"
    done = alice.get(f"/o/acme/questionnaires/{queued.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "count-yes" in alice.get(f"/o/acme/questionnaires/{queued.pk}/").content.decode()


def test_in_a_task_worker_the_file_is_read_in_a_child_held_to_the_limits(
        personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker parses strangers' files in a child process it can stop: a reader that never ends is killed
    # at the time limit and the row fails saying so, while the worker goes on.
    import time

    from socready.io.sandbox import SandboxLimits

    monkeypatch.setattr("socready.questionnaires.services_reading.in_worker", lambda: True)
    monkeypatch.setattr("socready.questionnaires.services_reading.reading_limits",
                        lambda: SandboxLimits(seconds=1.0, memory_bytes=1024 * 1024 * 1024))
    monkeypatch.setattr("socready.io.questionnaire.bounded.read_questionnaire", lambda *a, **k: time.sleep(600))
    queued = queue_questionnaire(personas.acme, personas.alice, SimpleUploadedFile("prospect.xlsx", XLSX))
    outcome = read_and_draft(queued.pk)
    queued.refresh_from_db()
    assert queued.state == ReadState.FAILED and outcome.startswith("failed")
    assert "took longer than 1 seconds, the limit" in queued.error
    assert not stored(XLSX)
    monkeypatch.undo()
    # Within the limits the same path reads it (in a child) and drafts every answer.
    monkeypatch.setattr("socready.questionnaires.services_reading.in_worker", lambda: True)
    again = queue_questionnaire(personas.acme, personas.alice, SimpleUploadedFile("prospect.xlsx", XLSX))
    assert read_and_draft(again.pk) == "drafted 3 answers"


def test_a_polling_page_reloads_when_the_read_is_refused_so_the_remove_button_shows(
        alice: Client, personas: Personas) -> None:
    queued = queue_questionnaire(personas.acme, personas.alice, SimpleUploadedFile("broken.xlsx", b"not a zip"))
    assert read_and_draft(queued.pk).startswith("failed")
    poll = alice.get(f"/o/acme/questionnaires/{queued.pk}/progress/", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true" and "could not be read" in poll.content.decode()
    assert "Remove this note?" in alice.get(f"/o/acme/questionnaires/{queued.pk}/").content.decode()


def test_one_uploaded_file_is_counted_as_one_questionnaire(alice: Client) -> None:
    page = upload(alice, ("vendor.csv", CSV)).content.decode()
    assert "Stored 1 questionnaire with 2 questions" in page and "questionnaire(s)" not in page
