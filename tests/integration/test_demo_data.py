"""The demo's data reads like a real program, and its PBC export says what its PBC page says."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from typer.testing import CliRunner

from socready.accounts.models import Membership, Organization, Role
from socready.cli.main import app
from socready.core.window import Window, expected_periods
from socready.demo.organization import ensure_demo
from socready.evidence.models import EvidenceRequest
from socready.programs.models import Control

pytestmark = pytest.mark.django_db


def _demo() -> Organization:
    ensure_demo()
    return Organization.objects.get(slug="demo")


def test_demo_requests_are_planned_and_daily_evidence_reaches_today() -> None:
    org = _demo()
    window_end = org.engagements.get(report="soc2").period_end
    team = set(Membership.objects.filter(organization=org).exclude(role=Role.AUDITOR).values_list("user", flat=True))
    requests = list(EvidenceRequest.objects.filter(organization=org))
    assert requests and all(r.due_date and r.due_date <= window_end for r in requests)
    assert all(r.assignee_id in team for r in requests)
    assert len({r.due_date for r in requests}) > 10 and len({r.assignee_id for r in requests}) == len(team)
    today = timezone.localdate()
    for control in Control.objects.filter(organization=org, frequency="daily", status="operating"):
        engagement = control.engagements.get(report="soc2")
        periods = expected_periods("daily", Window(engagement.period_start, min(engagement.period_end, today)))
        latest = control.evidence_items.order_by("-effective_date").first()
        assert latest is not None and latest.effective_date >= periods[-1].start, control.code


def _expected(org: Organization) -> dict[str, tuple[dt.date | None, str, str]]:
    """Due date, assignee and status per request, as the PBC page shows them."""
    return {r.code: (r.due_date, r.assignee.display_name if r.assignee else "", r.get_status_display())
            for r in EvidenceRequest.objects.filter(organization=org).select_related("assignee")}


def test_demo_pbc_export_agrees_with_the_pbc_page_in_xlsx_csv_and_download(tmp_path: Path, client: Client) -> None:
    org = _demo()
    expected = _expected(org)
    runner = CliRunner()
    assert runner.invoke(app, ["export", "pbc", "--org", "demo", "-o", str(tmp_path / "p.xlsx")]).exit_code == 0
    assert runner.invoke(app, ["export", "pbc", "--org", "demo", "-o", str(tmp_path / "p.csv")]).exit_code == 0
    sheet = load_workbook(tmp_path / "p.xlsx")["PBC"]
    header = [c.value for c in sheet[1]]
    code, due, who, status = (header.index(n) for n in ("Request", "Due", "Assignee", "Status"))
    from_xlsx = {row[code].value: (row[due].value.date() if row[due].value else None, row[who].value or "",
                                   row[status].value) for row in sheet.iter_rows(min_row=2)}
    assert from_xlsx == expected
    with (tmp_path / "p.csv").open(encoding="utf-8") as handle:
        from_csv = list(csv.DictReader(handle))
    assert {r["Request"]: (dt.date.fromisoformat(r["Due"]) if r["Due"] else None, r["Assignee"], r["Status"])
            for r in from_csv} == expected
    flagged = next(r for r in from_csv if r["Status"] == "Flagged")
    assert flagged["Flagged because"] and flagged["Controls"] and flagged["Evidence provided"]
    client.force_login(Membership.objects.get(organization=org, role=Role.AUDITOR).user)
    response = client.get("/o/demo/downloads/pbc/?format=csv")
    downloaded = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert downloaded == from_csv
