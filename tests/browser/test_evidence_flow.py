"""A control owner files evidence once for both reports, imports a population, draws a sample, notes an exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.programs.models import Control, Engagement

PASSWORD = "a long enough password"


def _program() -> tuple[Engagement, Engagement, Control]:
    owner = User.objects.create_user(email="lead@example.test", password=PASSWORD, first_name="Lee")
    org = Organization.objects.create(name="Paywise", slug="paywise")
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    window = {"report_type": "type2", "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 6, 30)}
    soc1 = Engagement.objects.create(organization=org, report="soc1", objectives=["CO-1"], **window)
    soc2 = Engagement.objects.create(organization=org, report="soc2", categories=["Security"], **window)
    review = Control.objects.create(organization=org, code="AC-04", title="Monthly access review",
                                    frequency="monthly", criteria=["CC6.2"], objectives=["CO-1"],
                                    type2_attributes=["review signed off", "removals done"])
    review.engagements.set([soc1, soc2])
    return soc1, soc2, review


def test_evidence_is_shared_and_a_sample_records_an_exception(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                              shots: Path, tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    soc1, soc2, review = _program()
    signed = tmp_path / "access-review-2026-03.txt"
    signed.write_text("March access review: 42 accounts, 2 removals, signed by the CFO.\n", encoding="utf-8")
    reviews = tmp_path / "reviews.csv"
    rows = ["review_id,performed_on,reviewer"] + [f"R-{n:03d},2026-{1 + n % 6:02d}-{1 + n % 27:02d},cfo"
                                                  for n in range(36)]
    reviews.write_text("\n".join(rows) + "\n", encoding="utf-8")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("lead@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # 1. One file for the shared control.
    page.goto(f"{live_server.url}/o/paywise/evidence/new/")
    page.locator("#id_kind").select_option("file")
    page.locator("#id_effective_date").fill("2026-03-31")
    page.locator("#id_controls").select_option(label="AC-04 Monthly access review")
    page.locator("#id_files").set_input_files(str(signed))
    page.screenshot(path=str(shots / "1-add-evidence.png"), full_page=True)
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Added 1 evidence item.")).to_be_visible()
    expect(page.get_by_role("link", name="access-review-2026-03.txt")).to_be_visible()

    # 2. Both engagements show it.
    for engagement in (soc1, soc2):
        page.goto(f"{live_server.url}/o/paywise/engagements/{engagement.pk}/evidence/")
        expect(page.get_by_role("heading", name=f"Evidence for {engagement.label}")).to_be_visible()
        expect(page.get_by_role("link", name="access-review-2026-03.txt")).to_be_visible()
    page.screenshot(path=str(shots / "2-engagement-evidence.png"), full_page=True)
    page.goto(f"{live_server.url}/o/paywise/controls/{review.pk}/evidence/")
    expect(page.get_by_text("no evidence for 2026-01")).to_have_count(2)  # one per engagement timeline
    page.screenshot(path=str(shots / "3-timeline.png"), full_page=True)

    # 3. Import the population of reviews.
    page.goto(f"{live_server.url}/o/paywise/populations/")
    page.locator("#id_control").select_option(label="AC-04 · Monthly access review")
    page.locator("#id_engagement").select_option(str(soc2.pk))
    page.locator("#id_kind").select_option("access_reviews")
    page.locator("#id_file").set_input_files(str(reviews))
    page.locator("#id_id_column").fill("review_id")
    page.locator("#id_date_column").fill("performed_on")
    page.locator("#id_attribute_columns").fill("reviewer")
    page.locator("#population-import-submit").click()
    expect(page.locator("#population-status")).to_have_attribute("data-state", "done", timeout=15_000)
    expect(page.locator("#population-rows")).to_contain_text("36")
    page.screenshot(path=str(shots / "4-population.png"), full_page=True)

    # 4. Draw a sample with a known seed.
    page.locator("#id_frequency").select_option("monthly")
    page.locator("#id_seed").fill("20260331")
    page.locator("#sample-draw-submit").click()
    expect(page.locator("#sample-seed")).to_contain_text("20260331")
    expect(page.locator("#sample-items [data-item]")).to_have_count(2)
    page.screenshot(path=str(shots / "5-sample.png"), full_page=True)

    # 5. First item: the review was signed but a removal was not done.
    page.locator("#test-link-1").click()
    page.locator("#id_result_0_0").check()
    page.locator("#id_result_1_1").check()
    page.locator("#id_note").fill("Leaver still had access 9 days after the review.")
    page.locator("#test-save-next").click()
    # Second item: both attributes hold.
    page.locator("#id_result_0_0").check()
    page.locator("#id_result_1_0").check()
    page.locator("#test-save").click()
    expect(page.locator("#conclusion-summary")).to_contain_text("exception noted")
    expect(page.locator("#conclusion-verdict")).to_have_attribute("data-verdict", "NOT_EFFECTIVE")
    expect(page.locator("#conclusion-deviations")).to_contain_text("removals done")
    page.screenshot(path=str(shots / "6-exception.png"), full_page=True)
