"""Rows the URL walk of test_tenant_access fills its ``<int:pk>`` routes with, one maker per URL kind.

A tenant URL named ``<kind>-...`` with a pk is pointed at the row that ``ROW_MAKERS[kind]`` returns. A new
screen with a pk route registers its maker here; makers run in order and may use rows made before them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models

from socready.connectors.models import Connection, Run
from socready.evidence.models import ImportState
from socready.programs.models import RemediationTask, ReportType
from socready.reports.models import ExportJob
from tests.factories import (
    ControlFactory,
    EngagementFactory,
    EvidenceItemFactory,
    PopulationFactory,
    QuestionnaireFactory,
)
from tests.integration.conftest import Personas

Maker = Callable[[Personas, dict[str, Any]], models.Model]
ROW_MAKERS: dict[str, Maker] = {}

# Views where an auditor's POST is allowed by design (comment on, accept or flag an evidence request).
AUDITOR_MAY_POST: set[str] = {"request-detail"}

# Views that only owners and admins may use: removing a control, a member or an engagement. A contributor's
# POST is refused like an auditor's. (engagement-delete is walked with the "engagement" row below.)
MANAGERS_ONLY: set[str] = {"control-delete", "member-remove", "engagement-delete", "connection-new",
                            "connection-delete", "engagement-roll-forward"}


def maker(kind: str) -> Callable[[Maker], Maker]:
    def register(function: Maker) -> Maker:
        ROW_MAKERS[kind] = function
        return function
    return register


@maker("engagement")
def _engagement(personas: Personas, made: dict[str, Any]) -> models.Model:
    return EngagementFactory(organization=personas.acme, report_type=ReportType.TYPE1, as_of_date=None)


@maker("control")
def _control(personas: Personas, made: dict[str, Any]) -> models.Model:
    return ControlFactory(organization=personas.acme, code="C-1", title="A control", engagements=[made["engagement"]])


@maker("task")
def _task(personas: Personas, made: dict[str, Any]) -> models.Model:
    return RemediationTask.objects.create(organization=personas.acme, title="A task", control=made["control"])


@maker("member")
def _member(personas: Personas, made: dict[str, Any]) -> models.Model:
    return personas.acme.memberships.get(user=personas.bob)


@maker("evidence")
def _evidence(personas: Personas, made: dict[str, Any]) -> models.Model:
    return EvidenceItemFactory(organization=personas.acme, title="A note", effective_date=dt.date(2026, 3, 1),
                               controls=[made["control"]], revision__text="reviewed")


@maker("revision")
def _revision(personas: Personas, made: dict[str, Any]) -> models.Model:
    return made["evidence"].current


@maker("request")
def _request(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.evidence.models import EvidenceRequest

    request = EvidenceRequest.objects.create(organization=personas.acme, code="E-1", title="A request")
    request.controls.add(made["control"])
    request.engagements.add(made["engagement"])
    return request


@maker("population")
def _population(personas: Personas, made: dict[str, Any]) -> models.Model:
    return PopulationFactory(organization=personas.acme, control=made["control"], state=ImportState.DONE, progress=100,
                             rows=3)


@maker("sample")
def _sample(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.core.sampling.draw import Frequency, Risk, draw_sample
    from socready.evidence.models import SampleSet

    drawn = draw_sample(["A", "B", "C"], frequency=Frequency.MONTHLY, risk=Risk.MODERATE, seed=7)
    return SampleSet.objects.create(population=made["population"], frequency="monthly", seed=7,
                                    items=[{"id": i, "row": 2, "date": None} for i in drawn.items],
                                    record=drawn.to_dict(), attributes=["approved"])


@maker("questionnaire")
def _questionnaire(personas: Personas, made: dict[str, Any]) -> models.Model:
    return QuestionnaireFactory(organization=personas.acme)


@maker("draftanswer")
def _draft_answer(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.questionnaires.models import DraftAnswer

    return DraftAnswer.objects.create(questionnaire=made["questionnaire"], position=1, question_id="Q1",
                                      text="Is multi-factor authentication enforced for administrators?",
                                      location="row 2", review_reason="no evidence on file for IAM-05")


@maker("connection")
def _connection(personas: Personas, made: dict[str, Any]) -> models.Model:
    return Connection.objects.create(organization=personas.acme, kind="github", name="gh",
                                     options={"organization": "acme"})


@maker("run")
def _run(personas: Personas, made: dict[str, Any]) -> models.Model:
    return Run.objects.create(connection=made["connection"], status="failed", error="no token")


@maker("vendor")
def _vendor(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.vendors.models import Vendor

    return Vendor.objects.create(organization=personas.acme, name="A vendor", subservice="carve-out")


@maker("vendorreport")
def _vendor_report(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.vendors.models import VendorReport

    facts = {"report": "SOC 2", "type": "Type II", "period_start": "2025-01-01", "period_end": "2025-12-31",
             "opinion": "unqualified", "cuecs": [{"text": "Customers review their users.", "page": 3}], "pages": 9}
    return VendorReport.objects.create(organization=personas.acme, vendor=made["vendor"], evidence=made["evidence"],
                                       sha256="0" * 64, file_name="report.pdf", read_facts=facts, facts=facts)


@maker("export")
def _export(personas: Personas, made: dict[str, Any]) -> models.Model:
    return ExportJob.objects.create(organization=personas.acme, kind="report-pdf", requested_by=personas.alice)
