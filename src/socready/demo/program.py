"""The demo organization's program: scoping answers, two engagements, adopted controls, a few tasks."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from socready.accounts.models import Membership, Organization, Role
from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import recommend
from socready.core.scoping.timing import planned_window
from socready.demo.evidence import populate_evidence
from socready.demo.questionnaire import add_demo_questionnaire
from socready.demo.vendors import BANK_DATA, HOST, add_demo_vendors
from socready.programs.models import Control, ControlStatus, RemediationTask, ScopingProfile, TaskStatus
from socready.programs.services import adopt_controls, create_engagements

DEMO_ANSWERS = {
    "name": "Ledgerline",
    "description": (
        "Ledgerline runs payroll for mid-sized US and UK employers: we calculate gross-to-net pay, withhold "
        "and file payroll taxes, and move salaries by ACH. Customers also use our payments module to pay "
        "their suppliers. We store employees' personal and bank details and commit to 99.9% uptime."
    ),
    "financial_impact": ["payroll", "payment-processing", "tax-calculation"],
    "data": ["personal", "financial-records"],
    "commitments": {"uptime_sla_percent": 99.9, "processing_accuracy": True, "confidentiality": True,
                    "privacy_notice": False},
    "customers": {"regions": ["US", "UK"]},
    # Fictional, like the demo's vendor register (demo/vendors.py) that names them too.
    "subservice_organizations": [{"name": HOST, "service": "cloud hosting"},
                                 {"name": BANK_DATA, "service": "bank account verification"}],
}
# A spread of states so the dashboard has something to show; the pattern repeats over the controls.
STATUS_PATTERN = (ControlStatus.OPERATING, ControlStatus.OPERATING, ControlStatus.IMPLEMENTED,
                  ControlStatus.DESIGNED, ControlStatus.IN_PROGRESS, ControlStatus.NOT_STARTED)


def populate_program(org: Organization) -> None:
    """Give the demo organization its program once; later runs leave people's changes alone."""
    if org.engagements.exists():
        return
    today = timezone.localdate()
    answers = {**DEMO_ANSWERS, "controls_operating_since": (today - dt.timedelta(days=200)).isoformat()}
    recommendation = recommend(profile_from_dict(answers, source="demo"), today=today).to_dict()
    ScopingProfile.objects.update_or_create(organization=org, defaults={
        "answers": answers, "recommendation": recommendation, "updated_at": timezone.now()})
    start, end = planned_window(recommendation.get("observation_window_months"), today - dt.timedelta(days=90))
    plans = [{"report": report, "report_type": "type2", "period_start": start, "period_end": end,
              "auditor_firm": "Example & Partners CPAs"} for report in ("soc1", "soc2")
             if recommendation.get(report)]
    create_engagements(org, recommendation, plans)
    adopt_controls(org)
    owners = [m.user for m in Membership.objects.filter(organization=org).exclude(role=Role.AUDITOR)
              .select_related("user").order_by("id")]
    for control, status, owner in zip(Control.objects.filter(organization=org).order_by("code"),
                                      itertools.cycle(STATUS_PATTERN), itertools.cycle(owners), strict=False):
        control.status = status
        control.owner = owner
        control.save()
    first_gaps = list(Control.objects.filter(organization=org, status=ControlStatus.NOT_STARTED)[:3])
    for offset, control in zip((-10, 14, 30), first_gaps, strict=False):
        RemediationTask.objects.create(
            organization=org, control=control, owner=owners[0] if owners else None,
            title=f"Put {control.code} in place: {control.title}", due_date=today + dt.timedelta(days=offset),
            status=TaskStatus.OPEN if offset < 0 else TaskStatus.IN_PROGRESS)
    # Vendors first: the review and CUEC controls they add join the PBC list the evidence step plans.
    add_demo_vendors(org, owners[0] if owners else None, start, today)
    populate_evidence(org, today)
    add_demo_questionnaire(org, owners[0] if owners else None)
