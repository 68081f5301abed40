"""A new user signs in and browses the criteria catalog in a real browser."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from socready.accounts.models import User


def test_sign_in_and_filter_the_criteria(page: Page, live_server, transactional_db, shots: Path) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user(email="new@example.test", password="a long enough password")
    page.goto(f"{live_server.url}/catalog/criteria/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill("new@example.test")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Trust Services Criteria")).to_be_visible()
    expect(page.get_by_test_id("criteria-count")).to_have_text("61 shown")
    page.screenshot(path=str(shots / "criteria-all.png"), full_page=False)

    page.get_by_label("Category").select_option("Availability")
    expect(page.get_by_test_id("criteria-count")).to_have_text("3 shown")
    expect(page.locator("[id='criterion-A1.3']")).to_be_visible()
    expect(page.locator("[id='criterion-CC6.1']")).to_have_count(0)

    page.get_by_label("Search").fill("restore")
    expect(page.get_by_test_id("criteria-count")).not_to_have_text("3 shown")
    page.screenshot(path=str(shots / "criteria-filtered.png"), full_page=True)
    assert "category=Availability" in page.url  # the filter is in the address, so it can be shared
