"""An owner adds an AWS connection (moto through real boto3), runs it, and sees the failing check everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import boto3
from playwright.sync_api import Page, expect

from socready.accounts.models import Membership, Organization, Role, User
from socready.core.controls.library import default_library
from socready.programs.models import Control, Engagement
from tests.connector_servers import moto_server

PASSWORD = "a long enough password"


def _program() -> Control:
    owner = User.objects.create_user(email="lead@example.test", password=PASSWORD, first_name="Lee")
    org = Organization.objects.create(name="Cloudwise", slug="cloudwise")
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    today = dt.date.today()
    soc2 = Engagement.objects.create(organization=org, report="soc2", report_type="type2", categories=["Security"],
                                     period_start=today - dt.timedelta(days=30),
                                     period_end=today + dt.timedelta(days=150))
    library = {c.id: c for c in default_library()}
    mfa = None
    for code in ("IAM-05", "LOG-01", "DPE-05"):
        row = Control.objects.create(organization=org, code=code, library_id=code, title=library[code].title,
                                     frequency=library[code].frequency, criteria=list(library[code].criteria),
                                     status="operating")
        row.engagements.add(soc2)
        mfa = mfa or row
    assert mfa is not None
    return mfa


def test_add_run_and_see_the_failing_check(page: Page, live_server, transactional_db, shots: Path,  # type: ignore[no-untyped-def]
                                           tmp_path: Path, settings) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    control = _program()
    with moto_server() as moto:
        iam = boto3.client("iam", endpoint_url=moto, region_name="us-east-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing")  # noqa: S106
        iam.create_user(UserName="alice")
        iam.create_login_profile(UserName="alice", Password="A-long-Passw0rd!")

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill("lead@example.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.goto(f"{live_server.url}/o/cloudwise/connections/")
        page.locator("#add-aws").click()
        page.locator("#id_name").fill("production")
        page.locator("#id_opt_regions").fill("us-east-1")
        page.locator("#id_opt_endpoint_url").fill(moto)
        page.locator("#id_opt_access_key_id").fill("AKIAEXAMPLEKEY000001")
        page.locator("#id_opt_secret_access_key").fill("a-secret-access-key")
        page.screenshot(path=str(shots / "1-add-connection.png"), full_page=True)
        page.locator("#connection-save").click()
        expect(page.get_by_text("Saved production; the test reached the system.")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("a-secret-access-key")

        page.locator("#run-now").click()
        expect(page.get_by_text("The run finished in")).to_be_visible()
        expect(page.locator("#check-table")).to_contain_text("1 IAM user with console access and no MFA: alice")
        page.screenshot(path=str(shots / "2-connection-run.png"), full_page=True)

    page.goto(f"{live_server.url}/o/cloudwise/controls/{control.pk}/")
    expect(page.locator("#control-checks")).to_contain_text("1 IAM user with console access and no MFA: alice")
    page.screenshot(path=str(shots / "3-control-page.png"), full_page=True)

    page.goto(f"{live_server.url}/o/cloudwise/")
    expect(page.locator("#failing-checks")).to_contain_text("alice")
    expect(page.locator("#failing-checks")).to_contain_text("no logging multi-region CloudTrail trail")
    page.screenshot(path=str(shots / "4-dashboard.png"), full_page=True)
