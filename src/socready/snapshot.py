"""Database rows to ``ProgramSnapshot``: the one bridge between the program's tables and readiness in core.

Everything the scoring, the exports and questionnaire answering need is read here in a fixed number of
queries, whatever the size of the program. Engagements whose dates are not set yet cannot be scored; they
are left out and named in ``ProgramView.skipped`` so a page can say why.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from socready.accounts.models import Organization, User
from socready.audit.version import VersionedCache, program_version
from socready.core import terms
from socready.core.connectors.document import findings_for_control, is_run_document
from socready.core.controls.library import Control as CoreControl
from socready.core.controls.library import EvidenceRequest as CoreRequest
from socready.core.controls.library import default_library
from socready.core.errors import InputError
from socready.core.readiness import snapshot as core
from socready.evidence.models import EvidenceItem, EvidenceRequest, RequestComment, SampleSet, SampleTest
from socready.programs.models import Control, Engagement, RemediationTask

SubserviceSource = Callable[[Organization], Sequence[core.SubserviceOrganization]]
_subservice_sources: list[SubserviceSource] = []


def register_subservice_source(source: SubserviceSource) -> None:
    """Let an app above this bridge (the vendor register) name the organization's subservice organizations; it
    registers in its ``AppConfig.ready``, so this module imports no app above it."""
    if source not in _subservice_sources:
        _subservice_sources.append(source)


def subservice_of(org: Organization) -> tuple[core.SubserviceOrganization, ...]:
    """The subservice organizations every registered source names for ``org``."""
    return tuple(item for source in _subservice_sources for item in source(org))


@dataclass(frozen=True)
class ProgramView:
    """A snapshot plus what it could not include and the row ids behind its ids."""

    snapshot: core.ProgramSnapshot
    skipped: tuple[str, ...] = ()
    engagement_rows: dict[str, Engagement] = field(default_factory=dict)
    evidence_files: tuple[tuple[str, str, str], ...] = ()  # (control code, file name, sha256)


def person_name(user: User | None) -> str | None:
    """How every export names a person (owner, assignee, commenter): as the app's pages do, by
    ``User.display_name`` (the full name, else the e-mail address), so an export and a page never disagree."""
    return user.display_name if user is not None else None


@functools.cache
def _library_roles() -> dict[str, str]:
    # Rows keep no owner role; an adopted control takes its library entry's, so gaps name who should act.
    return {c.id: c.owner_role for c in default_library()}


def core_control(row: Control) -> CoreControl:
    """The organization's control as core sees it (mappings, test steps, evidence requests)."""
    return CoreControl(
        id=row.code,
        title=row.title,
        description=row.description,
        family=row.family,
        frequency=row.frequency,
        nature=row.nature,
        kind=row.kind,
        owner_role=_library_roles().get(row.library_id, ""),
        criteria=tuple(row.criteria),
        objectives=tuple(row.objectives),
        evidence=tuple(CoreRequest(str(e.get("id", "")), str(e.get("name", "")), str(e.get("shows", "")))
                       for e in row.evidence_requests),
        type1_test=row.type1_test,
        type2_attributes=tuple(row.type2_attributes),
        not_applicable_when=(),
        custom=row.is_custom,
    )


def _core_engagement(row: Engagement) -> core.Engagement | str:
    """The engagement, or the reason it cannot be scored yet (core's own check, so the two never differ)."""
    engagement = core.Engagement(
        id=str(row.pk), report=row.report, type=terms.ReportType(row.report_type),
        as_of=row.as_of_date, period_start=row.period_start, period_end=row.period_end,
        categories=tuple(row.categories), objectives=tuple(row.objectives), auditor=row.auditor_firm or None,
    )
    try:
        core.check_engagement(engagement, row.label)
    except InputError as exc:
        return f"{row.label}: {exc.reason}"
    return engagement


def _samples_by_control(org: Organization) -> dict[int, core.SampleSummary]:
    """The latest sample of each population, summed per control: items tested and exceptions found."""
    latest: dict[int, SampleSet] = {}
    for sample in SampleSet.objects.filter(population__organization=org).select_related("population").order_by(
            "population_id", "-created_at", "-id"):
        latest.setdefault(sample.population_id, sample)
    tested: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    tests = SampleTest.objects.filter(sample__in=[s.pk for s in latest.values()]).values_list("sample_id", "results")
    control_of = {s.pk: s.population.control_id for s in latest.values()}
    for sample_id, results in tests:
        counts = tested[control_of[sample_id]]
        counts[0] += 1
        counts[1] += 0 if all(bool(v) for v in results.values()) else 1
    return {control: core.SampleSummary(size, failed) for control, (size, failed) in tested.items()}


def _requests(org: Organization, scored: dict[str, Engagement]) -> tuple[core.RequestState, ...]:
    """The PBC list as the app shows it, for the requests a scored engagement relies on.

    Names, dates and evidence are put as the request pages put them, so an export says what the app says.
    """
    live = EvidenceItem.objects.filter(deleted_at__isnull=True)  # the model's order: newest first, as the app
    rows = (EvidenceRequest.objects.filter(organization=org).select_related("assignee")
            .prefetch_related("engagements", "controls", Prefetch("evidence_items", queryset=live),
                              Prefetch("comments", queryset=RequestComment.objects.select_related("author")))
            .order_by("code"))
    states = []
    for row in rows:
        engagements = tuple(str(e.pk) for e in row.engagements.all() if str(e.pk) in scored)
        if not engagements:
            continue
        states.append(core.RequestState(
            request_id=row.code, engagements=engagements, title=row.title, shows=row.shows,
            controls=tuple(sorted(c.code for c in row.controls.all())), status=row.status, due=row.due_date,
            assignee=person_name(row.assignee),
            evidence=tuple(f"{item.title} ({item.when})" for item in row.evidence_items.all()),
            comments=tuple(core.RequestComment(author=person_name(c.author) or "",
                                               on=timezone.localdate(c.created_at), text=c.text,
                                               status_set=c.status_set) for c in row.comments.all()),
        ))
    return tuple(states)


def _failing_checks(control_code: str, items: list[EvidenceItem], today: dt.date) -> tuple[str, ...]:
    """Findings of each connection's latest run (items come newest first) that fail checks of this control."""
    latest: dict[str, object] = {}
    for item in items:
        result = item.current.result if item.current is not None else None
        if item.effective_date <= today and is_run_document(result):
            latest.setdefault(str(result.get("connection", "")), result)
    return tuple(finding for document in latest.values() for finding in findings_for_control(document, control_code))


def build_view(org: Organization, today: dt.date | None = None) -> ProgramView:
    """Read the organization's program into a snapshot (live evidence only; deleted items are ignored)."""
    today = today or timezone.localdate()
    engagements: list[core.Engagement] = []
    skipped: list[str] = []
    rows_by_id: dict[str, Engagement] = {}
    for engagement_row in Engagement.objects.filter(organization=org).order_by("report", "created_at", "id"):
        built = _core_engagement(engagement_row)
        if isinstance(built, str):
            skipped.append(built)
        else:
            engagements.append(built)
            rows_by_id[built.id] = engagement_row
    live = EvidenceItem.objects.filter(deleted_at__isnull=True).select_related("request", "current")
    controls = (Control.objects.filter(organization=org).select_related("owner")
                .prefetch_related("engagements", Prefetch("evidence_items", queryset=live)).order_by("code"))
    samples = _samples_by_control(org)
    states: list[core.ControlState] = []
    files: list[tuple[str, str, str]] = []
    for row in controls:
        evidence = []
        for item in row.evidence_items.all():
            evidence.append(core.EvidenceItem(id=str(item.pk), title=item.title, effective=item.effective_date,
                                              period_end=item.period_end,
                                              request_id=item.request.code if item.request else None))
            if item.current and item.current.sha256:
                files.append((row.code, item.current.file_name or item.title, item.current.sha256))
        states.append(core.ControlState(
            control=core_control(row), status=row.status, owner=person_name(row.owner),
            engagements=tuple(str(e.pk) for e in row.engagements.all() if str(e.pk) in rows_by_id),
            evidence=tuple(evidence), samples=samples.get(row.pk),
            not_applicable_reason=(row.not_applicable_reason or "marked not applicable") if row.not_applicable
            else None,
            failing_checks=_failing_checks(row.code, list(row.evidence_items.all()), today),
        ))
    codes = {c.pk: c.code for c in controls}
    tasks = tuple(
        core.RemediationTask(title=t.title, control_id=codes.get(t.control_id) if t.control_id else None,
                             owner=person_name(t.owner), due=t.due_date, status=t.status)
        for t in RemediationTask.objects.filter(organization=org).select_related("owner")
    )
    requests = _requests(org, rows_by_id)
    snapshot = core.ProgramSnapshot(organization=org.name, engagements=tuple(engagements), controls=tuple(states),
                                    tasks=tasks, today=today, requests=requests, subservice=subservice_of(org))
    return ProgramView(snapshot, tuple(skipped), rows_by_id, tuple(files))


_views: VersionedCache[ProgramView] = VersionedCache(shared="program-view")


def current_view(org: Organization, today: dt.date | None = None) -> ProgramView:
    """``build_view`` read once per change of the organization's program (and per day), then shared."""
    today = today or timezone.localdate()
    return _views.get_or_compute((org.pk, program_version(org.pk), today), lambda: build_view(org, today))
