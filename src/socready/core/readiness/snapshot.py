"""The inputs of readiness scoring: a plain snapshot of a program at one date.

The web app turns database rows into these dataclasses; tests and benchmarks build them directly.
``check_snapshot`` refuses an inconsistent snapshot with an error naming the entry and field, so a
score is never computed from data that contradicts itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from socready.core.catalog.catalog import normalize_category
from socready.core.controls.library import Control
from socready.core.errors import InputError
from socready.core.terms import ControlStatus, Report, ReportType, RequestStatus, TaskStatus

STATUSES: tuple[str, ...] = tuple(ControlStatus)
TASK_STATUSES: tuple[str, ...] = tuple(TaskStatus)
REQUEST_STATUSES: tuple[str, ...] = tuple(RequestStatus)
# "withdrawn": the evidence an accepted request rested on was deleted, so it needs evidence again.
# How the PBC list names each status to people, in the app and in every export alike.
REQUEST_STATUS_LABELS: dict[str, str] = {status.value: status.label for status in RequestStatus}
REPORT_KINDS: tuple[str, ...] = tuple(Report)


def status_words(status: str) -> str:
    """A control status as words in a sentence: 'in_progress' -> 'in progress'."""
    return status.replace("_", " ")


@dataclass(frozen=True)
class Engagement:
    """One planned examination: report kind, type, date or window, and what it covers."""

    id: str
    report: str
    type: ReportType | str  # a ReportType; its label ("Type II") is read too
    as_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    categories: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    auditor: str | None = None

    def __post_init__(self) -> None:
        # A word that is not a report type stays as given, for check_engagement to refuse by name.
        with contextlib.suppress(ValueError):
            object.__setattr__(self, "type", ReportType.parse(str(self.type)))

    @property
    def type2(self) -> bool:
        """True for a Type II (operating effectiveness over a window)."""
        return self.type == ReportType.TYPE2

    @property
    def type_label(self) -> str:
        """'Type I' or 'Type II'."""
        return self.type.label if isinstance(self.type, ReportType) else str(self.type)

    @property
    def label(self) -> str:
        """A reader's name for the engagement, e.g. 'SOC 2 Type II'."""
        report = Report.SOC1 if self.report == Report.SOC1 else Report.SOC2
        return f"{report.label} {self.type_label}"

    @property
    def report_date(self) -> dt.date | None:
        """The as-of date of a Type I or the last day of a Type II window."""
        return self.period_end if self.type2 else self.as_of


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence linked to a control: effective on one date, or over a period."""

    id: str
    title: str
    effective: dt.date
    period_end: dt.date | None = None
    request_id: str | None = None

    @property
    def last_day(self) -> dt.date:
        """The last day the evidence speaks for."""
        return self.period_end or self.effective


@dataclass(frozen=True)
class SampleSummary:
    """The result of testing a sample of a control's population: items tested and exceptions found."""

    sample_size: int
    exceptions: int


@dataclass(frozen=True)
class ControlState:
    """An adopted control with where the organization stands on it."""

    control: Control
    status: str
    owner: str | None = None
    engagements: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    samples: SampleSummary | None = None
    not_applicable_reason: str | None = None
    # Findings of the latest automated checks that support the control and fail ("2 IAM users ...: a, b").
    failing_checks: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The control id."""
        return self.control.id

    @property
    def applicable(self) -> bool:
        """False when the control or this organization's state marks it not applicable."""
        return self.control.applicable and self.not_applicable_reason is None

    @property
    def na_reason(self) -> str | None:
        """Why the control is not applicable, if it is not."""
        return self.not_applicable_reason or self.control.not_applicable_reason


@dataclass(frozen=True)
class RemediationTask:
    """An open or finished piece of remediation work."""

    title: str
    control_id: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    status: str = "open"

    @property
    def open(self) -> bool:
        """True until the task is done."""
        return self.status != "done"


@dataclass(frozen=True)
class RequestComment:
    """A remark left on an evidence request; ``status_set`` is the status it recorded, if any."""

    author: str
    on: dt.date
    text: str
    status_set: str = ""


@dataclass(frozen=True)
class RequestState:
    """One line of the organization's PBC list as tracked.

    What it asks, for which engagements and controls, where it stands, who provides it by when, the evidence
    filed against it and its comments (oldest first).
    """

    request_id: str
    engagements: tuple[str, ...]
    title: str = ""
    shows: str = ""
    controls: tuple[str, ...] = ()
    status: str = "requested"
    due: dt.date | None = None
    assignee: str | None = None
    evidence: tuple[str, ...] = ()
    comments: tuple[RequestComment, ...] = ()

    @property
    def latest_comment(self) -> RequestComment | None:
        """The newest comment, or None."""
        return self.comments[-1] if self.comments else None

    @property
    def flag_reason(self) -> str | None:
        """While the request is flagged, what the flag said was wrong (flagging always says why)."""
        if self.status != "flagged":
            return None
        return next((c.text for c in reversed(self.comments) if c.status_set == "flagged"), None)


@dataclass(frozen=True)
class SubserviceOrganization:
    """A subservice organization from the vendor register: what it does, carve-out or inclusive, its CSOCs."""

    name: str
    service: str
    method: str  # carve-out | inclusive
    csocs: tuple[str, ...] = ()
    report: str = ""  # the latest reviewed report, e.g. "SOC 2 Type II, 2024-01-01 to 2024-12-31"


@dataclass(frozen=True)
class ProgramSnapshot:
    """Everything readiness needs about one organization's program, as of ``today``."""

    organization: str
    engagements: tuple[Engagement, ...]
    controls: tuple[ControlState, ...]
    tasks: tuple[RemediationTask, ...]
    today: dt.date
    requests: tuple[RequestState, ...] = ()
    subservice: tuple[SubserviceOrganization, ...] = ()

    def engagement(self, engagement_id: str) -> Engagement:
        """Return the engagement with this id, or raise KeyError."""
        for item in self.engagements:
            if item.id == engagement_id:
                return item
        raise KeyError(engagement_id)

    def serving(self, engagement: Engagement) -> tuple[ControlState, ...]:
        """The applicable controls that serve an engagement."""
        return tuple(c for c in self.controls if c.applicable and engagement.id in c.engagements)


def _choice(value: str, allowed: tuple[str, ...], entry: str, field: str) -> None:
    if value not in allowed:
        raise InputError(f"'{value}' is not one of: {', '.join(allowed)}", entry=entry, field=field)


def check_engagement(item: Engagement, entry: str) -> None:
    """Refuse an engagement that cannot be scored (no period or as-of date, no objectives ...)."""
    _choice(item.report, REPORT_KINDS, entry, "report")
    if not isinstance(item.type, ReportType):
        raise InputError(f"'{item.type}' is not one of: Type I, Type II", entry=entry, field="type")
    if item.type2:
        if item.period_start is None or item.period_end is None:
            raise InputError("a Type II needs a period start and end: set them to score it", entry=entry,
                             field="period_start")
        if item.period_end <= item.period_start:
            raise InputError("the period must end after it starts", entry=entry, field="period_end")
    elif item.as_of is None:
        raise InputError("a Type I needs an as-of date: set it to score it", entry=entry, field="as_of")
    if item.report == "soc2":
        for name in item.categories:
            try:
                normalize_category(name)
            except ValueError as exc:
                raise InputError(str(exc), entry=entry, field="categories") from None
    elif not item.objectives:
        raise InputError("a SOC 1 needs at least one control objective: choose one to score it", entry=entry,
                         field="objectives")


def _check_control(state: ControlState, engagement_ids: set[str], entry: str) -> None:
    _choice(state.status, STATUSES, entry, "status")
    unknown = [e for e in state.engagements if e not in engagement_ids]
    if unknown:
        raise InputError(f"unknown engagement id(s): {', '.join(unknown)}", entry=entry, field="engagements")
    for item in state.evidence:
        if item.period_end is not None and item.period_end < item.effective:
            raise InputError(f"evidence '{item.id}' ends before it starts", entry=entry, field="evidence")
    if state.samples is not None:
        size, found = state.samples.sample_size, state.samples.exceptions
        if size < 0 or found < 0 or found > size:
            raise InputError(
                f"{found} exceptions in a sample of {size} is impossible", entry=entry, field="samples"
            )


def check_snapshot(snapshot: ProgramSnapshot) -> None:
    """Refuse a snapshot whose entries contradict each other; the error names the entry and field."""
    engagement_ids: set[str] = set()
    for index, engagement in enumerate(snapshot.engagements):
        entry = f"engagement {engagement.id or '#' + str(index + 1)}"
        if engagement.id in engagement_ids:
            raise InputError("duplicate engagement id", entry=entry, field="id")
        engagement_ids.add(engagement.id)
        check_engagement(engagement, entry)
    control_ids: set[str] = set()
    for state in snapshot.controls:
        entry = f"control {state.id}"
        if state.id in control_ids:
            raise InputError("the control appears twice", entry=entry, field="id")
        control_ids.add(state.id)
        _check_control(state, engagement_ids, entry)
    for index, task in enumerate(snapshot.tasks):
        entry = f"task #{index + 1} ({task.title})"
        _choice(task.status, TASK_STATUSES, entry, "status")
        if task.control_id is not None and task.control_id not in control_ids:
            raise InputError(f"unknown control id '{task.control_id}'", entry=entry, field="control")
    _check_requests(snapshot.requests, engagement_ids, control_ids)


def _check_requests(requests: tuple[RequestState, ...], engagement_ids: set[str], control_ids: set[str]) -> None:
    request_ids: set[str] = set()
    for index, request in enumerate(requests):
        entry = f"request #{index + 1} ({request.request_id})"
        if request.request_id in request_ids:
            raise InputError("the request appears twice", entry=entry, field="id")
        request_ids.add(request.request_id)
        _choice(request.status, REQUEST_STATUSES, entry, "status")
        unknown = [e for e in request.engagements if e not in engagement_ids]
        if unknown:
            raise InputError(f"unknown engagement id(s): {', '.join(unknown)}", entry=entry, field="engagements")
        strangers = [c for c in request.controls if c not in control_ids]
        if strangers:
            raise InputError(f"unknown control id(s): {', '.join(strangers)}", entry=entry, field="controls")
