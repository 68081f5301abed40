"""Testing a sample in the web: the imported values beside the form, passing the rest after a confirmation,
extending to what the verdict asks for, and the warning against sampling a window too early."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from socready.audit.models import AuditEvent
from socready.evidence.models import Population, SampleSet, SampleTest
from socready.programs.models import Engagement
from tests.integration.conftest import Personas
from tests.integration.test_populations_web import draw, imported, setup, upload

__all__ = ["setup"]  # the fixture, shared with the population tests

ATTRIBUTES = ["approved before deploy", "tested"]


def approver_of(item_id: str) -> str:
    return f"u{int(item_id.split('-')[1]) % 3}"  # as changes_csv writes the approver column


def drawn(client: Client, setup: dict[str, Any], count: int) -> SampleSet:
    population = imported(client, setup, count=count)
    assert draw(client, population).status_code == 302
    return SampleSet.objects.latest("id")


def test_the_test_screen_shows_the_imported_values_of_the_item_beside_the_form(
        client: Client, personas: Personas, setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    sample_set = drawn(client, setup, count=40)
    item = sample_set.items[3]
    assert item["attributes"] == {"approver": approver_of(item["id"])}
    page = client.get(f"/o/acme/samples/{sample_set.pk}/test/?item={item['id']}").content.decode()
    values = page[page.index('id="imported-values"'):page.index('id="sample-test-form"')]
    assert f'<dd data-column="approver">{approver_of(item["id"])}</dd>' in values
    assert "<dt>merged_on</dt><dd>" + item["date"] + "</dd>" in values and f">{item['row']}</dd>" in values
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert "<th>approver</th>" in detail
    row = re.search(rf'data-item="{item["id"]}">(.*?)</tr>', detail, re.S)
    assert row is not None and f"<td>{approver_of(item['id'])}</td>" in row.group(1)
    client.force_login(personas.dana)  # the auditor reads the same values
    page = client.get(f"/o/acme/samples/{sample_set.pk}/test/?item={item['id']}").content.decode()
    assert f'<dd data-column="approver">{approver_of(item["id"])}</dd>' in page


def test_extending_a_sample_keeps_the_values_of_every_item(client: Client, personas: Personas,
                                                           setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    sample_set = drawn(client, setup, count=40)
    for item in sample_set.items:
        del item["attributes"]  # as samples drawn before the values were kept
    sample_set.save()
    page = client.get(f"/o/acme/samples/{sample_set.pk}/test/").content.decode()
    assert 'id="imported-values-missing"' in page
    client.post(f"/o/acme/samples/{sample_set.pk}/extend/", {"extra": "2"})
    sample_set.refresh_from_db()
    assert len(sample_set.items) == 12
    assert all(item["attributes"] == {"approver": approver_of(item["id"])} for item in sample_set.items)


def fail_one(sample_set: SampleSet, personas: Personas, passed: int) -> None:
    """Record the first item failed and the next ``passed`` items passed."""
    first, *rest = [item["id"] for item in sample_set.items]
    SampleTest.objects.create(sample=sample_set, item_id=first, results={"approved before deploy": False,
                                                                         "tested": True}, tested_by=personas.bob)
    for item_id in rest[:passed]:
        SampleTest.objects.create(sample=sample_set, item_id=item_id, results=dict.fromkeys(ATTRIBUTES, True),
                                  tested_by=personas.bob)


def test_the_extend_box_defaults_to_the_size_the_verdict_asks_for(client: Client, personas: Personas,
                                                                   setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    sample_set = drawn(client, setup, count=100)  # 53-250 events at moderate risk: 25 items
    assert len(sample_set.items) == 25
    page = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert re.search(r'name="extra" value="5"', page)  # nothing asked yet: the usual default
    fail_one(sample_set, personas, passed=24)
    page = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert 'data-verdict="EXTEND"' in page and "the one-deviation size is 40" in page
    assert re.search(r'name="extra" value="15"', page) and "The verdict asks for 15 more items." in page
    client.post(f"/o/acme/samples/{sample_set.pk}/extend/", {"extra": "15"})
    sample_set.refresh_from_db()
    assert len(sample_set.items) == 40 and sample_set.record["extended_from"] == [25]


def test_pass_all_remaining_records_the_untested_items_only_after_an_explicit_confirmation(
        client: Client, personas: Personas, setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    sample_set = drawn(client, setup, count=40)
    fail_one(sample_set, personas, passed=2)
    untested = [item["id"] for item in sample_set.items[3:]]
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert 'id="pass-remaining-link"' in detail and "Pass all remaining (7 items)" in detail
    url = f"/o/acme/samples/{sample_set.pk}/pass-remaining/"
    page = client.get(url).content.decode()
    listed = re.findall(r'<tr data-item="([^"]+)">', page)
    assert listed == untested and f"<td>{approver_of(untested[0])}</td>" in page
    digest = re.search(r'name="remaining" value="([0-9a-f]{64})"', page)
    assert digest is not None and 'name="confirm"' in page
    unconfirmed = client.post(url, {"remaining": digest.group(1)})
    assert unconfirmed.status_code == 400 and "Tick the box to confirm" in unconfirmed.content.decode()
    assert SampleTest.objects.count() == 3
    events_before = AuditEvent.objects.filter(model="evidence.SampleTest").count()
    response = client.post(url, {"remaining": digest.group(1), "confirm": "on", "note": "tickets read in Jira"})
    assert response["Location"] == f"/o/acme/samples/{sample_set.pk}/"
    passed = SampleTest.objects.filter(item_id__in=untested)
    assert passed.count() == 7 and all(t.results == dict.fromkeys(ATTRIBUTES, True) for t in passed)
    assert all(t.tested_by == personas.bob and "pass all remaining" in t.note and "tickets read in Jira" in t.note
               for t in passed)
    assert SampleTest.objects.get(item_id=sample_set.items[0]["id"]).results["approved before deploy"] is False
    events = AuditEvent.objects.filter(model="evidence.SampleTest", action="create").order_by("id")
    assert events.count() - events_before == 7
    last = events.last()
    assert last is not None and last.actor_id == personas.bob.pk and "pass all remaining" in last.after["note"]
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert "1 of 10 — exception noted" in detail and 'id="pass-remaining-link"' not in detail


def test_a_confirmation_for_other_items_records_nothing(client: Client, personas: Personas,
                                                        setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    sample_set = drawn(client, setup, count=40)
    url = f"/o/acme/samples/{sample_set.pk}/pass-remaining/"
    digest = re.search(r'name="remaining" value="([0-9a-f]{64})"', client.get(url).content.decode())
    assert digest is not None
    # Someone tests an item after the confirmation page was shown.
    SampleTest.objects.create(sample=sample_set, item_id=sample_set.items[0]["id"],
                              results=dict.fromkeys(ATTRIBUTES, False))
    response = client.post(url, {"remaining": digest.group(1), "confirm": "on"})
    assert response.status_code == 400 and "Nothing was recorded" in response.content.decode()
    assert SampleTest.objects.count() == 1
    assert len(re.findall(r'<tr data-item=', response.content.decode())) == 9  # the list as it is now


def test_an_auditor_can_neither_see_nor_use_pass_all_remaining(client: Client, personas: Personas,
                                                               setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    sample_set = drawn(client, setup, count=40)
    url = f"/o/acme/samples/{sample_set.pk}/pass-remaining/"
    digest = re.search(r'name="remaining" value="([0-9a-f]{64})"', client.get(url).content.decode())
    assert digest is not None
    client.force_login(personas.dana)
    assert 'id="pass-remaining-link"' not in client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"remaining": digest.group(1), "confirm": "on"}).status_code == 403
    client.force_login(personas.charlie)
    assert client.get(url).status_code == 404
    assert not SampleTest.objects.exists()


def test_the_draw_form_warns_when_the_window_has_not_run_long_enough(client: Client, personas: Personas,
                                                                      setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    past = imported(client, setup, count=20)  # H1 2026, uploaded after it ended
    page = client.get(f"/o/acme/populations/{past.pk}/").content.decode()
    assert 'id="sample-draw-form"' in page and 'id="sample-early-warning"' not in page
    today = timezone.localdate()
    start = today - dt.timedelta(days=40)
    running = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type2",
                                        period_start=start, period_end=start + dt.timedelta(days=364),
                                        categories=["Security"])
    rows = "change_id,merged_on,approver\n" + "".join(
        f"NEW-{n:03d},{(start + dt.timedelta(days=n)).isoformat()},u1\n" for n in range(30))
    assert upload(client, rows.encode(), setup["changes"], running).status_code == 302
    early = Population.objects.latest("id")
    assert early.state == "done"
    page = client.get(f"/o/acme/populations/{early.pk}/").content.decode()
    warning = re.search(r'id="sample-early-warning"[^>]*>(.*?)</p>', page, re.S)
    assert warning is not None
    assert "41 of its 365 days (11%)" in warning.group(1)
    assert (start + dt.timedelta(days=182)).isoformat() in warning.group(1)
    assert page.index('id="sample-early-warning"') < page.index('id="sample-draw-form"')
