"""A first-time lead is guided: the checklist ticks itself, the PDF is prepared with a progress bar, evidence is
added from a control's page, and deleting the evidence behind an accepted request is visible to the auditor."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from playwright.sync_api import Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.evidence.models import EvidenceItem, EvidenceRequest, EvidenceRevision, RequestStatus
from socready.evidence.services import review_request
from socready.programs.models import Control, Engagement
from socready.reports.jobs import run_job
from socready.reports.models import ExportJob

PASSWORD = "a long enough password"


def _org(with_auditor: bool = True) -> tuple[Organization, Control]:
    org = Organization.objects.create(name="Paywise", slug="paywise")
    people = [("lead@example.test", Role.OWNER)] + ([("cpa@example.test", Role.AUDITOR)] if with_auditor else [])
    for email, role in people:
        Membership.objects.create(organization=org, role=role,
                                  user=User.objects.create_user(email=email, password=PASSWORD))
    soc2 = Engagement.objects.create(organization=org, report="soc2", report_type="type1",
                                     as_of_date=dt.date(2026, 10, 31), categories=["Security"])
    mfa = Control.objects.create(organization=org, code="IAM-05", title="Multi-factor authentication enforced",
                                 criteria=["CC6.1"], status="operating")
    Control.objects.create(organization=org, code="CHG-01", title="Changes approved before release",
                           criteria=["CC8.1"], status="designed")
    mfa.engagements.add(soc2)
    return org, mfa


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_checklist_ticks_itself_when_the_auditor_is_invited(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                                shots: Path) -> None:
    _org(with_auditor=False)
    sign_in(page, live_server.url, "lead@example.test")
    expect(page).to_have_url(f"{live_server.url}/o/paywise/")  # one organization: straight to it
    checklist = page.get_by_test_id("checklist")
    expect(checklist.get_by_test_id("step-auditor")).to_have_attribute("data-done", "no")
    expect(checklist.get_by_test_id("step-controls")).to_have_attribute("data-done", "yes")
    page.screenshot(path=str(shots / "1-checklist.png"), full_page=True)
    checklist.get_by_role("link", name="Invite").click()
    page.get_by_label("Email").fill("cpa@example.test")
    page.get_by_label("Role").select_option("auditor")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("step-auditor")).to_have_attribute("data-done", "yes")
    page.screenshot(path=str(shots / "2-checklist-auditor-invited.png"), full_page=True)


def test_the_pdf_is_prepared_in_the_background_with_a_progress_bar(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                                   shots: Path, tmp_path: Path) -> None:
    org, _ = _org()
    owner = User.objects.get(email="lead@example.test")
    sign_in(page, live_server.url, "lead@example.test")
    # A job still waiting for the worker: its page shows the progress bar and polls.
    job = ExportJob.objects.create(organization=org, kind="report-pdf", requested_by=owner)
    page.goto(f"{live_server.url}/o/paywise/downloads/jobs/{job.pk}/")
    expect(page.locator("#export-progress-bar")).to_be_visible()
    page.screenshot(path=str(shots / "1-progress.png"), full_page=True)
    worker = threading.Thread(target=run_job, args=(job.pk,))
    worker.start()
    worker.join(timeout=120)
    # The page notices by itself: the link appears without a reload.
    download_link = page.locator("#export-download")
    expect(download_link).to_be_visible(timeout=15_000)
    page.screenshot(path=str(shots / "2-ready.png"), full_page=True)
    with page.expect_download() as caught:
        download_link.click()
    saved = tmp_path / "report.pdf"
    caught.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    # From the downloads page, the button queues a new one (the test settings run it at once).
    page.goto(f"{live_server.url}/o/paywise/downloads/")
    page.locator("#prepare-report-pdf").click()
    expect(page.locator("#export-download")).to_be_visible(timeout=30_000)


def test_evidence_is_added_from_the_control_page(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                 shots: Path, settings, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    _, mfa = _org()
    sign_in(page, live_server.url, "lead@example.test")
    page.goto(f"{live_server.url}/o/paywise/controls/{mfa.pk}/")
    page.get_by_role("link", name="Add evidence for IAM-05").click()
    expect(page.get_by_role("heading", name="Add evidence for IAM-05")).to_be_visible()
    expect(page.locator("#controls-chosen")).to_have_text("Chosen: IAM-05")
    # Only the chosen kind's field shows.
    expect(page.locator("#id_files")).to_be_visible()
    expect(page.locator("#id_url")).to_be_hidden()
    page.locator("#control-search").fill("release")
    expect(page.locator("#id_controls option", has_text="CHG-01")).to_be_visible()
    expect(page.locator("#id_controls option", has_text="IAM-05")).to_be_attached()  # chosen: never hidden
    page.locator("#control-search").fill("")
    # Two files dropped at once.
    transfer = page.evaluate_handle("""() => {
        const data = new DataTransfer();
        data.items.add(new File(["MFA policy"], "mfa-policy.txt", {type: "text/plain"}));
        data.items.add(new File(["MFA report"], "mfa-report.txt", {type: "text/plain"}));
        return data; }""")
    page.locator(".drop-zone").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator("#dropped-files li")).to_have_count(2)
    page.locator("#id_effective_date").fill("2026-10-15")
    page.screenshot(path=str(shots / "1-add-evidence.png"), full_page=True)
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Added 2 evidence items.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/o/paywise/controls/{mfa.pk}/")
    assert sorted(mfa.evidence_items.values_list("title", flat=True)) == ["mfa-policy.txt", "mfa-report.txt"]


def test_withdrawn_evidence_reopens_the_request_for_the_auditor(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                                shots: Path) -> None:
    org, mfa = _org()
    auditor = User.objects.get(email="cpa@example.test")
    request = EvidenceRequest.objects.create(organization=org, code="E-IAM-05", title="MFA settings export")
    request.controls.add(mfa)
    item = EvidenceItem.objects.create(organization=org, kind="note", title="MFA settings",
                                       effective_date=dt.date(2026, 10, 15), request=request)
    item.controls.add(mfa)
    item.current = EvidenceRevision.objects.create(item=item, number=1, text="Enforced for all.")
    item.save()
    review_request(request, auditor, "auditor", status=RequestStatus.ACCEPTED, text="Fine.")

    sign_in(page, live_server.url, "lead@example.test")
    page.goto(f"{live_server.url}/o/paywise/evidence/{item.pk}/delete/")
    expect(page.get_by_test_id("delete-warning")).to_contain_text("only evidence behind request E-IAM-05")
    page.screenshot(path=str(shots / "1-delete-warning.png"), full_page=True)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("reopened as \"evidence withdrawn\"")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "cpa@example.test")
    page.goto(f"{live_server.url}/o/paywise/requests/")
    expect(page.get_by_test_id("request-E-IAM-05")).to_contain_text("Evidence withdrawn")
    page.get_by_role("link", name="E-IAM-05").click()
    expect(page.get_by_text("Evidence withdrawn: 'MFA settings' was deleted")).to_be_visible()
    page.screenshot(path=str(shots / "2-auditor-sees-withdrawal.png"), full_page=True)
