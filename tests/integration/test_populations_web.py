"""Populations, samples and sample tests through the web: import, background validation, draw, extend, test."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from socready.evidence.models import EvidenceItem, Population, SampleSet, SampleTest
from socready.programs.models import Control, Engagement
from socready.storage.blobs import blob_store
from tests.integration.conftest import Personas
from tests.xlsx_parts import set_dimension

START = dt.date(2026, 1, 1)


@pytest.fixture
def setup(personas: Personas, tmp_path: Path, settings: Any) -> dict[str, Any]:
    """Acme with a SOC 2 Type II engagement (H1 2026), a per-event change control and a monthly review."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    engagement = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type2",
                                           period_start=START, period_end=dt.date(2026, 6, 30),
                                           categories=["Security"])
    changes = Control.objects.create(organization=personas.acme, code="CM-01", title="Changes are approved",
                                     frequency="per-event", type2_attributes=["approved before deploy", "tested"])
    review = Control.objects.create(organization=personas.acme, code="AC-04", title="Monthly access review",
                                    frequency="monthly", type2_attributes=["review signed off", "removals done"])
    return {"engagement": engagement, "changes": changes, "review": review}


def changes_csv(count: int, extra_rows: str = "") -> bytes:
    lines = ["change_id,merged_on,approver"]
    lines += [f"CHG-{n:04d},{(START + dt.timedelta(days=n % 180)).isoformat()},u{n % 3}" for n in range(count)]
    return ("\n".join(lines) + "\n" + extra_rows).encode()


def upload(client: Client, content: bytes, control: Control, engagement: Engagement | None,
           name: str = "changes.csv", **fields: str) -> Any:
    data = {"control": control.pk, "engagement": engagement.pk if engagement else "", "kind": "changes",
            "id_column": "change_id", "date_column": "merged_on", "attribute_columns": "approver",
            "file": SimpleUploadedFile(name, content), **fields}
    return client.post("/o/acme/populations/", data)


def imported(client: Client, setup: dict[str, Any], count: int = 40, control: str = "changes") -> Population:
    response = upload(client, changes_csv(count), setup[control], setup["engagement"])
    assert response.status_code == 302, response.content.decode()[:2000]
    return Population.objects.latest("id")


def draw(client: Client, population: Population, **fields: Any) -> Any:
    data = {"frequency": "per-event", "risk": "moderate", "seed": "1234",
            "attributes": "approved before deploy\ntested", **fields}
    return client.post(f"/o/acme/populations/{population.pk}/sample/", data)


def test_good_csv_is_imported_with_its_completeness_and_accuracy_record(client: Client, personas: Personas,
                                                                        setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    content = changes_csv(40)
    response = upload(client, content, setup["changes"], setup["engagement"])
    population = Population.objects.get()
    assert response["Location"] == f"/o/acme/populations/{population.pk}/"
    assert population.state == "done" and population.progress == 100 and population.error == ""
    assert population.rows == 40 and population.sha256 == hashlib.sha256(content).hexdigest()
    assert population.record["sha256"] == population.sha256 and population.record["rows"] == 40
    assert population.record["window"] == "2026-01-01..2026-06-30"
    assert (population.period_start, population.period_end) == (START, dt.date(2026, 6, 30))
    assert sum(count for _, count in population.months) == 40 and population.months[0][0] == "2026-01"
    assert population.imported_by == personas.bob and population.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert population.sha256 in page and 'id="population-record"' in page and 'id="sample-draw-form"' in page
    assert "hx-trigger" not in page  # finished: nothing left to poll
    listing = client.get("/o/acme/populations/").content.decode()
    assert "changes.csv" in listing and population.sha256[:12] in listing and "CM-01" in listing


def test_bad_csv_fails_naming_row_and_field_and_cannot_be_sampled(client: Client, personas: Personas,
                                                                  setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    # Row 12 (header is row 1) is dated after the window closes.
    bad = changes_csv(10, "CHG-0010,2026-07-15,u1\nCHG-0011,2026-02-01,u2\n")
    upload(client, bad, setup["changes"], setup["engagement"], name="bad.csv")
    population = Population.objects.get()
    assert population.state == "failed"
    assert "bad.csv" in population.error and "row 12" in population.error and "'merged_on'" in population.error
    assert population.record is None and population.rows is None and population.months == []
    assert not blob_store().exists(population.sha256)  # a refused file is not kept
    page = client.get(f"/o/acme/populations/{population.pk}/").content.decode()
    assert 'id="population-error"' in page and "row 12" in page and 'id="sample-draw-form"' not in page
    response = client.post(f"/o/acme/populations/{population.pk}/sample/", {
        "frequency": "per-event", "risk": "moderate", "seed": "1", "attributes": "approved"}, follow=True)
    assert "Only an imported population can be sampled" in response.content.decode()
    assert not SampleSet.objects.exists()


def test_dates_in_a_local_format_are_read_with_the_format_given(client: Client, personas: Personas,
                                                               setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    us_dates = ("change_id,merged_on,approver\n"
                + "".join(f"CHG-{n:03d},{1 + n % 6:02d}/{1 + n % 28:02d}/2026,u{n % 3}\n" for n in range(30))).encode()
    upload(client, us_dates, setup["changes"], setup["engagement"], name="us.csv")
    refused = Population.objects.latest("id")
    assert refused.state == "failed" and "row 2" in refused.error and "'merged_on'" in refused.error
    upload(client, us_dates, setup["changes"], setup["engagement"], name="us.csv", date_format="%m/%d/%Y")
    population = Population.objects.latest("id")
    assert population.state == "done" and population.rows == 30 and population.date_format == "%m/%d/%Y"
    assert [month for month, _ in population.months] == [f"2026-{m:02d}" for m in range(1, 7)]
    page = upload(client, us_dates, setup["changes"], setup["engagement"], name="us.csv", date_format="%m/%Y")
    assert "not a date format with a year, a month and a day" in page.content.decode()
    page = upload(client, us_dates, setup["changes"], setup["engagement"], name="us.csv", date_format="%Q")
    assert "&#x27;%Q&#x27; is not a valid date format (Unrecognized format" in page.content.decode()
    page = upload(client, us_dates, setup["changes"], None, name="us.csv", date_column="", date_format="%m/%d/%Y")
    assert "A date format needs a date column." in page.content.decode()
    assert Population.objects.count() == 2
    # Formats the reader knows but Python's strptime does not (no leading zeros) are accepted too.
    upload(client, us_dates.replace(b"/0", b"/").replace(b",0", b","), setup["changes"], setup["engagement"],
           name="us.csv", date_format="%-m/%-d/%Y")
    assert Population.objects.latest("id").rows == 30


def test_upload_form_refuses_wrong_type_missing_date_column_and_oversized_file(
        client: Client, personas: Personas, setup: dict[str, Any], settings: Any) -> None:
    client.force_login(personas.alice)
    response = upload(client, b"a,b\n1,2\n", setup["changes"], setup["engagement"], name="notes.docx")
    assert response.status_code == 200 and "use a .csv, .xlsx or .parquet file" in response.content.decode()
    response = upload(client, changes_csv(3), setup["changes"], setup["engagement"], date_column="")
    assert "the engagement&#x27;s window is checked against it" in response.content.decode()
    settings.MAX_POPULATION_BYTES = 50
    response = upload(client, changes_csv(30), setup["changes"], setup["engagement"])
    assert "larger than the limit" in response.content.decode()
    assert not Population.objects.exists()


def test_xlsx_population_with_date_cells_is_imported(client: Client, personas: Personas,
                                                     setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["change_id", "merged_on", "approver"])
    for n in range(12):
        sheet.append([f"CHG-{n}", dt.datetime(2026, 1 + n % 6, 3), "u1"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload(client, buffer.getvalue(), setup["changes"], setup["engagement"], name="changes.xlsx")
    population = Population.objects.get()
    assert population.state == "done", population.error
    assert population.rows == 12 and population.record["format"] == "xlsx"
    assert dict(population.months) == {f"2026-0{m}": 2 for m in range(1, 7)}


def test_an_xlsx_population_that_understates_its_size_is_imported_to_the_last_row(
        client: Client, personas: Personas, setup: dict[str, Any], tmp_path: Path) -> None:
    client.force_login(personas.alice)
    book = openpyxl.Workbook()
    book.active.append(["change_id", "merged_on", "approver"])
    for n in range(300):
        book.active.append([f"CHG-{n}", START + dt.timedelta(days=n % 180), "u1"])
    book.save(tmp_path / "changes.xlsx")
    content = set_dimension(tmp_path / "changes.xlsx", "A1:C10").read_bytes()
    upload(client, content, setup["changes"], setup["engagement"], name="changes.xlsx")
    population = Population.objects.get()
    assert population.state == "done" and population.rows == 300, population.error


@pytest.mark.django_db(transaction=True)
def test_import_waits_in_the_queue_until_the_database_worker_runs_it(client: Client, personas: Personas,
                                                                     setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        upload(client, changes_csv(25), setup["changes"], setup["engagement"])
        population = Population.objects.get()
        assert population.state == "queued" and population.progress == 10
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        page = client.get(f"/o/acme/populations/{population.pk}/").content.decode()
        assert 'hx-trigger="every 1s"' in page and 'value="10"' in page and "waiting for the import worker" in page
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    population.refresh_from_db()
    assert population.state == "done" and population.rows == 25, population.error
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    poll = client.get(f"/o/acme/populations/{population.pk}/progress/", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and poll["HX-Refresh"] == "true"
    assert "hx-trigger" not in poll.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_died_can_be_queued_again(client: Client, personas: Personas,
                                                         setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        upload(client, changes_csv(25), setup["changes"], setup["engagement"])
        population = Population.objects.get()
        url = f"/o/acme/populations/{population.pk}/retry/"
        client.post(url)  # too early: a fresh import is not stuck
        assert DBTaskResult.objects.count() == 1
        # The worker took it and died: still "running" twenty minutes later.
        Population.objects.filter(pk=population.pk).update(
            state="running", progress=30, created_at=population.created_at - dt.timedelta(minutes=20))
        assert 'id="population-retry"' in client.get(f"/o/acme/populations/{population.pk}/").content.decode()
        client.force_login(personas.dana)
        assert client.post(url).status_code == 403
        client.force_login(personas.bob)
        assert client.post(url).status_code == 302
        population.refresh_from_db()
        assert population.state == "queued" and DBTaskResult.objects.count() == 2
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    population.refresh_from_db()
    assert population.state == "done" and population.rows == 25


def items_of(sample_set: SampleSet) -> list[str]:
    return [item["id"] for item in sample_set.items]


def test_same_population_and_seed_draw_the_same_recorded_sample(client: Client, personas: Personas,
                                                                setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=40)
    first = draw(client, population)
    second = draw(client, population)
    other = draw(client, population, seed="99")
    a, b, c = SampleSet.objects.order_by("id")
    assert first["Location"] == f"/o/acme/samples/{a.pk}/" and second.status_code == other.status_code == 302
    assert len(a.items) == 10 and items_of(a) == items_of(b) and items_of(a) != items_of(c)
    assert a.seed == 1234 and a.record["seed"] == 1234 and a.record["items"] == items_of(a)
    assert a.record["size_basis"] == "per-event population up to 52, moderate risk: 10"
    assert a.record["population_sha256"] == population.sha256 and a.drawn_by == personas.alice
    assert all(re.fullmatch(r"CHG-\d{4}", item["id"]) and item["row"] >= 2 and item["date"] for item in a.items)
    page = client.get(first["Location"]).content.decode()
    positions = [page.index(f'data-item="{item}"') for item in items_of(a)]
    assert positions == sorted(positions)  # shown in selection order
    assert "1234" in page and "per-event population up to 52" in page


def test_blank_seed_gets_a_random_one_that_is_shown_and_recorded(client: Client, personas: Personas,
                                                                 setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=20)
    form_page = client.get(f"/o/acme/populations/{population.pk}/").content.decode()
    assert re.search(r'name="seed" value="\d+"', form_page)  # proposed before drawing
    draw(client, population, seed="")
    sample_set = SampleSet.objects.get()
    assert sample_set.record["seed"] == sample_set.seed
    assert str(sample_set.seed) in client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()


def test_spreading_across_months_takes_items_from_every_month(client: Client, personas: Personas,
                                                              setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=180)
    draw(client, population, spread_months="on")
    sample_set = SampleSet.objects.get()
    assert sample_set.spread_months and sample_set.record["method"] == "key-rank-v1/by-month"
    assert {item["date"][:7] for item in sample_set.items} == {f"2026-0{m}" for m in range(1, 7)}


def test_extending_keeps_the_first_selection_in_order(client: Client, personas: Personas,
                                                      setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=40)
    draw(client, population)
    sample_set = SampleSet.objects.get()
    first = items_of(sample_set)
    response = client.post(f"/o/acme/samples/{sample_set.pk}/extend/", {"extra": "5"})
    assert response.status_code == 302
    sample_set.refresh_from_db()
    assert len(sample_set.items) == 15 and items_of(sample_set)[:10] == first
    assert len(set(items_of(sample_set))) == 15
    assert sample_set.record["extended_from"] == [10] and sample_set.record["items"] == items_of(sample_set)


def test_a_failed_attribute_is_an_exception_and_fails_a_monthly_control(client: Client, personas: Personas,
                                                                        setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    population = imported(client, setup, count=6, control="review")
    page = client.get(f"/o/acme/populations/{population.pk}/").content.decode()
    assert '<option value="monthly" selected>' in page and "review signed off\nremovals done" in page
    draw(client, population, frequency="monthly", attributes="review signed off\nremovals done")
    sample_set = SampleSet.objects.get()
    assert len(sample_set.items) == 2 and sample_set.attributes == ["review signed off", "removals done"]
    evidence = EvidenceItem.objects.create(organization=personas.acme, kind="note", title="January review",
                                           effective_date=START)
    evidence.controls.add(setup["review"])
    first, second = items_of(sample_set)
    url = f"/o/acme/samples/{sample_set.pk}/test/"
    assert client.post(url, {"item": first, "result_0": "pass", "result_1": "pass", "evidence": evidence.pk,
                             "then": "next"})["Location"] == f"{url}?item={second}"
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert "testing incomplete" in detail
    client.post(url, {"item": second, "result_0": "pass", "result_1": "fail", "note": "one leaver kept access"})
    test = SampleTest.objects.get(item_id=second)
    assert test.results == {"review signed off": True, "removals done": False} and test.tested_by == personas.bob
    assert SampleTest.objects.get(item_id=first).evidence == evidence
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert "1 of 2 — exception noted" in detail and "not operating effectively" in detail
    assert 'id="conclusion-rate">50.0%' in detail and "one leaver kept access" in detail
    # Saving again updates the one test of that item instead of adding a second.
    client.post(url, {"item": second, "result_0": "pass", "result_1": "pass"})
    assert SampleTest.objects.count() == 2
    detail = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert "0 of 2 — no exceptions noted" in detail and "operating effectively" in detail


def test_attributes_change_before_testing_and_are_fixed_after(client: Client, personas: Personas,
                                                              setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=6, control="review")
    draw(client, population, frequency="monthly")
    sample_set = SampleSet.objects.get()
    client.post(f"/o/acme/samples/{sample_set.pk}/attributes/", {"attributes": "signed off\n\nremovals done\n"})
    sample_set.refresh_from_db()
    assert sample_set.attributes == ["signed off", "removals done"]
    client.post(f"/o/acme/samples/{sample_set.pk}/test/",
                {"item": sample_set.items[0]["id"], "result_0": "pass", "result_1": "pass"})
    response = client.post(f"/o/acme/samples/{sample_set.pk}/attributes/", {"attributes": "something else"})
    assert response.status_code == 400 and "Testing has started" in response.content.decode()
    sample_set.refresh_from_db()
    assert sample_set.attributes == ["signed off", "removals done"]


def test_a_test_must_give_every_attribute_and_only_sampled_items(client: Client, personas: Personas,
                                                                 setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=6, control="review")
    draw(client, population, frequency="monthly")
    sample_set = SampleSet.objects.get()
    url = f"/o/acme/samples/{sample_set.pk}/test/"
    assert client.post(url, {"item": sample_set.items[0]["id"], "result_0": "pass"}).status_code == 400
    assert client.post(url, {"item": "CHG-9999", "result_0": "pass", "result_1": "pass"}).status_code == 404
    assert not SampleTest.objects.exists()


def test_auditor_reads_samples_but_cannot_import_draw_or_test(client: Client, personas: Personas,
                                                              setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=6, control="review")
    draw(client, population, frequency="monthly")
    sample_set = SampleSet.objects.get()
    client.force_login(personas.dana)
    page = client.get(f"/o/acme/samples/{sample_set.pk}/").content.decode()
    assert 'id="sample-items"' in page and 'id="sample-extend-form"' not in page
    assert 'id="population-import-form"' not in client.get("/o/acme/populations/").content.decode()
    assert upload(client, changes_csv(5), setup["review"], setup["engagement"]).status_code == 403
    assert draw(client, population, frequency="monthly").status_code == 403
    item = sample_set.items[0]["id"]
    assert client.post(f"/o/acme/samples/{sample_set.pk}/test/",
                       {"item": item, "result_0": "fail", "result_1": "fail"}).status_code == 403
    assert client.post(f"/o/acme/samples/{sample_set.pk}/extend/", {"extra": "3"}).status_code == 403
    assert Population.objects.count() == 1 and SampleSet.objects.count() == 1 and not SampleTest.objects.exists()


def test_outsider_gets_404_on_population_and_sample_pages(client: Client, personas: Personas,
                                                          setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup, count=6, control="review")
    draw(client, population, frequency="monthly")
    sample_set = SampleSet.objects.get()
    client.force_login(personas.charlie)
    for url in ("/o/acme/populations/", f"/o/acme/populations/{population.pk}/",
                f"/o/acme/populations/{population.pk}/progress/", f"/o/acme/samples/{sample_set.pk}/",
                f"/o/acme/samples/{sample_set.pk}/test/"):
        assert client.get(url).status_code == 404, url
    # Charlie's own organization does not reach Acme's rows either.
    assert client.get(f"/o/other/populations/{population.pk}/").status_code == 404
    assert client.get(f"/o/other/samples/{sample_set.pk}/").status_code == 404


def test_a_control_with_an_imported_population_cannot_be_removed(client: Client, personas: Personas,
                                                                   setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup)
    control = setup["changes"]
    page = client.post(f"/o/acme/controls/{control.pk}/delete/", follow=True).content.decode()
    assert "has imported populations" in page
    assert Control.objects.filter(pk=control.pk).exists() and Population.objects.filter(pk=population.pk).exists()
    other = setup["review"]
    assert client.post(f"/o/acme/controls/{other.pk}/delete/").status_code == 302
    assert not Control.objects.filter(pk=other.pk).exists()


def test_deleting_the_organization_still_removes_its_populations(client: Client, personas: Personas,
                                                                 setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    imported(client, setup)
    personas.acme.delete()
    assert not Population.objects.exists() and not Control.objects.exists()


def test_an_engagement_with_impossible_dates_is_refused_before_anything_is_stored(
        client: Client, personas: Personas, setup: dict[str, Any]) -> None:
    client.force_login(personas.bob)
    engagement = setup["engagement"]
    # Written directly, as a row saved before edits were checked would be.
    Engagement.objects.filter(pk=engagement.pk).update(period_start=dt.date(2026, 6, 30),
                                                        period_end=dt.date(2026, 1, 1))
    engagement.refresh_from_db()
    content = changes_csv(10)
    response = upload(client, content, setup["changes"], engagement)
    assert response.status_code == 200
    assert "its period ends before it starts" in response.content.decode()
    assert not Population.objects.exists()
    assert not blob_store().exists(hashlib.sha256(content).hexdigest())


@pytest.mark.parametrize(("start", "end", "message"), [
    (dt.date(2026, 6, 30), dt.date(2026, 1, 1), "The period must end after it starts."),
    (dt.date(2026, 1, 1), dt.date(2027, 12, 31), "A Type II period runs 3 to 12 months; this one is 24."),
])
def test_editing_an_engagement_refuses_a_period_readiness_cannot_use(
        client: Client, personas: Personas, setup: dict[str, Any], start: dt.date, end: dt.date,
        message: str) -> None:
    client.force_login(personas.alice)
    engagement = setup["engagement"]
    response = client.post(f"/o/acme/engagements/{engagement.pk}/", {
        "report": "soc2", "report_type": "type2", "period_start": start.isoformat(),
        "period_end": end.isoformat(), "auditor_firm": "Example CPAs"})
    assert response.status_code == 200 and message in response.content.decode()
    engagement.refresh_from_db()
    assert (engagement.period_start, engagement.period_end, engagement.auditor_firm) == (
        START, dt.date(2026, 6, 30), "")


DOTTED_WINDOW = re.compile(r"\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}")


def test_the_population_pages_write_a_window_one_way(client: Client, personas: Personas,
                                                     setup: dict[str, Any]) -> None:
    client.force_login(personas.alice)
    population = imported(client, setup)
    # Uploaded in February: the early-sampling notice names the window too.
    Population.objects.filter(pk=population.pk).update(
        created_at=dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC))
    page = client.get(f"/o/acme/populations/{population.pk}/").content.decode()
    assert 'id="sample-early-warning"' in page
    assert page.count("2026-01-01 – 2026-06-30") >= 3  # window checked, the record's window, the notice
    upload(client, changes_csv(10, "CHG-0010,2026-07-15,u1\n"), setup["changes"], setup["engagement"],
           name="bad.csv")
    failed = Population.objects.latest("id")
    assert failed.state == "failed" and "2026-01-01..2026-06-30" in failed.error  # stored as the reader said it
    failed_page = client.get(f"/o/acme/populations/{failed.pk}/").content.decode()
    assert "outside the window 2026-01-01 – 2026-06-30" in failed_page
    listing = client.get("/o/acme/populations/").content.decode()
    assert "2026-01-01 – 2026-06-30" in listing
    drawn = draw(client, population)
    assert drawn.status_code == 302
    sample_page = client.get(drawn["Location"]).content.decode()
    for html in (page, failed_page, listing, sample_page):
        assert not DOTTED_WINDOW.search(html)
