"""axe-core, injected into every main page as the owner and as the auditor, finds no serious or critical issue.

axe-core is the npm package, installed by `make test-browser` into .browser-deps/ (see the Makefile).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from socready.accounts.models import Membership, Organization, Role, User
from socready.evidence.models import EvidenceItem, EvidenceRequest, EvidenceRevision
from socready.programs.models import Control, Engagement, RemediationTask

PASSWORD = "a long enough password"
AXE = Path(__file__).resolve().parents[2] / ".browser-deps" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ("", "controls/", "evidence/", "requests/", "readiness/", "engagements/", "tasks/", "populations/",
         "questionnaires/", "downloads/", "audit/", "objectives/")
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core goes in as an inline script, which the site's Content-Security-Policy rightly refuses; the
    # policy itself is tested in tests/integration/test_security_headers.py.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core not found at {AXE}; run `make test-browser` (it installs it with npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _program() -> None:
    org = Organization.objects.create(name="Paywise", slug="paywise")
    for email, role in (("lead@example.test", Role.OWNER), ("cpa@example.test", Role.AUDITOR)):
        Membership.objects.create(organization=org, role=role,
                                  user=User.objects.create_user(email=email, password=PASSWORD, first_name="Pat"))
    owner = User.objects.get(email="lead@example.test")
    soc2 = Engagement.objects.create(organization=org, report="soc2", report_type="type2",
                                     period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 12, 31),
                                     categories=["Security"])
    mfa = Control.objects.create(organization=org, code="IAM-05", title="Multi-factor authentication enforced",
                                 criteria=["CC6.1"], status="operating", owner=owner,
                                 evidence_requests=[{"id": "E-IAM-05", "name": "MFA export", "shows": "MFA on"}])
    mfa.engagements.add(soc2)
    item = EvidenceItem.objects.create(organization=org, kind="note", title="MFA policy export",
                                       effective_date=dt.date(2026, 10, 15))
    item.controls.add(mfa)
    item.current = EvidenceRevision.objects.create(item=item, number=1, text="MFA required for every account.")
    item.save()
    request = EvidenceRequest.objects.create(organization=org, code="E-IAM-05", title="MFA export",
                                             due_date=dt.date(2026, 1, 1))
    request.controls.add(mfa)
    request.engagements.add(soc2)
    RemediationTask.objects.create(organization=org, title="Enforce MFA on the VPN", control=mfa, owner=owner,
                                   due_date=dt.date(2026, 1, 15))


def _serious(page: Page, axe: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize("email", ["lead@example.test", "cpa@example.test"])
def test_every_main_page_has_no_serious_accessibility_issue(page: Page, live_server, transactional_db,  # type: ignore[no-untyped-def]
                                                            axe_source: str, email: str) -> None:
    _program()
    page.goto(f"{live_server.url}/accounts/login/")
    page.add_script_tag(content=axe_source)
    found = {"sign-in": _serious(page, axe_source)}
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/o/paywise/")
    for path in PAGES:
        page.goto(f"{live_server.url}/o/paywise/{path}")
        found[path or "dashboard"] = _serious(page, axe_source)
    problems = {name: issues for name, issues in found.items() if issues}
    assert not problems, "\n".join(f"{name}: {issue}" for name, issues in problems.items() for issue in issues)
