"""The dashboard guides: readiness per engagement, a checklist that ticks itself, the next things to do."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from socready.accounts.models import Membership, Role
from socready.evidence.models import EvidenceRequest
from socready.programs.models import Control, Engagement, RemediationTask
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import add_evidence


def _step_done(page: str, key: str) -> bool:
    match = re.search(rf'data-testid="step-{key}" data-done="(yes|no)"', page)
    assert match, f"no checklist step {key}"
    return match.group(1) == "yes"


def test_the_checklist_ticks_itself_as_the_program_grows(client: Client, personas: Personas, settings,  # type: ignore[no-untyped-def]
                                                         tmp_path) -> None:
    settings.EVIDENCE_DIR = tmp_path
    org = personas.acme
    Membership.objects.filter(organization=org, role=Role.AUDITOR).delete()
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    assert all(not _step_done(page, k) for k in ("scope", "controls", "owners", "evidence", "window", "auditor"))
    assert "0 of 6 done" in page

    engagement = Engagement.objects.create(organization=org, report="soc2", report_type="type2",
                                           categories=["Security"])
    control = Control.objects.create(organization=org, code="AC-1", title="Access review", criteria=["CC6.1"])
    control.engagements.add(engagement)
    page = client.get("/o/acme/").content.decode()
    assert _step_done(page, "scope") and _step_done(page, "controls")
    assert not _step_done(page, "owners") and not _step_done(page, "window")  # no owner, no window yet
    assert 'href="/o/acme/controls/?owner=none"' in page

    control.owner = personas.bob
    control.save()
    engagement.period_start, engagement.period_end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    engagement.save()
    add_evidence(org, control, "Q1 review", b"signed")
    Membership.objects.create(organization=org, user=personas.charlie, role=Role.AUDITOR)
    page = client.get("/o/acme/").content.decode()
    assert all(_step_done(page, k) for k in ("scope", "controls", "owners", "evidence", "window", "auditor"))
    assert "6 of 6 done" in page


def test_readiness_is_shown_per_engagement_beside_coverage_by_design(client: Client, personas: Personas) -> None:
    org = personas.acme
    as_of = timezone.localdate() + dt.timedelta(days=30)
    engagement = Engagement.objects.create(organization=org, report="soc2", report_type="type1", as_of_date=as_of,
                                           categories=["Security"])
    control = Control.objects.create(organization=org, code="C-1", title="x", criteria=["CC8.1"], status="designed")
    control.engagements.add(engagement)
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    assert "1 of 33 covered by design" in page
    assert f'data-testid="ready-{engagement.pk}">0 of 33 ready' in page
    assert re.search(rf'data-testid="score-{engagement.pk}">\d+/100', page)
    chart = page.split('data-testid="readiness-chart"')[0].rsplit("<svg", 1)[1]
    assert 'role="img"' in chart and 'aria-label="Readiness by engagement: SOC 2 Type I' in chart
    assert 'data-testid="dashboard-ready-date">' in page


def test_next_things_put_overdue_work_first(client: Client, personas: Personas) -> None:
    org = personas.acme
    today = timezone.localdate()
    RemediationTask.objects.create(organization=org, title="Later work", due_date=today + dt.timedelta(days=40))
    RemediationTask.objects.create(organization=org, title="Late work", due_date=today - dt.timedelta(days=2),
                                   owner=personas.alice)
    EvidenceRequest.objects.create(organization=org, code="R-1", title="Change tickets",
                                   due_date=today - dt.timedelta(days=5))
    EvidenceRequest.objects.create(organization=org, code="R-2", title="Accepted already", status="accepted",
                                   due_date=today - dt.timedelta(days=5))
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    box = page.split('data-testid="next-things"')[1].split("</section>")[0]
    # Overdue first (the person's own before others'), then the rest by due date.
    assert box.index("Late work") < box.index("R-1 Change tickets") < box.index("Later work")
    assert "Accepted already" not in box and "yours" in box


def test_someone_in_one_organization_lands_on_its_dashboard(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    assert client.get("/")["Location"] == "/o/acme/"
    assert "Your organizations" in client.get("/?all=1").content.decode()
    Membership.objects.create(organization=personas.other, user=personas.bob, role=Role.CONTRIBUTOR)
    assert client.get("/").status_code == 200  # two organizations: the list to choose from


def test_evidence_is_added_from_the_control_page_with_the_control_chosen(client: Client, personas: Personas,  # type: ignore[no-untyped-def]
                                                                        settings, tmp_path) -> None:
    settings.EVIDENCE_DIR = tmp_path
    control = Control.objects.create(organization=personas.acme, code="AC-9", title="Badge access reviewed")
    Control.objects.create(organization=personas.acme, code="AC-8", title="Other")
    client.force_login(personas.bob)
    detail = client.get(f"/o/acme/controls/{control.pk}/").content.decode()
    assert f'href="/o/acme/evidence/new/?control={control.pk}"' in detail
    form = client.get(f"/o/acme/evidence/new/?control={control.pk}").content.decode()
    assert f'<option value="{control.pk}" selected>AC-9 Badge access reviewed</option>' in form
    assert "socready/evidence-form.js" in form and "<script>" not in form  # behaviour from a static file only
    response = client.post(f"/o/acme/evidence/new/?control={control.pk}", {
        "kind": "note", "title": "Badge review March", "effective_date": "2026-03-31", "controls": [control.pk],
        "text": "Reviewed 40 badges."})
    assert response["Location"] == f"/o/acme/controls/{control.pk}/"
    assert control.evidence_items.get().title == "Badge review March"
    client.force_login(personas.dana)
    assert client.get(f"/o/acme/evidence/new/?control={control.pk}").status_code == 403


def test_dates_shown_without_an_explicit_format_are_iso_like_the_rest_of_the_dashboard(
        client: Client, personas: Personas) -> None:
    due = timezone.localdate() - dt.timedelta(days=2)
    RemediationTask.objects.create(organization=personas.acme, title="Late work", due_date=due, owner=personas.alice)
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    assert f"Late work</a> — due {due.isoformat()}" in page
