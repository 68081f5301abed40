"""Rows the URL walk of test_tenant_access fills its ``<int:pk>`` routes with, one maker per URL kind.

A tenant URL named ``<kind>-...`` with a pk is pointed at the row that ``ROW_MAKERS[kind]`` returns. A new
screen with a pk route registers its maker here; makers run in order and may use rows made before them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models

from socready.programs.models import Control, Engagement, RemediationTask
from socready.reports.models import ExportJob
from tests.integration.conftest import Personas

Maker = Callable[[Personas, dict[str, Any]], models.Model]
ROW_MAKERS: dict[str, Maker] = {}

# Views where an auditor's POST is allowed by design (comment on, accept or flag an evidence request).
AUDITOR_MAY_POST: set[str] = {"request-detail"}

# Views that only owners and admins may use: removing a control, a member or an engagement. A contributor's
# POST is refused like an auditor's. (engagement-delete is walked with the "engagement" row below.)
MANAGERS_ONLY: set[str] = {"control-delete", "member-remove", "engagement-delete"}


def maker(kind: str) -> Callable[[Maker], Maker]:
    def register(function: Maker) -> Maker:
        ROW_MAKERS[kind] = function
        return function
    return register


@maker("engagement")
def _engagement(personas: Personas, made: dict[str, Any]) -> models.Model:
    return Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type1",
                                     categories=["Security"])


@maker("control")
def _control(personas: Personas, made: dict[str, Any]) -> models.Model:
    control = Control.objects.create(organization=personas.acme, code="C-1", title="A control", criteria=["CC6.1"])
    control.engagements.add(made["engagement"])
    return control


@maker("task")
def _task(personas: Personas, made: dict[str, Any]) -> models.Model:
    return RemediationTask.objects.create(organization=personas.acme, title="A task", control=made["control"])


@maker("member")
def _member(personas: Personas, made: dict[str, Any]) -> models.Model:
    return personas.acme.memberships.get(user=personas.bob)


@maker("evidence")
def _evidence(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.evidence.models import EvidenceItem, EvidenceRevision

    item = EvidenceItem.objects.create(organization=personas.acme, kind="note", title="A note",
                                       effective_date=dt.date(2026, 3, 1))
    item.controls.add(made["control"])
    item.current = EvidenceRevision.objects.create(item=item, number=1, text="reviewed")
    item.save()
    return item


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
    from socready.evidence.models import Population

    return Population.objects.create(organization=personas.acme, control=made["control"], kind="changes",
                                     source_name="changes.csv", sha256="0" * 64, size=10, id_column="id",
                                     state="done", progress=100, rows=3)


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
    from socready.questionnaires.models import Questionnaire
    from socready.storage.blobs import blob_store

    content = b"ID,Question,Answer\nQ1,Is multi-factor authentication enforced for administrators?,\n"
    blob = blob_store().put([content], 1024)
    return Questionnaire.objects.create(organization=personas.acme, file_name="prospect.csv", sha256=blob.sha256,
                                        size=blob.size, question_count=1)


@maker("draftanswer")
def _draft_answer(personas: Personas, made: dict[str, Any]) -> models.Model:
    from socready.questionnaires.models import DraftAnswer

    return DraftAnswer.objects.create(questionnaire=made["questionnaire"], position=1, question_id="Q1",
                                      text="Is multi-factor authentication enforced for administrators?",
                                      location="row 2", review_reason="no evidence on file for IAM-05")


@maker("export")
def _export(personas: Personas, made: dict[str, Any]) -> models.Model:
    return ExportJob.objects.create(organization=personas.acme, kind="report-pdf", requested_by=personas.alice)
