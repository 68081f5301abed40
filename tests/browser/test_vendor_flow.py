"""A compliance lead adds a vendor, uploads its SOC report, confirms the facts; another rolls a period forward."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.programs.models import Control, Engagement

PASSWORD = "a long enough password"
REPORT = Path(__file__).resolve().parents[1] / "data" / "vendor_reports" / "larkspur_soc2_type2_qualified.pdf"


def _org() -> Organization:
    owner = User.objects.create_user(email="lead@example.test", password=PASSWORD, first_name="Lee")
    org = Organization.objects.create(name="Paywise", slug="paywise")
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    return org


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill("lead@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_vendor_report_is_read_confirmed_and_its_cuecs_become_controls(  # type: ignore[no-untyped-def]
        page: Page, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    org = _org()
    Engagement.objects.create(organization=org, report="soc2", report_type="type2", categories=["Security"],
                              period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/paywise/vendors/")
    page.get_by_label("Name").fill("Larkspur Cloud Hosting")
    page.get_by_label("Services used").fill("Managed hosting of the production platform")
    page.get_by_label("Subservice organization of our system").select_option("carve-out")
    page.get_by_role("button", name="Add vendor").click()
    expect(page.get_by_role("heading", name="Larkspur Cloud Hosting")).to_be_visible()

    page.get_by_label("SOC report (PDF)").set_input_files(str(REPORT))
    page.get_by_role("button", name="Upload and read").click()
    expect(page.get_by_role("heading", name=f"Review: {REPORT.name}")).to_be_visible()
    expect(page.get_by_label("Opinion")).to_have_value("qualified")
    expect(page.get_by_label("Service auditor")).to_have_value("Fenwick & Doyle LLP")
    expect(page.get_by_label("Period end")).to_have_value("2024-10-31")
    page.screenshot(path=str(shots / "vendor-review.png"), full_page=True)
    page.get_by_label("CUEC 2 becomes").select_option("task")
    page.get_by_label("Conclusion").select_option("follow_up")
    page.get_by_label("Why").fill("Qualified on change approval; our own change review compensates.")
    page.get_by_role("button", name="Confirm facts and record conclusion").click()

    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Reviewed")).to_be_visible()
    expect(page.get_by_role("link", name="CUEC 2 of Larkspur Cloud Hosting: Customers encrypt data")).to_be_visible()
    expect(page.get_by_text("The auditor's opinion is qualified")).to_be_visible()
    expect(page.get_by_text("Gap: ask for a bridge letter")).to_be_visible()
    page.screenshot(path=str(shots / "vendor-detail.png"), full_page=True)

    page.goto(f"{live_server.url}/o/paywise/controls/")
    expect(page.get_by_text("Customers review the accounts with access to their hosting console")).to_be_visible()
    assert Control.objects.filter(organization=org, family="Vendor CUECs").count() == 2

    page.goto(f"{live_server.url}/o/paywise/vendors/")
    expect(page.get_by_text("Gap: ask for a bridge letter")).to_be_visible()


def test_a_report_read_in_the_background_shows_its_progress_then_opens_the_review(  # type: ignore[no-untyped-def]
        page: Page, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from socready.vendors.models import Vendor
    from socready.vendors.services_reading import queue_report, read_report

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    org = _org()
    vendor = Vendor.objects.create(organization=org, name="Larkspur Cloud Hosting")
    # As on a server whose worker has not taken the task yet: the file is stored, the read is queued.
    report = queue_report(vendor, None, SimpleUploadedFile(REPORT.name, REPORT.read_bytes()))
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/paywise/vendors/reports/{report.pk}/")
    expect(page.get_by_role("heading", name=f"Reading: {REPORT.name}")).to_be_visible()
    expect(page.locator("#reading-progress")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm facts and record conclusion")).to_have_count(0)
    page.screenshot(path=str(shots / "vendor-reading.png"), full_page=True)
    read_report(report.pk)  # the worker reads it; the page, polling, opens the review by itself
    expect(page.get_by_role("heading", name=f"Review: {REPORT.name}")).to_be_visible()
    expect(page.get_by_label("Opinion")).to_have_value("qualified")


def test_an_engagement_is_rolled_forward_and_a_bridge_letter_downloaded(  # type: ignore[no-untyped-def]
        page: Page, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    org = _org()
    done = Engagement.objects.create(organization=org, report="soc2", report_type="type2", categories=["Security"],
                                     period_start=dt.date(2025, 7, 1), period_end=dt.date(2026, 6, 30))
    control = Control.objects.create(organization=org, code="AC-04", title="Monthly access review",
                                     criteria=["CC6.2"])
    control.engagements.set([done])
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/paywise/periods/")
    page.get_by_role("button", name="Roll forward to the next period").click()
    expect(page.get_by_text("Started SOC 2 Type II (2026-07-01 to 2027-06-30)")).to_be_visible()
    expect(page.get_by_text("Read-only: rolled forward to SOC 2 Type II (2026-07-01 to 2027-06-30)")).to_be_visible()
    page.screenshot(path=str(shots / "periods.png"), full_page=True)

    letter = page.locator("section.period").filter(has_text="2025-07-01 to 2026-06-30")
    letter.get_by_label("Covering up to").fill("2026-09-30")
    with page.expect_download() as caught:
        letter.get_by_role("button", name="Download bridge letter").click()
    download = caught.value
    assert download.suggested_filename == "paywise-bridge-letter-2026-09-30.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "Management's statement" in text and "92 days" in text

    page.goto(f"{live_server.url}/o/paywise/engagements/{done.pk}/")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert set(Engagement.objects.get(pk=done.pk + 1).controls.values_list("code", flat=True)) == {"AC-04"}
