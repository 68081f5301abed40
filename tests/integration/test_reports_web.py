"""The readiness page, one-click tasks from its gaps, and the downloads of the auditor package."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from socready.programs.models import Control, RemediationTask
from socready.storage.blobs import blob_store
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import Program, add_evidence, make_program


@pytest.fixture
def reports_program(personas: Personas, settings, tmp_path_factory) -> Program:  # type: ignore[no-untyped-def]
    # Stored files are shared by hash; a store per test keeps one test's tampering out of the next.
    settings.EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")
    return make_program(personas)


def _figure(page: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', page)
    assert match, f"no {testid} figure on the page"
    return int(match.group(1))


def gap_button(page: str, key: str) -> str:
    """The value of the "Create task" button in gap ``key``'s row (the signed suggestion)."""
    row = page.split(f'data-testid="gap-{key}"')[1].split("</tr>")[0]
    match = re.search(r'name="gap" value="([^"]+)"', row)
    assert match, f"gap {key} has no Create task button"
    return match.group(1)


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_readiness_page_explains_scores_lists_gaps_and_names_the_skipped_engagement(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.alice)
    response = client.get("/o/acme/readiness/")
    assert response.status_code == 200
    page = response.content.decode()
    soc1, soc2 = reports_program.ids
    assert f'data-testid="report-{soc1}"' in page and f'data-testid="report-{soc2}"' in page
    assert 0 <= _figure(page, "overall") < 100
    assert "needs a period start and end: set them to score it" in page  # the undated Type II, and why
    assert page.count("<svg") >= 3  # report bars, category bars, heat maps
    assert "What is missing" in page and "The control is designed but not implemented." in page
    # LOG-1 is only designed; its open task tracks the gap and, due in 20 days, sets the ready date.
    gap_row = page.split('data-testid="gap-soc2:CC7.2"')[1].split("</tr>")[0]
    assert 'title="Wire alerts to the on-call rota"' in gap_row and "Create task" not in gap_row
    assert "Create task" in page
    ready = reports_program.task.due_date.isoformat()  # type: ignore[union-attr]
    assert f'data-testid="ready-date">{ready}<' in page


def test_choosing_an_engagement_scores_only_that_report(client: Client, personas: Personas,
                                                        reports_program: Program) -> None:
    client.force_login(personas.alice)
    soc1, soc2 = reports_program.ids
    page = client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode()
    assert "gap-soc1:ITGC-ACCESS" in page and "gap-soc2:" not in page
    assert "No SOC 2 engagement in view" in page
    undated = reports_program.undated.pk
    assert client.get(f"/o/acme/readiness/?engagement={undated}").status_code == 404
    assert client.get("/o/acme/readiness/?engagement=99999").status_code == 404


def test_an_engagement_of_another_organization_is_not_found(client: Client, personas: Personas,
                                                            reports_program: Program) -> None:
    from socready.programs.models import Engagement

    theirs = Engagement.objects.create(organization=personas.other, report="soc2", report_type="type1",
                                       as_of_date=reports_program.soc2.as_of_date, categories=["Security"])
    client.force_login(personas.alice)
    assert client.get(f"/o/acme/readiness/?engagement={theirs.pk}").status_code == 404
    assert client.get(f"/o/acme/downloads/matrix/?engagement={theirs.pk}").status_code == 404


def test_evidence_and_an_operating_control_raise_the_score_on_the_page(client: Client, personas: Personas,
                                                                       reports_program: Program) -> None:
    client.force_login(personas.dana)
    before = _figure(client.get("/o/acme/readiness/").content.decode(), "overall")
    Control.objects.filter(pk=reports_program.only_soc2.pk).update(status="operating")
    add_evidence(reports_program.org, reports_program.only_soc2, "Alert test", days_ago=1)
    after = _figure(client.get("/o/acme/readiness/").content.decode(), "overall")
    assert after > before


def test_writer_creates_the_suggested_task_in_one_click_and_the_gap_shows_it_tracked(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.bob)
    soc1, _ = reports_program.ids
    page = client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode()
    button = gap_button(page, "soc1:ITGC-ACCESS")
    response = client.post("/o/acme/readiness/tasks/", {"gap": button, "engagement": soc1})
    assert response.status_code == 302 and response["Location"].endswith(f"?engagement={soc1}#gaps")
    task = RemediationTask.objects.get(organization=reports_program.org, control__code="CHG-1")
    assert task.title.startswith("Document the design of CHG-1") and task.status == "open"
    assert "ITGC-ACCESS" in task.notes
    page = client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode()
    gap_row = page.split('data-testid="gap-soc1:ITGC-ACCESS"')[1].split("</tr>")[0]
    assert "tracked" in gap_row and "Create task" not in gap_row
    # A second click (the same button on a page left open) does not make a duplicate.
    response = client.post("/o/acme/readiness/tasks/", {"gap": button, "engagement": soc1}, follow=True)
    assert "already tracks this gap" in response.content.decode()
    assert RemediationTask.objects.filter(control__code="CHG-1").count() == 1


def test_an_unknown_altered_or_foreign_gap_creates_nothing(client: Client, personas: Personas,
                                                           reports_program: Program) -> None:
    client.force_login(personas.alice)
    soc1, _ = reports_program.ids
    button = gap_button(client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode(), "soc1:ITGC-ACCESS")
    before = RemediationTask.objects.count()
    refused = [
        {"gap": "soc2:CC9.9"},  # a bare key, as a hand-made form would send
        {"gap": button[:-2] + ("AA" if not button.endswith("AA") else "BB"), "engagement": soc1},  # altered
        {"gap": button},  # shown for one engagement, posted for the whole program
    ]
    for form in refused:
        response = client.post("/o/acme/readiness/tasks/", form, follow=True)
        assert "not one this page showed" in response.content.decode()
    assert RemediationTask.objects.count() == before


def test_a_gap_closed_since_the_page_was_shown_creates_nothing(client: Client, personas: Personas,
                                                              reports_program: Program) -> None:
    client.force_login(personas.alice)
    soc1, _ = reports_program.ids
    button = gap_button(client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode(), "soc1:ITGC-ACCESS")
    # The gap's control becomes ready elsewhere, and readiness as it is now is viewed (and scored) again.
    control = Control.objects.get(organization=reports_program.org, code="CHG-1")
    control.status = "operating"
    control.save()
    add_evidence(reports_program.org, control, "Access review", days_ago=1)
    page = client.get(f"/o/acme/readiness/?engagement={soc1}").content.decode()
    assert 'data-testid="gap-soc1:ITGC-ACCESS"' not in page
    before = RemediationTask.objects.count()
    response = client.post("/o/acme/readiness/tasks/", {"gap": button, "engagement": soc1}, follow=True)
    assert "it was closed since the page was shown" in response.content.decode()
    assert RemediationTask.objects.count() == before


def test_auditor_reads_readiness_without_task_buttons_and_cannot_create_tasks(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.dana)
    page = client.get("/o/acme/readiness/").content.decode()
    assert "Create task" not in page and "untracked" in page
    assert client.post("/o/acme/readiness/tasks/", {"gap": "soc2:CC7.2"}).status_code == 403
    assert not RemediationTask.objects.exclude(pk=reports_program.task.pk).exists()


def test_downloads_page_links_every_export(client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.dana)
    page = client.get("/o/acme/downloads/").content.decode()
    for kind in ("report-html", "report-pdf", "matrix", "pbc", "description", "oscal", "bundle"):
        assert f'href="/o/acme/downloads/{kind}/"' in page, kind
    assert 'href="/o/acme/downloads/pbc/?format=csv"' in page
    soc1, _ = reports_program.ids
    page = client.get(f"/o/acme/downloads/?engagement={soc1}").content.decode()
    assert f'href="/o/acme/downloads/matrix/?engagement={soc1}"' in page


def test_auditor_downloads_the_matrix_with_the_shared_control_in_both_report_sheets(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.dana)
    response = client.get("/o/acme/downloads/matrix/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.search(r'filename="acme-matrix-\d{4}-\d\d-\d\d\.xlsx"',
                                                                 disposition)
    book = load_workbook(io.BytesIO(_body(response)), read_only=True)
    firsts = {name: [row[0] for row in book[name].iter_rows(min_row=2, values_only=True)]
              for name in ("SOC 1", "SOC 2", "Shared")}
    assert firsts == {"SOC 1": ["AC-1", "CHG-1"], "SOC 2": ["AC-1", "LOG-1"], "Shared": ["AC-1"]}


def test_pbc_downloads_as_csv_and_for_one_engagement(client: Client, personas: Personas,
                                                     reports_program: Program) -> None:
    client.force_login(personas.alice)
    soc1, _ = reports_program.ids
    response = client.get(f"/o/acme/downloads/pbc/?engagement={soc1}&format=csv")
    assert f"acme-pbc-engagement-{soc1}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8"))))
    assert rows[0][0] == "Request" and [r[0] for r in rows[1:]] == ["EV-AC-1"]
    assert rows[1][4] == "SOC 1 Type I" and rows[1][5] == "Provided"


def test_bundle_holds_the_evidence_file_and_a_manifest_whose_hashes_match(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.dana)
    response = client.get("/o/acme/downloads/bundle/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert listed["evidence/AC-1/access-review.csv"] == reports_program.sha256
    for path, sha256 in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == sha256, path
    assert {"readiness-report.pdf", "control-matrix.xlsx", "pbc-list.csv", "system-description.docx"} <= set(listed)


def test_a_corrupted_evidence_file_stops_the_bundle_with_a_message_naming_it(
        client: Client, personas: Personas, reports_program: Program) -> None:
    stored = blob_store().path(reports_program.sha256)  # type: ignore[attr-defined]
    stored.write_bytes(b"tampered")
    client.force_login(personas.alice)
    response = client.get("/o/acme/downloads/bundle/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/o/acme/downloads/"
    assert "access-review.csv" in page and "AC-1" in page and "does not match its hash" in page


def test_report_pdf_and_oscal_downloads(client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.dana)
    pdf = client.get("/o/acme/downloads/report-pdf/")
    assert pdf["Content-Type"] == "application/pdf" and _body(pdf).startswith(b"%PDF")
    oscal = zipfile.ZipFile(io.BytesIO(_body(client.get("/o/acme/downloads/oscal/"))))
    soc1, soc2 = reports_program.ids
    assert sorted(oscal.namelist()) == sorted(["catalog.json", f"assessment-plan-{soc1}.json",
                                               f"assessment-plan-{soc2}.json"])


def test_outsider_cannot_download(client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.charlie)
    assert client.get("/o/acme/downloads/bundle/").status_code == 404
    assert client.get("/o/acme/readiness/").status_code == 404


def test_an_organization_without_engagements_gets_a_pointer_and_still_downloads(client: Client,
                                                                               personas: Personas) -> None:
    client.force_login(personas.charlie)
    page = client.get("/o/other/readiness/").content.decode()
    assert "No engagement can be scored yet" in page and "Create task" not in page
    response = client.get("/o/other/downloads/matrix/")
    assert response.status_code == 200 and _body(response).startswith(b"PK")


def test_readiness_controls_table_names_each_status_in_words_not_its_code(
        client: Client, personas: Personas, reports_program: Program) -> None:
    client.force_login(personas.alice)
    page = client.get("/o/acme/readiness/").content.decode()
    table = page.split('data-testid="controls"')[1].split("</details>")[0]
    assert ">Not started</span>" in table and ">Implemented</span>" in table
    assert ">not_started<" not in table and ">implemented<" not in table
