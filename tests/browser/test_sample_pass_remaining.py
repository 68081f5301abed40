"""A tester checks one sampled item against its imported values, then passes the rest after confirming,
in a browser with JavaScript turned off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.evidence.models import SampleSet, SampleTest
from socready.programs.models import Control, Engagement

PASSWORD = "a long enough password"


def _program() -> None:
    owner = User.objects.create_user(email="lead@example.test", password=PASSWORD, first_name="Lee")
    org = Organization.objects.create(name="Paywise", slug="paywise")
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    Engagement.objects.create(organization=org, report="soc2", categories=["Security"], report_type="type2",
                              period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30))
    Control.objects.create(organization=org, code="CM-01", title="Changes are approved", frequency="per-event",
                           type2_attributes=["approved before deploy", "tested"])


def _sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill("lead@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_pass_all_remaining_needs_the_confirmation_and_works_without_javascript(  # type: ignore[no-untyped-def]
        page: Page, browser: Browser, live_server, transactional_db, shots: Path, tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    _program()
    changes = tmp_path / "changes.csv"
    changes.write_text("change_id,merged_on,approver\n" + "".join(
        f"CHG-{n:03d},2026-{1 + n % 6:02d}-{1 + n % 27:02d},approver-{n}\n" for n in range(20)), encoding="utf-8")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/o/paywise/populations/")
    page.locator("#id_control").select_option(label="CM-01 · Changes are approved")
    page.locator("#id_engagement").select_option(index=1)
    page.locator("#id_file").set_input_files(str(changes))
    page.locator("#id_id_column").fill("change_id")
    page.locator("#id_date_column").fill("merged_on")
    page.locator("#id_attribute_columns").fill("approver")
    page.locator("#population-import-submit").click()
    expect(page.locator("#population-status")).to_have_attribute("data-state", "done", timeout=15_000)
    page.locator("#id_seed").fill("7")
    page.locator("#sample-draw-submit").click()
    expect(page.locator("#sample-items [data-item]")).to_have_count(10)
    sample_set = SampleSet.objects.get()
    sample_url = page.url

    # Without JavaScript: the first item is checked against the approver the population names.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    _sign_in(plain, live_server.url)
    plain.goto(sample_url)
    plain.locator("#test-link-1").click()
    first = sample_set.items[0]
    expect(plain.locator('#imported-values [data-column="approver"]')).to_have_text(
        f"approver-{int(first['id'].split('-')[1])}")
    plain.locator("#id_result_0_0").check()
    plain.locator("#id_result_1_0").check()
    plain.screenshot(path=str(shots / "item-test.png"), full_page=True)
    plain.locator("#test-save").click()
    expect(plain.locator("#conclusion-verdict")).to_have_attribute("data-verdict", "INCOMPLETE")

    plain.get_by_role("link", name="Pass all remaining (9 items)…").click()
    expect(plain.locator("#remaining-items [data-item]")).to_have_count(9)
    plain.screenshot(path=str(shots / "pass-remaining-confirm.png"), full_page=True)
    confirm_url = plain.url
    plain.locator("#pass-remaining-submit").click()  # not ticked: the form does not go
    assert plain.url == confirm_url and SampleTest.objects.count() == 1
    plain.get_by_label("I checked each of these items: every attribute held").check()
    plain.locator("#id_note").fill("Approvals read in the change tickets.")
    plain.locator("#pass-remaining-submit").click()
    expect(plain.get_by_text("Recorded 9 items as passed on every attribute.")).to_be_visible()
    expect(plain.locator("#conclusion-verdict")).to_have_attribute("data-verdict", "EFFECTIVE")
    expect(plain.locator("#pass-remaining-link")).to_have_count(0)
    assert SampleTest.objects.filter(note__contains="Approvals read in the change tickets.").count() == 9
    plain.screenshot(path=str(shots / "pass-remaining-done.png"), full_page=True)
    context.close()
