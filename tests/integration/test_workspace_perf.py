"""The control list a page at a time and the dashboard's folded counts: same answers, bounded queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socready.accounts.models import Organization
from socready.dashboard.figures import dashboard_figures
from socready.programs.models import Control, Engagement, RemediationTask, ScopingProfile
from socready.programs.services import shared_control_count
from socready.programs.views_controls import CONTROLS_PER_PAGE
from tests.integration.conftest import Personas

ROW = re.compile(r'<tr data-testid="control-([^"]+)">\s*<td class="id"><a href="([^"]+)">')


def _engagements(org: Organization) -> tuple[Engagement, Engagement]:
    soc1 = Engagement.objects.create(organization=org, report="soc1", report_type="type1",
                                     objectives=["ITGC-ACCESS", "ITGC-CHANGE"])
    soc2 = Engagement.objects.create(organization=org, report="soc2", report_type="type1", categories=["Security"])
    return soc1, soc2


def _controls(org: Organization, count: int, *engagements: Engagement, prefix: str = "C", **fields: object
              ) -> list[Control]:
    made = []
    for i in range(count):
        control = Control.objects.create(organization=org, code=f"{prefix}-{i:03d}", title=f"control {i}", **fields)
        if engagements:
            control.engagements.add(*engagements)
        made.append(control)
    return made


def _rows(client: Client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_control_list_shows_a_page_at_a_time_and_every_control_once_over_the_pages(client: Client,
                                                                                  personas: Personas) -> None:
    soc1, soc2 = _engagements(personas.acme)
    _controls(personas.acme, 2 * CONTROLS_PER_PAGE + 7, soc1, soc2)
    client.force_login(personas.bob)

    first = client.get("/o/acme/controls/").content.decode()
    assert f"Controls 1–{CONTROLS_PER_PAGE} of {2 * CONTROLS_PER_PAGE + 7}" in first
    pages = [_rows(client, f"/o/acme/controls/?page={n}") for n in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [CONTROLS_PER_PAGE, CONTROLS_PER_PAGE, 7]
    codes = [code for rows in pages for code, _ in rows]
    assert codes == sorted(codes) and len(set(codes)) == 2 * CONTROLS_PER_PAGE + 7
    assert 'href="?page=2"' in first and 'aria-current="page">1<' in first
    # Out-of-range or malformed page numbers fall back to a real page instead of failing.
    assert _rows(client, "/o/acme/controls/?page=99") == pages[2]
    assert _rows(client, "/o/acme/controls/?page=x") == pages[0]


def test_each_row_links_to_that_controls_own_page(client: Client, personas: Personas) -> None:
    made = _controls(personas.acme, 3)
    client.force_login(personas.alice)
    rows = _rows(client, "/o/acme/controls/")
    assert rows == [(c.code, f"/o/acme/controls/{c.pk}/") for c in made]
    assert made[1].title in client.get(rows[1][1]).content.decode()


def test_rows_show_owner_name_status_label_and_mappings(client: Client, personas: Personas) -> None:
    personas.bob.last_name = "Builder"
    personas.bob.save()
    no_name = personas.dana
    no_name.first_name = ""
    no_name.save()
    Control.objects.create(organization=personas.acme, code="A-1", title="Access review", owner=personas.bob,
                           status="in_progress", criteria=["CC6.1", "CC6.2"], objectives=["ITGC-ACCESS"])
    Control.objects.create(organization=personas.acme, code="A-2", title="Change review", owner=no_name,
                           objectives=["ITGC-CHANGE"], not_applicable=True)
    Control.objects.create(organization=personas.acme, code="A-3", title="Nobody's yet")
    client.force_login(personas.alice)
    page = client.get("/o/acme/controls/").content.decode()
    rows = {code: page[page.index(f'data-testid="control-{code}"'):].split("</tr>", 1)[0]
            for code in ("A-1", "A-2", "A-3")}
    assert "Bob Builder" in rows["A-1"] and "In progress" in rows["A-1"] and "CC6.1, CC6.2 · ITGC-ACCESS" in rows["A-1"]
    assert "dana@example.test" in rows["A-2"] and "not applicable" in rows["A-2"]
    assert '<span class="muted">ITGC-CHANGE</span>' in rows["A-2"]
    assert "<td>—</td>" in rows["A-3"] and "Not started" in rows["A-3"]


def test_page_links_keep_the_filters_and_the_filters_apply_before_paging(client: Client,
                                                                         personas: Personas) -> None:
    soc1, soc2 = _engagements(personas.acme)
    _controls(personas.acme, CONTROLS_PER_PAGE + 5, soc1, soc2, prefix="SH", status="operating")
    _controls(personas.acme, 5, soc2, prefix="S2", status="operating")
    _controls(personas.acme, 4, soc1, prefix="S1", status="designed")
    client.force_login(personas.alice)

    page = client.get("/o/acme/controls/?status=operating&report=shared").content.decode()
    assert f"of {CONTROLS_PER_PAGE + 5}<" in page
    assert 'href="?status=operating&amp;report=shared&amp;page=2"' in page
    second = _rows(client, "/o/acme/controls/?status=operating&report=shared&page=2")
    assert [code for code, _ in second] == [f"SH-{i:03d}" for i in range(CONTROLS_PER_PAGE, CONTROLS_PER_PAGE + 5)]
    assert [code for code, _ in _rows(client, "/o/acme/controls/?report=soc1&status=designed")] == [
        f"S1-{i:03d}" for i in range(4)]
    # SOC 2 and operating: the five S2 rows sort before the shared ones, so page 2 holds the last ten shared.
    soc2_page2 = client.get("/o/acme/controls/?report=soc2&status=operating&page=2").content.decode()
    assert f"of {CONTROLS_PER_PAGE + 10}<" in soc2_page2
    assert [code for code, _ in ROW.findall(soc2_page2)] == [
        f"SH-{i:03d}" for i in range(CONTROLS_PER_PAGE - 5, CONTROLS_PER_PAGE + 5)]
    assert "No controls match these filters." in client.get("/o/acme/controls/?status=not_started").content.decode()


def test_serves_badges_follow_the_engagements_and_an_org_without_engagements_lists_plainly(
        client: Client, personas: Personas) -> None:
    soc1, soc2 = _engagements(personas.acme)
    shared, = _controls(personas.acme, 1, soc1, soc2, prefix="SH")
    only1, = _controls(personas.acme, 1, soc1, prefix="S1")
    _controls(personas.other, 2, prefix="OT")
    client.force_login(personas.alice)
    page = client.get("/o/acme/controls/").content.decode()
    row = {code: page[page.index(f'data-testid="control-{code}"'):].split("</tr>", 1)[0]
           for code in (shared.code, only1.code)}
    assert "SOC 1" in row[shared.code] and "SOC 2" in row[shared.code] and "shared" in row[shared.code]
    assert "SOC 1" in row[only1.code] and "SOC 2" not in row[only1.code] and "shared" not in row[only1.code]

    client.force_login(personas.charlie)
    other = client.get("/o/other/controls/").content.decode()
    assert [code for code, _ in ROW.findall(other)] == ["OT-000", "OT-001"]
    assert "badge shared" not in other
    assert "No controls match" in client.get("/o/other/controls/?report=soc1").content.decode()


def test_dashboard_figures_count_each_control_once_and_cover_what_its_engagements_scope(personas: Personas) -> None:
    org = personas.acme
    soc1, soc2 = _engagements(org)
    _controls(org, 2, soc1, soc2, prefix="SH", status="operating", criteria=["CC6.1"], objectives=["ITGC-ACCESS"])
    _controls(org, 1, soc2, prefix="S2", status="designed", criteria=["CC7.3"], objectives=["ITGC-CHANGE"])
    _controls(org, 1, prefix="NONE", status="designed", criteria=["CC8.1"])  # serves no engagement yet
    _controls(org, 1, soc1, soc2, prefix="NA", status="operating", criteria=["CC1.1"], not_applicable=True)

    figures = dashboard_figures(org)
    assert figures.by_status == {"operating": 2, "designed": 2}
    assert figures.total_controls == 4
    assert figures.shared == 2 == shared_control_count(org)
    by_report = {s.engagement.report: s for s in figures.summaries}
    assert by_report["soc1"].by_status == {"operating": 2} and by_report["soc1"].controls == 2
    assert by_report["soc2"].by_status == {"operating": 2, "designed": 1} and by_report["soc2"].controls == 3
    # SOC 1 counts objectives only (the SOC 2 control's ITGC-CHANGE does not count), SOC 2 criteria only.
    assert (by_report["soc1"].targets_covered, by_report["soc1"].targets_in_scope) == (1, 2)
    assert by_report["soc2"].targets_covered == 2  # CC6.1 and CC7.3; CC8.1 is unlinked, CC1.1 not applicable


def test_dashboard_offers_to_review_scoping_only_when_a_recommendation_exists(client: Client,
                                                                             personas: Personas) -> None:
    client.force_login(personas.alice)
    assert "Start scoping" in client.get("/o/acme/").content.decode()
    ScopingProfile.objects.create(organization=personas.acme, recommendation={"soc2": True})
    assert "Review scoping" in client.get("/o/acme/").content.decode()


def test_dashboard_lists_overdue_open_tasks_with_their_owners(client: Client, personas: Personas) -> None:
    today = dt.date.today()
    for title, due, status in (("late open", -3, "open"), ("late done", -5, "done"), ("not yet", 4, "open")):
        RemediationTask.objects.create(organization=personas.acme, title=title, owner=personas.bob,
                                       due_date=today + dt.timedelta(days=due), status=status)
    client.force_login(personas.alice)
    page = client.get("/o/acme/").content.decode()
    overdue = page.split("<h2>Overdue remediation</h2>")[1]  # (the next-things box also lists upcoming work)
    assert "late open" in overdue and "Bob" in overdue
    assert "late done" not in overdue and "not yet" not in overdue


@pytest.mark.parametrize("url", ["/o/acme/", "/o/acme/controls/", "/o/acme/controls/?report=shared&page=2"])
def test_dashboard_and_control_list_need_few_queries_whatever_the_program_size(
        client: Client, personas: Personas, url: str) -> None:
    # Session, user, membership and the organization switcher take four; the control list the version lookup
    # and three (engagements for the filter, the count, the page's rows), then it is reused until the next
    # change. The dashboard scores readiness and reads its checklist and next things once per program version
    # (a fixed number of queries), then a visit costs the four, the version lookup and its connections section.
    soc1, soc2 = _engagements(personas.acme)
    client.force_login(personas.alice)
    _controls(personas.acme, 3, soc1, soc2, owner=personas.bob)
    small = _query_count(client, url)
    made = _controls(personas.acme, 2 * CONTROLS_PER_PAGE, soc1, soc2, prefix="M", owner=personas.bob)
    for control in made[:30]:
        RemediationTask.objects.create(organization=personas.acme, title="t", control=control, owner=personas.bob,
                                       due_date=dt.date(2020, 1, 1))
    assert _query_count(client, url) == small <= (26 if url == "/o/acme/" else 8)
    # Unchanged program: the figures and the list page are reused.
    assert _query_count(client, url) <= (7 if url == "/o/acme/" else 6)
