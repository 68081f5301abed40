"""The audit trail page reads as a list of changes: named objects, field: before -> after, long values folded."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socready.audit.display import SHORT_LIMIT, model_label
from socready.programs.models import Control
from socready.questionnaires.models import DraftAnswer, Questionnaire
from tests.factories import ControlFactory, UserFactory
from tests.integration.conftest import Personas


def _page(client: Client, personas: Personas, query: str = "") -> str:
    client.force_login(personas.dana)  # the auditor reads the trail like everyone else
    response = client.get(f"/o/acme/audit/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _row_of(html: str, subject: str) -> str:
    """The table row whose What cell names ``subject``."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    matching = [row for row in rows if subject in row]
    assert matching, f"no row mentions {subject}"
    return matching[0]


def test_an_update_lists_only_the_changed_fields_as_before_and_after(client: Client, personas: Personas,
                                                                     program: dict[str, object]) -> None:
    control = Control.objects.get(pk=program["shared"].pk)  # type: ignore[attr-defined]
    control.status = "operating"
    control.save()

    row = _row_of(_page(client, personas, "?action=update"), f"Control #{control.pk}")
    assert "Changed" in row
    assert re.search(r"<dt>Status</dt>\s*<dd>.*Not started.*→.*Operating.*</dd>", row, flags=re.S)
    assert "<dt>Title</dt>" not in row  # unchanged fields stay out of an update
    assert "{'" not in row and "programs.Control" not in row  # no raw dict text, no model label


def test_a_created_answer_is_named_in_words_and_long_values_are_shortened_with_the_full_text_kept(
        client: Client, personas: Personas) -> None:
    questionnaire = Questionnaire.objects.create(organization=personas.acme, file_name="prospect.csv",
                                                 sha256="0" * 64)
    explanation = "Access reviews run every quarter and are signed off by the system owner. " * 4
    answer = DraftAnswer.objects.create(questionnaire=questionnaire, position=1, question_id="Q1",
                                        text="Do you review access?", location="row 2", answer="Yes",
                                        explanation=explanation)

    html = _page(client, personas)
    row = _row_of(html, f"Questionnaire answer #{answer.pk}")
    assert "Created" in row and "questionnaires.DraftAnswer" not in row
    assert "<dt>Questionnaire</dt>" in row and f"#{questionnaire.pk}" in row  # a reference reads as one
    # The explanation is longer than the limit: a shortened summary, with the whole text behind it.
    summary = re.search(r'<details class="audit-value after"><summary>([^<]*)</summary><pre>([^<]*)</pre>', row)
    assert summary is not None
    assert len(summary.group(1)) <= SHORT_LIMIT and summary.group(1).endswith("…")
    assert summary.group(2) == explanation.replace("'", "&#x27;")
    # The filter offers readers' names for records, keeping the stored label as the value.
    assert '<option value="questionnaires.DraftAnswer" >Questionnaire answer</option>' in html


def test_long_create_events_fold_the_remaining_fields(client: Client, personas: Personas) -> None:
    questionnaire = Questionnaire.objects.create(organization=personas.acme, file_name="prospect.csv",
                                                 sha256="0" * 64)
    answer = DraftAnswer.objects.create(
        questionnaire=questionnaire, position=1, question_id="Q1", text="Do you review access?",
        location="row 2", section="Access", answer="Yes", explanation="Quarterly.", confidence=0.8,
        review_reason="check the owner", controls=[{"code": "IAM-03", "title": "Access review", "status": "operating"}])

    row = _row_of(_page(client, personas), f"Questionnaire answer #{answer.pk}")
    folded = re.search(r'<details class="more-fields"><summary>(\d+) more fields?</summary>(.*?)</details>', row,
                       flags=re.S)
    assert folded is not None and int(folded.group(1)) >= 2
    # Records inside a value read as key: value pairs, not as JSON or Python text.
    assert "code: IAM-03, title: Access review, status: operating" in row


def test_the_person_filter_is_a_typed_search_box(client: Client, personas: Personas) -> None:
    html = _page(client, personas, "?actor=a%26b")
    assert '<input type="search" id="actor" name="actor" value="a&amp;b"' in html


def test_people_in_field_values_are_named_as_the_other_pages_name_them(client: Client, personas: Personas,
                                                                       program: dict[str, object]) -> None:
    nameless = UserFactory(email="nameless@example.test", first_name="", last_name="")
    control = Control.objects.get(pk=program["shared"].pk)  # type: ignore[attr-defined]
    control.owner = nameless
    control.save()
    control.owner = personas.bob
    control.save()

    html = _page(client, personas, "?action=update")
    row = _row_of(html, f"Control #{control.pk}")
    assert re.search(r"<dt>Owner</dt>\s*<dd>.*nameless@example\.test.*→.*Bob.*</dd>", row, flags=re.S)
    assert f"#{personas.bob.pk}" not in row and f"#{nameless.pk}" not in row
    # A reference to anything but a person still reads as an id.
    questionnaire = Questionnaire.objects.create(organization=personas.acme, file_name="q.csv", sha256="0" * 64,
                                                 uploaded_by=personas.alice)
    answer = DraftAnswer.objects.create(questionnaire=questionnaire, position=1, question_id="Q1", text="Q?",
                                        location="row 2", answer="Yes")
    html = _page(client, personas, "?action=create")
    uploaded = _row_of(html, f"{model_label('questionnaires.Questionnaire')} #{questionnaire.pk}")
    assert re.search(r"<dt>Uploaded by</dt>\s*<dd>.*Alice.*</dd>", uploaded, flags=re.S)
    assert f"#{questionnaire.pk}" in _row_of(html, f"Questionnaire answer #{answer.pk}")


def test_the_people_of_a_page_are_named_in_one_query(client: Client, personas: Personas) -> None:
    def owned_controls(count: int) -> None:
        for _ in range(count):
            ControlFactory(organization=personas.acme, owner=UserFactory())

    owned_controls(1)
    client.force_login(personas.dana)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/o/acme/audit/").status_code == 200
    owned_controls(5)
    with CaptureQueriesContext(connection) as six:
        assert client.get("/o/acme/audit/").status_code == 200
    assert len(six.captured_queries) == len(one.captured_queries)
