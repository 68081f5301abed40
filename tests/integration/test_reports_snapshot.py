"""The bridge from database rows to the readiness snapshot: what it carries over, and in how many queries.

``make_program`` builds the small program the reports CLI and web tests share: a SOC 1 and a SOC 2 Type I
sharing control AC-1, one control for each report alone, evidence with a stored file, a task, a PBC request,
and a SOC 2 Type II without dates that cannot be scored yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.controls.library import default_library
from socready.core.readiness.snapshot import SampleSummary
from socready.evidence.models import EvidenceItem, EvidenceKind, EvidenceRequest, ImportState, SampleSet, SampleTest
from socready.evidence.services import review_request
from socready.programs.models import Control, Engagement, RemediationTask, Report, ReportType
from socready.snapshot import build_view
from socready.storage.blobs import blob_store
from tests.factories import ControlFactory, EngagementFactory, EvidenceItemFactory, PopulationFactory
from tests.integration.conftest import Personas

EVIDENCE_BYTES = b"user,access,approved\nana,admin,yes\n"


@dataclass
class Program:
    org: Organization
    soc1: Engagement
    soc2: Engagement
    undated: Engagement
    shared: Control
    only_soc2: Control
    only_soc1: Control
    evidence: EvidenceItem
    sha256: str
    task: RemediationTask

    @property
    def ids(self) -> tuple[str, str]:
        return str(self.soc1.pk), str(self.soc2.pk)


def add_evidence(org: Organization, control: Control, title: str, content: bytes | None = None,
                 days_ago: int = 10, file_name: str = "access-review.csv") -> EvidenceItem:
    """An evidence item on ``control``, with a stored file revision when ``content`` is given."""
    effective_date = timezone.localdate() - dt.timedelta(days=days_ago)
    if content is None:
        return EvidenceItemFactory(organization=org, title=title, effective_date=effective_date, controls=[control],
                                   revision=False)
    stored = blob_store().put([content], max_bytes=1 << 20)
    return EvidenceItemFactory(organization=org, kind=EvidenceKind.FILE, title=title, effective_date=effective_date,
                               controls=[control], revision__sha256=stored.sha256, revision__size=stored.size,
                               revision__file_name=file_name)


def make_program(personas: Personas) -> Program:
    """The shared test program in Acme (see the module docstring)."""
    org = personas.acme
    as_of = timezone.localdate() + dt.timedelta(days=30)
    soc1 = EngagementFactory(organization=org, report=Report.SOC1, report_type=ReportType.TYPE1, as_of_date=as_of,
                             objectives=["ITGC-ACCESS"], auditor_firm="Example CPAs")
    soc2 = EngagementFactory(organization=org, report_type=ReportType.TYPE1, as_of_date=as_of)
    undated = EngagementFactory(organization=org, period_start=None, period_end=None,
                                categories=["Security", "Availability"])
    shared = ControlFactory(
        organization=org, code="AC-1", library_id="IAM-01", title="Access reviewed every quarter",
        frequency="quarterly",
        status="implemented", owner=personas.bob, criteria=["CC6.1", "CC6.2"], objectives=["ITGC-ACCESS"],
        evidence_requests=[{"id": "EV-AC-1", "name": "Access review sign-off", "shows": "who reviewed what"}],
        engagements=[soc1, soc2, undated])
    only_soc2 = ControlFactory(organization=org, code="LOG-1", title="Security events alerted",
                               frequency="continuous", status="designed", criteria=["CC7.2"], engagements=[soc2])
    only_soc1 = ControlFactory(organization=org, code="CHG-1", title="Changes approved", frequency="annual",
                               status="not_started", criteria=[], objectives=["ITGC-ACCESS"], engagements=[soc1])
    evidence = add_evidence(org, shared, "Q3 access review", EVIDENCE_BYTES)
    request = EvidenceRequest.objects.create(organization=org, code="EV-AC-1", title="Access review sign-off",
                                             status="provided", due_date=as_of, assignee=personas.bob)
    request.controls.add(shared)
    request.engagements.set([soc1, soc2])
    task = RemediationTask.objects.create(organization=org, title="Wire alerts to the on-call rota",
                                          control=only_soc2, owner=personas.alice,
                                          due_date=timezone.localdate() + dt.timedelta(days=20))
    sha256 = evidence.current.sha256 if evidence.current else ""
    return Program(org, soc1, soc2, undated, shared, only_soc2, only_soc1, evidence, sha256, task)


@pytest.fixture
def reports_program(personas: Personas, settings, tmp_path_factory) -> Program:  # type: ignore[no-untyped-def]
    # Stored files are shared by hash; a store per test keeps one test's tampering out of the next.
    settings.EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")
    return make_program(personas)


def test_snapshot_carries_engagements_controls_evidence_tasks_and_requests(reports_program: Program) -> None:
    p = reports_program
    view = build_view(p.org)
    snapshot = view.snapshot
    assert [e.id for e in snapshot.engagements] == list(p.ids)
    assert set(view.engagement_rows) == set(p.ids) and view.engagement_rows[str(p.soc1.pk)] == p.soc1
    soc1 = snapshot.engagement(str(p.soc1.pk))
    assert (soc1.report, soc1.type_label, soc1.objectives, soc1.auditor) == ("soc1", "Type I", ("ITGC-ACCESS",),
                                                                        "Example CPAs")
    assert len(view.skipped) == 1 and "needs a period start and end: set them" in view.skipped[0]
    states = {s.id: s for s in snapshot.controls}
    shared = states["AC-1"]
    # The undated engagement is skipped, so the shared control serves only the two scored ones.
    assert set(shared.engagements) == set(p.ids)
    assert shared.owner == "Bob" and shared.status == "implemented"
    assert [(e.title, e.effective) for e in shared.evidence] == [("Q3 access review", p.evidence.effective_date)]
    assert shared.control.evidence[0].id == "EV-AC-1"
    # Adopted controls take their library entry's owner role; custom ones have none.
    assert shared.control.owner_role == default_library().control("IAM-01").owner_role != ""
    assert states["LOG-1"].control.owner_role == "" and states["LOG-1"].control.custom
    assert states["LOG-1"].engagements == (str(p.soc2.pk),) and states["LOG-1"].evidence == ()
    assert view.evidence_files == (("AC-1", "access-review.csv", p.sha256),)
    assert [(t.title, t.control_id, t.owner) for t in snapshot.tasks] == [
        ("Wire alerts to the on-call rota", "LOG-1", "Alice")]
    (request,) = snapshot.requests
    # Listed once for the two scored engagements (the undated one is skipped), as the PBC page lists it.
    assert (request.request_id, set(request.engagements), request.controls, request.status) == (
        "EV-AC-1", set(p.ids), ("AC-1",), "provided")
    assert (request.title, request.due, request.assignee) == ("Access review sign-off", p.soc1.as_of_date, "Bob")


def test_snapshot_requests_carry_their_live_evidence_and_comments_as_the_request_page_shows(
        reports_program: Program, personas: Personas) -> None:
    p = reports_program
    row = EvidenceRequest.objects.get(organization=p.org, code="EV-AC-1")
    p.evidence.request = row
    p.evidence.save()
    withdrawn = add_evidence(p.org, p.shared, "Withdrawn export")
    withdrawn.request, withdrawn.deleted_at = row, timezone.now()
    withdrawn.save()
    review_request(row, personas.dana, "auditor", status="flagged", text="Sign-off is not dated.")
    review_request(row, personas.bob, "contributor", text="Dated copy attached.")
    (request,) = build_view(p.org).snapshot.requests
    assert request.evidence == (f"Q3 access review ({p.evidence.effective_date})",)
    assert [(c.author, c.text, c.status_set) for c in request.comments] == [
        ("Dana", "Sign-off is not dated.", "flagged"), ("Bob", "Dated copy attached.", "")]
    assert request.flag_reason == "Sign-off is not dated." and request.latest_comment == request.comments[-1]


def test_deleted_evidence_and_other_organizations_rows_stay_out(reports_program: Program,
                                                                personas: Personas) -> None:
    p = reports_program
    gone = add_evidence(p.org, p.only_soc2, "Withdrawn screenshot")
    gone.deleted_at = timezone.now()
    gone.save()
    Control.objects.create(organization=personas.other, code="AC-1", title="Someone else's control")
    view = build_view(p.org)
    states = {s.id: s for s in view.snapshot.controls}
    assert states["LOG-1"].evidence == ()
    assert len(view.snapshot.controls) == 3


def test_only_the_latest_sample_of_a_population_counts_with_its_exceptions(reports_program: Program) -> None:
    p = reports_program
    population = PopulationFactory(organization=p.org, control=p.shared, source_name="reviews.csv",
                                   state=ImportState.DONE)
    old = SampleSet.objects.create(population=population, frequency="quarterly", seed=1,
                                   created_at=timezone.now() - dt.timedelta(days=3))
    SampleTest.objects.create(sample=old, item_id="r0", results={"signed": False})
    latest = SampleSet.objects.create(population=population, frequency="quarterly", seed=2)
    SampleTest.objects.create(sample=latest, item_id="r1", results={"signed": True, "timely": True})
    SampleTest.objects.create(sample=latest, item_id="r2", results={"signed": True, "timely": False})
    SampleTest.objects.create(sample=latest, item_id="r3", results={"signed": True})
    states = {s.id: s for s in build_view(p.org).snapshot.controls}
    assert states["AC-1"].samples == SampleSummary(sample_size=3, exceptions=1)
    assert states["LOG-1"].samples is None


def test_not_applicable_controls_carry_their_reason(reports_program: Program) -> None:
    p = reports_program
    Control.objects.filter(pk=p.only_soc1.pk).update(not_applicable=True, not_applicable_reason="")
    states = {s.id: s for s in build_view(p.org).snapshot.controls}
    assert not states["CHG-1"].applicable and states["CHG-1"].na_reason == "marked not applicable"


def _grow(program: Program, extra: int) -> None:
    for n in range(extra):
        control = Control.objects.create(organization=program.org, code=f"X-{n:03d}", title=f"Extra {n}",
                                         criteria=["CC6.1"], status="operating", owner=program.task.owner)
        control.engagements.set([program.soc1, program.soc2])
        add_evidence(program.org, control, f"Evidence {n}", f"file {n}".encode(), file_name=f"e{n}.txt")
        RemediationTask.objects.create(organization=program.org, title=f"Task {n}", control=control)


def _queries(org: Organization) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_view(org)
    return len(captured.captured_queries)


def test_build_view_reads_a_fixed_number_of_queries_whatever_the_program_size(
        reports_program: Program, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    small = _queries(reports_program.org)
    _grow(reports_program, 40)
    with django_assert_max_num_queries(small):
        view = build_view(reports_program.org)
    assert len(view.snapshot.controls) == 43 and len(view.evidence_files) == 41
    assert small <= 12, small


def test_every_engagement_core_cannot_score_is_skipped_with_core_s_reason(personas: Personas) -> None:
    org = personas.acme
    Engagement.objects.create(organization=org, report="soc2", report_type="type1", categories=["security"])
    Engagement.objects.create(organization=org, report="soc1", report_type="type1", as_of_date=dt.date(2026, 6, 30))
    Engagement.objects.create(organization=org, report="soc2", report_type="type2", categories=["security"],
                              period_start=dt.date(2026, 6, 30), period_end=dt.date(2026, 1, 1))
    view = build_view(org)
    assert view.snapshot.engagements == ()
    reasons = " | ".join(view.skipped)
    assert "needs an as-of date: set it to score it" in reasons
    assert "needs at least one control objective" in reasons
    assert "the period must end after it starts" in reasons
