"""On a phone-sized window, no page of the demo organization is wider than the window: wide tables scroll
inside their own box, and the header keeps the organization picker usable."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from socready.demo.organization import demo_password, ensure_demo
from socready.programs.models import Engagement

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGES = ("/", "scoping/", "engagements/", "engagements/{engagement}/", "controls/", "controls/adopt/", "tasks/",
         "evidence/", "requests/", "populations/", "sampling/", "questionnaires/", "readiness/", "downloads/",
         "people/", "audit/")


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(demo_password())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/o/demo/")  # one organization: straight to its dashboard


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_pages_fit_a_phone_screen_for_owner_and_auditor(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                         shots: Path) -> None:
    ensure_demo()
    engagement = Engagement.objects.filter(organization__slug="demo").first()
    assert engagement is not None
    for role, email in (("owner", "owner@demo.socready.test"), ("auditor", "auditor@demo.socready.test")):
        page.context.clear_cookies()
        page.set_viewport_size(PHONE)
        _sign_in(page, live_server.url, email)
        too_wide = {}
        for path in PAGES:
            response = page.goto(f"{live_server.url}/o/demo/{path.format(engagement=engagement.pk).lstrip('/')}")
            assert response is not None and response.status == 200, path
            if _page_width(page) > PHONE["width"]:
                too_wide[path] = _page_width(page)
        assert too_wide == {}, f"{role}: pages wider than the phone: {too_wide}"
        picker = page.locator("#org-switch").bounding_box()
        assert picker is not None and picker["width"] > PHONE["width"] * 0.8  # a full row, not squeezed
        page.screenshot(path=str(shots / f"{role}-audit-phone.png"), full_page=False)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/o/demo/audit/")
    assert _page_width(page) <= DESKTOP["width"]  # long before/after values wrap instead of widening the page
    page.screenshot(path=str(shots / "audit-desktop.png"), full_page=False)
