"""Each exporter against a golden file, read back with the library an auditor's tools would use."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pdfplumber
from trestle.oscal import OSCAL_VERSION as TRESTLE_OSCAL_VERSION
from trestle.oscal.assessment_plan import AssessmentPlan
from trestle.oscal.catalog import Catalog

from socready.core.readiness.snapshot import ProgramSnapshot
from socready.io.exports.bundle import safe_name, write_bundle
from socready.io.exports.description import write_description
from socready.io.exports.matrix import write_matrix
from socready.io.exports.oscal import OSCAL_VERSION, write_oscal
from socready.io.exports.pbc import write_pbc_csv, write_pbc_xlsx
from socready.io.exports.report_html import SECTIONS, render_report_html
from socready.io.exports.report_pdf import write_report_pdf
from tests.unit.exports.conftest import GENERATED, REASONS, golden


def _sheets(path: Path) -> dict[str, list[list[str]]]:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_control_matrix_matches_golden_with_frozen_header_and_filter(snapshot, tmp_path) -> None:
    path = write_matrix(snapshot, tmp_path / "matrix.xlsx")
    sheets = _sheets(path)
    golden("matrix.json", sheets)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None
        assert sheet.column_dimensions["C"].width > 50
    shared = {row[0] for row in sheets["Shared"][1:]}
    assert shared == {row[0] for row in sheets["SOC 1"][1:]} & {row[0] for row in sheets["SOC 2"][1:]}


def test_pbc_csv_and_xlsx_list_each_shared_request_once_with_both_reports(snapshot, tmp_path) -> None:
    text = write_pbc_csv(snapshot, tmp_path / "pbc.csv").read_text(encoding="utf-8")
    golden("pbc.csv", text)
    rows = list(csv.DictReader(text.splitlines()))
    ids = [r["Request"] for r in rows]
    assert ids == sorted(set(ids))
    shared = next(r for r in rows if r["Request"] == "EV-IAM-01-1")
    assert shared["Reports"] == "SOC 2 Type II; SOC 1 Type I"
    assert shared["Controls"] == "IAM-01" and shared["Control titles"].startswith("IAM-01: ")
    xlsx_rows = _sheets(write_pbc_xlsx(snapshot, tmp_path / "pbc.xlsx"))["PBC"]
    assert [r[0] for r in xlsx_rows[1:]] == ids


def test_pbc_rows_say_what_the_list_holds_and_guess_no_due_date_or_assignee(snapshot, tmp_path) -> None:
    rows = {r["Request"]: r for r in csv.DictReader(write_pbc_csv(snapshot, tmp_path / "p.csv").open())}
    accepted, flagged = rows["EV-IAM-01-1"], rows["EV-CHG-01-2"]
    assert (accepted["Status"], accepted["Due"], accepted["Assignee"]) == ("Accepted", "2026-03-27", "Ivy Lead")
    assert accepted["Evidence provided"] == "IAM-01 record 1 (2026-03-31)"
    assert accepted["Latest comment"] == "2026-04-02 Example CPA reviewer: Agrees to the system listing."
    assert accepted["Flagged because"] == ""
    # The team answered after the flag: the latest comment is theirs, the flag's reason still shows.
    assert flagged["Status"] == "Flagged" and flagged["Flagged because"] == "Two approvals are not dated."
    assert flagged["Latest comment"] == "2026-04-09 Dev Lead: Exported again with approval times."
    # A request the controls ask for that the list does not hold yet says so, with no date or person made up.
    unlisted = rows["EV-IAM-01-2"]
    assert (unlisted["Status"], unlisted["Due"], unlisted["Assignee"]) == ("Not on the PBC list yet", "", "")


def test_pbc_xlsx_has_date_cells_and_status_labels(snapshot, tmp_path) -> None:
    sheet = openpyxl.load_workbook(write_pbc_xlsx(snapshot, tmp_path / "pbc.xlsx"))["PBC"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["Request", "What to provide", "Controls", "Control titles", "Reports", "Status", "Due",
                      "Assignee", "Evidence provided", "Latest comment", "Flagged because"]
    by_id = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    due = by_id["EV-CHG-01-2"][header.index("Due")]
    assert due.is_date and due.value.date() == dt.date(2026, 4, 10) and due.number_format == "yyyy-mm-dd"
    assert by_id["EV-IAM-01-2"][header.index("Due")].value is None
    assert {row[header.index("Status")].value for row in by_id.values()} == {
        "Accepted", "Flagged", "Not on the PBC list yet"}


def test_description_follows_dc_200_and_highlights_every_placeholder(
    snapshot, profile, recommendation, tmp_path
) -> None:
    path = write_description(snapshot, tmp_path / "d.docx", profile, recommendation)
    document = docx.Document(str(path))
    content = [
        [p.style.name, p.text, any(r.font.highlight_color is not None for r in p.runs)]
        for p in document.paragraphs
    ]
    golden("description.json", content)
    headings = [text for style, text, _ in content if style == "Heading 1"]
    assert [h.split(".")[0] for h in headings] == [f"DC{n}" for n in range(1, 10)]
    placeholders = [c for c in content if "[TO COMPLETE:" in c[1]]
    assert placeholders and all(highlighted for _, _, highlighted in placeholders)
    assert any("AWS (cloud hosting), carve-out" in text for _, text, _ in content)


def test_oscal_catalog_and_plans_load_in_trestle_and_match_golden(snapshot, tmp_path) -> None:
    paths = write_oscal(snapshot, tmp_path / "oscal", GENERATED)
    assert OSCAL_VERSION == TRESTLE_OSCAL_VERSION
    catalog = json.loads(paths[0].read_text(encoding="utf-8"))
    Catalog.model_validate(catalog["catalog"])
    golden("oscal-catalog.json", catalog)
    for path in paths[1:]:
        plan = json.loads(path.read_text(encoding="utf-8"))
        AssessmentPlan.model_validate(plan["assessment-plan"])
        golden(f"oscal-{path.name}", plan)
    ids = [c["id"] for g in catalog["catalog"]["groups"] for c in g["controls"]]
    assert len(ids) == len(snapshot.controls)


def test_html_report_is_self_contained_and_matches_golden(snapshot, readiness) -> None:
    html = render_report_html(snapshot, readiness, REASONS, GENERATED)
    golden("report.html", html)
    assert (
        "<link" not in html
        and "<script" not in html
        and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert html.count("<svg") >= 5
    for section_id, title in SECTIONS:
        assert f'id="{section_id}"' in html and title in html


def test_pdf_has_a_contents_page_and_every_heading(snapshot, readiness, tmp_path) -> None:
    path = write_report_pdf(snapshot, readiness, tmp_path / "r.pdf", REASONS, GENERATED)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 6
        first = pdf.pages[0].extract_text()
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Contents" in first and "Acme Payroll Cloud" in first
    for _, title in SECTIONS:
        assert title in text
    assert f"Page 1 of {len(pdfplumber.open(path).pages)}" in text


def test_bundle_holds_every_export_and_evidence_with_a_matching_manifest(
    snapshot, readiness, tmp_path
) -> None:
    evidence = tmp_path / "review.pdf"
    evidence.write_bytes(b"%PDF-1.4 quarterly review")
    other = tmp_path / "x.txt"
    other.write_bytes(b"log extract")
    path = write_bundle(
        snapshot,
        readiness,
        tmp_path / "bundle.zip",
        [
            ("IAM-03", "review.pdf", evidence),
            ("../IAM-03", "../../etc/pass\x00wd\n", other),
            ("IAM-03", "review.pdf", other),
        ],
        REASONS,
        include_pdf=False,
        generated=GENERATED,
    )
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
    assert {
        "readiness-report.html",
        "control-matrix.xlsx",
        "pbc-list.csv",
        "system-description.docx",
        "oscal/catalog.json",
        "evidence/IAM-03/review.pdf",
        "evidence/IAM-03/2-review.pdf",
    } <= set(names)
    assert all(".." not in n.split("/") and not n.startswith("/") for n in names)
    assert "evidence/IAM-03/passwd" in names
    assert len(manifest["files"]) == len(names) - 1


def test_safe_name_strips_separators_dots_and_control_characters() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("a\x07b\r\n.txt") == "ab.txt"
    assert safe_name("..") == "file"
    assert safe_name("C:\\Windows\\evil.bat") == "evil.bat"


def test_matrix_attribute_cells_are_bullets_without_an_apostrophe(snapshot: ProgramSnapshot, tmp_path: Path) -> None:
    path = write_matrix(snapshot, tmp_path / "matrix.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("Type II attributes")
    cells = [row[column].value for row in sheet.iter_rows(min_row=2) if row[column].value]
    assert cells and all(c.startswith("• ") for c in cells)
    assert not any(c.startswith("'") for c in cells)
