"""The demo organization and the server-side commands."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from socready.accounts.models import Membership, Organization
from socready.audit.models import AuditEvent
from socready.cli.main import app
from socready.demo.organization import ensure_demo
from socready.evidence.models import SampleSet
from socready.evidence.services import evidence_figures
from socready.programs.models import Control, Engagement, RemediationTask
from socready.questionnaires.models import Questionnaire
from socready.vendors.models import Vendor, VendorReport, VendorRisk
from socready.vendors.services import vendor_coverage


@pytest.mark.django_db
def test_demo_is_a_payroll_fintech_with_both_reports_and_every_role_and_is_idempotent() -> None:
    first = ensure_demo()
    assert first["slug"] == "demo"
    org = Organization.objects.get(slug="demo")
    assert {m.role for m in Membership.objects.filter(organization=org)} == {"owner", "admin", "contributor",
                                                                             "auditor"}
    assert sorted(Engagement.objects.filter(organization=org).values_list("report", flat=True)) == ["soc1", "soc2"]
    controls = Control.objects.filter(organization=org).count()
    statuses = set(Control.objects.filter(organization=org).values_list("status", flat=True))
    assert controls > 50 and len(statuses) >= 4
    assert RemediationTask.objects.filter(organization=org).exists()
    # Evidence over the window, a PBC list the auditor has started on, a tested sample, a questionnaire.
    figures = evidence_figures(org)
    assert figures.items > 50 and figures.populations == 1
    assert figures.requests["provided"] > 0 and figures.requests["accepted"] > 0 and figures.requests["flagged"] == 1
    sample = SampleSet.objects.get(population__organization=org)
    assert sample.tests.count() == 10 and sum(not t.passed for t in sample.tests.all()) == 1
    # The changes belong to the change-approval control, under an engagement that control serves, and the
    # one exception is a late approval.
    population = sample.population
    assert (population.source_name, population.control.library_id) == ("production-changes.csv", "CHG-01")
    assert population.engagement in population.control.engagements.all()
    (failed,) = [t for t in sample.tests.all() if not t.passed]
    assert [name for name, ok in failed.results.items() if not ok] == ["approval dated before deployment"]
    questionnaire = Questionnaire.objects.get(organization=org)
    assert questionnaire.answers.count() == 15 and questionnaire.answers.filter(answer="Yes").exists()
    # The vendor register: the cloud host as a carve-out subservice organization with a reviewed report whose
    # CUECs became a control, a task and a reasoned "not applicable", and the bank-data provider with none yet.
    host, bank = Vendor.objects.filter(organization=org).order_by("name")
    assert (host.name, host.subservice, bank.subservice) == ("Nimbus Harbor Cloud", "carve-out", "carve-out")
    report = VendorReport.objects.get(vendor=host)
    assert report.status == "reviewed" and report.facts["opinion"] == "unqualified"
    assert report.facts["service_auditor"] == "Marlowe Quay LLP" and len(report.facts["cuecs"]) == 3
    assert [c.treatment for c in report.cuecs.order_by("number")] == ["control", "task", "not_applicable"]
    assert VendorRisk.objects.filter(vendor=host).count() == 1 and not bank.reports.exists()
    soc2 = Engagement.objects.get(organization=org, report="soc2")
    coverage = vendor_coverage(host, soc2)
    assert coverage is not None and coverage.gaps
    client = Client()
    client.force_login(Membership.objects.get(organization=org, role="owner").user)
    detail = client.get(f"/o/demo/vendors/{host.pk}/").content.decode()
    assert "ask for the vendor&#x27;s next report" in detail and "not applicable: Our own backup control" in detail
    review = client.get(f"/o/demo/vendors/reports/{report.pk}/").content.decode()
    assert "Marlowe Quay LLP" in review and "What each CUEC becomes in our program" in review
    events = AuditEvent.objects.count()
    ensure_demo()
    assert Control.objects.filter(organization=org).count() == controls
    assert Engagement.objects.filter(organization=org).count() == 2
    assert AuditEvent.objects.count() == events  # a refresh that changes nothing records nothing


@pytest.mark.django_db
def test_audit_verify_command_reports_an_intact_chain() -> None:
    ensure_demo()
    result = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert '"ok": true' in result.stdout


def test_the_demo_says_where_its_data_lives_how_to_reset_and_how_to_stop(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from socready.cli.server import demo_guide

    settings.DATA_DIR = tmp_path
    served = " ".join(demo_guide(no_serve=False))
    assert str(tmp_path) in served and "delete" in served and "Ctrl+C" in served
    assert "Ctrl+C" not in " ".join(demo_guide(no_serve=True))
