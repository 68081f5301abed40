"""List pages are drawn once per program version, and every change shows on the next view all the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from socready.accounts.models import Role
from socready.evidence.models import EvidenceItem, EvidenceRequest
from socready.programs.models import OrgObjective, RemediationTask
from tests.factories import ControlFactory, EvidenceItemFactory, MembershipFactory
from tests.integration.conftest import Personas


@pytest.fixture
def lists(personas: Personas) -> dict[str, object]:
    org = personas.acme
    control = ControlFactory(organization=org, code="AC-1")
    item = EvidenceItemFactory(organization=org, title="Quarterly access review", controls=[control])
    request = EvidenceRequest.objects.create(organization=org, code="REQ-1", title="User list")
    task = RemediationTask.objects.create(organization=org, title="Write the access policy", control=control)
    return {"control": control, "item": item, "request": request, "task": task}


def test_a_change_shows_at_once_on_every_list_drawn_before_it(
        client: Client, personas: Personas, lists: dict[str, object]) -> None:
    client.force_login(personas.alice)
    pages = ["/o/acme/evidence/", "/o/acme/requests/", "/o/acme/tasks/", "/o/acme/audit/", "/o/acme/objectives/"]
    for path in pages:  # drawn and kept
        assert client.get(path).status_code == 200
    item = lists["item"]
    assert isinstance(item, EvidenceItem)
    item.title = "Access review, Q2"
    item.save()
    request = lists["request"]
    assert isinstance(request, EvidenceRequest)
    request.title, request.due_date = "Active user list", dt.date(2020, 1, 1)
    request.save()
    task = lists["task"]
    assert isinstance(task, RemediationTask)
    task.title = "Publish the access policy"
    task.save()
    OrgObjective.objects.create(organization=personas.acme, code="OBJ-9", title="Payroll is accurate",
                                statement="Payroll runs are complete and accurate.")
    assert "Access review, Q2" in client.get(pages[0]).content.decode()
    requests = client.get(pages[1]).content.decode()
    assert "Active user list" in requests and 'data-testid="overdue-REQ-1"' in requests
    assert "Publish the access policy" in client.get(pages[2]).content.decode()
    trail = client.get(pages[3]).content.decode()
    assert "Publish the access policy" in trail and "OBJ-9" in trail
    assert "Payroll is accurate" in client.get(pages[4]).content.decode()


def test_one_organization_never_sees_a_list_drawn_for_another(
        client: Client, personas: Personas, lists: dict[str, object]) -> None:
    EvidenceItemFactory(organization=personas.other, title="Secret review of Other Co")
    client.force_login(personas.alice)
    assert "Quarterly access review" in client.get("/o/acme/evidence/").content.decode()
    client.force_login(personas.charlie)
    page = client.get("/o/other/evidence/").content.decode()
    assert "Secret review of Other Co" in page and "Quarterly access review" not in page


def test_a_reader_never_gets_the_writers_list_or_form(
        client: Client, personas: Personas, lists: dict[str, object]) -> None:
    client.force_login(personas.alice)
    written = client.get("/o/acme/tasks/").content.decode()
    assert "Add a task" in written and 'name="owner"' in written
    task = lists["task"]
    assert isinstance(task, RemediationTask) and f"/tasks/{task.pk}/" in written
    client.force_login(personas.dana)
    read = client.get("/o/acme/tasks/").content.decode()
    assert "Write the access policy" in read
    assert "Add a task" not in read and 'name="owner"' not in read and f"/tasks/{task.pk}/" not in read


def test_a_list_already_drawn_costs_no_query_of_its_rows(
        client: Client, personas: Personas, lists: dict[str, object],
        django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.alice)
    client.get("/o/acme/evidence/")
    # Session, user, membership, version, the organization switcher and the engagement filter: no evidence rows.
    with django_assert_max_num_queries(6) as captured:
        assert client.get("/o/acme/evidence/").status_code == 200
    assert not any("evidence_evidenceitem" in q["sql"] for q in captured.captured_queries)


def test_an_empty_pbc_list_invites_only_writers_to_build_it(client: Client, personas: Personas) -> None:
    MembershipFactory(organization=personas.other, user=personas.dana, role=Role.AUDITOR)
    client.force_login(personas.charlie)
    assert "Build the list from the controls" in client.get("/o/other/requests/").content.decode()
    client.force_login(personas.dana)
    page = client.get("/o/other/requests/").content.decode()
    assert "No requests yet." in page and "Build the list from the controls" not in page
