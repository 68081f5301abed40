"""Readiness is scored once per change of the program, and every change shows at once on the next page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from socready import snapshot
from socready.evidence.models import EvidenceRequest
from socready.evidence.services import generate_requests
from socready.programs.models import Control, ControlStatus, RemediationTask
from socready.reports import page as page_module
from socready.reports import services
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import Program, make_program
from tests.integration.test_reports_web import gap_button


@pytest.fixture
def reports_program(personas: Personas, settings, tmp_path_factory) -> Program:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")
    return make_program(personas)


def _overall(page: str) -> int:
    match = re.search(r'data-testid="overall">(\d+)<', page)
    assert match, "no overall figure on the page"
    return int(match.group(1))


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = snapshot.build_view

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "build_view", counting)
    return calls


def test_pages_share_one_scoring_until_the_program_changes(
        client: Client, personas: Personas, reports_program: Program, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _count_builds(monkeypatch)
    client.force_login(personas.alice)
    first = client.get("/o/acme/readiness/").content.decode()
    client.get("/o/acme/readiness/")
    client.get("/o/acme/downloads/")
    assert len(builds) == 1, "the program was read again although nothing changed"

    # Any audited write is a new program version: the next page scores again and shows it.
    for row in Control.objects.filter(organization=personas.acme):
        row.status = ControlStatus.OPERATING
        row.save()
    after = client.get("/o/acme/readiness/").content.decode()
    assert len(builds) == 2
    assert _overall(after) != _overall(first)


def test_a_status_changed_on_the_control_page_moves_the_score_at_once(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.alice)
    before = _overall(client.get("/o/acme/readiness/").content.decode())
    for row in Control.objects.filter(organization=personas.acme):
        row.status = ControlStatus.NOT_STARTED
        row.save()
    after = _overall(client.get("/o/acme/readiness/").content.decode())
    assert after < before
    # And a task created from a gap shows as tracked straight away.
    page = client.get("/o/acme/readiness/").content.decode()
    key = re.search(r'data-testid="gap-([a-z0-9]+:[^"]+)"', page)
    assert key
    client.post("/o/acme/readiness/tasks/", {"gap": gap_button(page, key.group(1))})
    row = client.get("/o/acme/readiness/").content.decode().split(f'data-testid="gap-{key.group(1)}"')[1]
    assert "tracked" in row.split("</tr>")[0]


def test_the_pbc_list_pages_and_marks_overdue_requests(client: Client, personas: Personas,
                                                       reports_program: Program) -> None:
    generate_requests(personas.acme)
    org = personas.acme
    base = EvidenceRequest.objects.filter(organization=org).first()
    assert base is not None
    for n in range(30):
        EvidenceRequest.objects.create(organization=org, code=f"Z-{n:03d}", title=f"Extra {n}",
                                       due_date=dt.date(2020, 1, 1) if n == 29 else None)
    client.force_login(personas.alice)
    first = client.get("/o/acme/requests/").content.decode()
    total = EvidenceRequest.objects.filter(organization=org).count()
    assert f"Requests 1–25 of {total}" in first and first.count('<tr data-testid="request-') == 25
    rest = client.get("/o/acme/requests/?page=2").content.decode()
    assert rest.count('<tr data-testid="request-') == total - 25
    assert 'data-testid="overdue-Z-029"' in rest and 'class="overdue-row"' in rest
    assert "1 overdue" in first
    # An accepted request is never overdue (an audited change, as every change in the app: a new version).
    accepted = EvidenceRequest.objects.get(organization=org, code="Z-029")
    accepted.status = "accepted"
    accepted.save()
    assert 'data-testid="overdue-Z-029"' not in client.get("/o/acme/requests/?page=2").content.decode()


def test_creating_a_task_or_building_the_pbc_list_never_scores_inside_the_post(
        client: Client, personas: Personas, reports_program: Program, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _count_builds(monkeypatch)
    scorings: list[int] = []
    real_assess = services.assess

    def counting_assess(*args, **kwargs):  # type: ignore[no-untyped-def]
        scorings.append(1)
        return real_assess(*args, **kwargs)

    monkeypatch.setattr(services, "assess", counting_assess)
    client.force_login(personas.alice)
    page = client.get("/o/acme/readiness/").content.decode()
    keys = re.findall(r'data-testid="gap-([a-z0-9]+:[^"]+)"', page)
    assert len(keys) >= 2 and (len(builds), len(scorings)) == (1, 1)

    # The first click changes the program; the second, from the same page, must not score that change.
    for key in keys[:2]:
        response = client.post("/o/acme/readiness/tasks/", {"gap": gap_button(page, key)})
        assert response.status_code == 302
    response = client.post("/o/acme/requests/generate/")
    assert response.status_code == 302
    assert (len(builds), len(scorings)) == (1, 1), "a POST scored the program"
    assert RemediationTask.objects.filter(organization=personas.acme).count() >= 2

    # The next view scores the changes once and shows both tasks tracking their gaps.
    after = client.get("/o/acme/readiness/").content.decode()
    client.get("/o/acme/")
    assert (len(builds), len(scorings)) == (2, 2)
    for key in keys[:2]:
        assert "tracked" in after.split(f'data-testid="gap-{key}"')[1].split("</tr>")[0]


def test_a_program_scored_by_one_process_is_loaded_not_scored_by_the_others(
        client: Client, personas: Personas, reports_program: Program, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _count_builds(monkeypatch)
    client.force_login(personas.alice)
    first = client.get("/o/acme/readiness/").content.decode()
    assert len(builds) == 1
    # Another web worker is another process: nothing of this one's memory, only the shared folder.
    services._readiness.clear()
    snapshot._views.clear()
    page_module._contexts.clear()
    cache.clear()
    again = client.get("/o/acme/readiness/").content.decode()
    client.get("/o/acme/downloads/")
    assert len(builds) == 1, "the program was read and scored again instead of loaded"
    assert _overall(again) == _overall(first)
