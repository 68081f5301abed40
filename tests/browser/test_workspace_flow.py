"""A new owner scopes their reports, creates the engagements, adopts controls and sees the dashboard move."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from socready.accounts.models import Membership, Organization, Role, User


def test_new_owner_goes_from_scoping_to_a_live_dashboard(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                         shots: Path) -> None:
    owner = User.objects.create_user(email="founder@example.test", password="a long enough password",
                                     first_name="Fran")
    org = Organization.objects.create(name="Paywise", slug="paywise")
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("founder@example.test")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/paywise/")
    page.get_by_role("link", name="Start scoping").click()

    page.get_by_label("Company or service name").fill("Paywise")
    page.get_by_label("What does your service do").fill(
        "Paywise runs payroll for small businesses and pays their staff by direct deposit.")
    page.get_by_label("Payroll").check()
    page.get_by_label("Personal data").check()
    page.screenshot(path=str(shots / "1-scoping-service.png"), full_page=True)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Uptime you commit to").fill("99.9")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Vendors your service relies on").fill("AWS: cloud hosting")
    page.get_by_role("button", name="See the recommendation").click()

    expect(page.get_by_role("heading", name="Recommendation")).to_be_visible()
    expect(page.get_by_test_id("rec-soc1")).to_have_text("Yes")
    expect(page.get_by_test_id("rec-soc2")).to_have_text("Yes")
    expect(page.get_by_test_id("rec-categories")).to_contain_text("Availability")
    page.screenshot(path=str(shots / "2-recommendation.png"), full_page=True)
    page.get_by_role("button", name="Create engagements").click()

    expect(page.get_by_role("heading", name="Adopt controls from the library")).to_be_visible()
    page.get_by_role("button", name="Adopt all").click()
    expect(page.get_by_role("heading", name="Controls")).to_be_visible()
    page.screenshot(path=str(shots / "3-controls.png"), full_page=False)
    shared = page.locator("tr", has=page.locator(".badge.shared"))
    assert shared.count() > 0  # controls that serve both reports are one row, marked shared

    page.get_by_role("link", name="Dashboard").click()
    operating_before = int(page.get_by_test_id("status-operating").inner_text())
    page.get_by_role("link", name="Controls").click()
    shared.first.get_by_role("link").first.click()
    page.get_by_label("Owner").select_option(label="Fran")
    page.get_by_label("Status").select_option("operating")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("status-operating")).to_have_text(str(operating_before + 1))
    expect(page.get_by_test_id("engagement-soc1")).to_be_visible()
    expect(page.get_by_test_id("engagement-soc2")).to_be_visible()
    page.screenshot(path=str(shots / "4-dashboard.png"), full_page=True)
