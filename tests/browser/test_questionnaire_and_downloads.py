"""An owner answers a prospect's questionnaire; the auditor reads readiness and downloads the package."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Download, Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.evidence.models import EvidenceItem, EvidenceRevision
from socready.programs.models import Control, Engagement
from tests.unit.questionnaire.conftest import DEV_SET

PASSWORD = "a long enough password"


def _program() -> None:
    org = Organization.objects.create(name="Paywise", slug="paywise")
    for email, role in (("lead@example.test", Role.OWNER), ("cpa@example.test", Role.AUDITOR)):
        Membership.objects.create(organization=org, role=role,
                                  user=User.objects.create_user(email=email, password=PASSWORD))
    soc2 = Engagement.objects.create(organization=org, report="soc2", report_type="type1",
                                     as_of_date=dt.date(2026, 10, 31), categories=["Security"])
    mfa = Control.objects.create(organization=org, code="IAM-05", title="Multi-factor authentication enforced",
                                 description="Every sign-in to production and the admin consoles requires a second "
                                             "factor.", criteria=["CC6.1"], status="operating")
    mfa.engagements.add(soc2)
    item = EvidenceItem.objects.create(organization=org, kind="note", title="MFA policy export",
                                       effective_date=dt.date(2026, 10, 15))
    item.controls.add(mfa)
    item.current = EvidenceRevision.objects.create(item=item, number=1, text="MFA required for every account.")
    item.save()


def _questionnaire(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Security"
    sheet.append(["Ref", "Question", "Answer"])
    sheet.append(["Q1", "Do you have a SOC 2 Type II report?", ""])
    sheet.append(["Q2", "Is multi-factor authentication enforced for access to production?", ""])
    book.save(path)
    return path


def _prepared(page: Page, button: str | re.Pattern[str]) -> Download:
    """Prepare a questionnaire copy in the background, download it from its job page, and go back."""
    page.get_by_role("button", name=button).click()
    expect(page.locator("#export-status")).to_have_attribute("data-state", "done")
    with page.expect_download() as download:
        page.locator("#export-download").click()
    page.locator("#export-back").click()
    return download.value


def _sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_answer_a_questionnaire_then_the_auditor_downloads_the_package(  # type: ignore[no-untyped-def]
        page: Page, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    _program()
    _sign_in(page, live_server.url, "lead@example.test")

    page.goto(f"{live_server.url}/o/paywise/questionnaires/")
    page.locator("#qn-files").set_input_files(str(_questionnaire(tmp_path / "prospect.xlsx")))
    page.get_by_role("button", name="Upload and draft answers").click()
    expect(page.get_by_test_id("ask-lines")).to_contain_text("SOC 2 Type II")
    page.get_by_role("link", name="prospect.xlsx").click()
    mfa = page.get_by_test_id("answer-Q2")
    expect(mfa.locator("select")).to_have_value("Yes")  # an operating control with current evidence
    expect(mfa).to_contain_text("IAM-05")
    report = page.get_by_test_id("answer-Q1")
    report.locator("textarea").fill("A SOC 2 Type I as of 2026-10-31 is under way; the Type II follows.")
    report.get_by_label("Reviewed").check()
    report.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("answer-Q1")).to_contain_text("Reviewed")
    page.screenshot(path=str(shots / "1-questionnaire.png"), full_page=True)
    filled = tmp_path / "filled.xlsx"
    _prepared(page, "Prepare working copy").save_as(filled)
    sheet = load_workbook(filled)["Security"]
    assert sheet["C3"].value == "Yes" and "IAM-05" in sheet["D3"].value
    assert sheet["C2"].value == "No"
    assert sheet["D2"].value == "A SOC 2 Type I as of 2026-10-31 is under way; the Type II follows. Reviewed."
    sent = tmp_path / "to-send.xlsx"
    _prepared(page, re.compile(r"^Prepare copy to send")).save_as(sent)
    expect(page.get_by_role("heading", name="prospect.xlsx")).to_be_visible()
    to_send = load_workbook(sent)["Security"]
    # Only the reviewed answer goes to the prospect, with no review notes; the file has its own answer
    # column, so no column is added for the explanation.
    assert to_send["C2"].value == "No"
    assert to_send["C3"].value is None and to_send.max_column == 3
    cells = " ".join(str(c.value) for row in to_send.iter_rows() for c in row if c.value is not None)
    assert "IAM-05" not in cells and "Confidence" not in cells and "socready" not in cells

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, "cpa@example.test")
    page.goto(f"{live_server.url}/o/paywise/readiness/")
    expect(page.get_by_role("heading", name="Readiness", exact=True)).to_be_visible()
    page.screenshot(path=str(shots / "2-readiness-as-auditor.png"), full_page=True)
    page.goto(f"{live_server.url}/o/paywise/downloads/")
    with page.expect_download() as download:
        page.get_by_test_id("downloads").get_by_role("link", name="ZIP").last.click()
    bundle = tmp_path / "bundle.zip"
    download.value.save_as(bundle)
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert "manifest.json" in names and any(n.endswith(".xlsx") for n in names)
    page.screenshot(path=str(shots / "3-downloads-as-auditor.png"), full_page=True)


def test_a_real_hecvat_is_uploaded_reviewed_and_its_copy_to_send_differs_only_in_answer_cells(  # type: ignore[no-untyped-def]
        page: Page, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    if DEV_SET is None:
        pytest.skip("../shared/reference/questionnaires-dev is not beside this checkout")
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    _program()
    _sign_in(page, live_server.url, "lead@example.test")
    source = DEV_SET / "hecvat_lite_canvas_studio.xlsx"
    page.goto(f"{live_server.url}/o/paywise/questionnaires/")
    page.locator("#qn-files").set_input_files(str(source))
    page.get_by_role("button", name="Upload and draft answers").click()
    expect(page.get_by_test_id("ask-lines")).to_contain_text("SOC 2")
    page.get_by_role("link", name="hecvat_lite_canvas_studio.xlsx").click()
    page.get_by_role("link", name="Documentation").first.click()  # review section by section
    docu = page.get_by_test_id("answer-DOCU-01")
    docu.locator("select").select_option("No")
    docu.get_by_label("Reviewed").check()
    docu.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("count-reviewed")).to_have_text("1")  # the counters follow the save
    page.screenshot(path=str(shots / "hecvat-review.png"), full_page=True)
    sent = tmp_path / "to-send.xlsx"
    _prepared(page, re.compile(r"^Prepare copy to send")).save_as(sent)
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(sent) as after:
        assert before.namelist() == after.namelist()
        changed = [n for n in before.namelist() if before.read(n) != after.read(n)]
        vendor_sheet = after.read("xl/worksheets/sheet3.xml")
        # The x14 drop-downs and data validations of the vendor sheet are still there.
        assert vendor_sheet.count(b"dataValidation") == before.read("xl/worksheets/sheet3.xml").count(b"dataValidation")
    assert changed == ["xl/worksheets/sheet3.xml"]
    sheet = load_workbook(sent, read_only=True)["HECVAT - Lite | Vendor Response"]
    row = next(sheet.iter_rows(min_row=32, max_row=32, max_col=4, values_only=True))
    assert row[2] == "No"
