"""What readiness scoring returns: scores that explain themselves, gaps with suggested tasks, a ready date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from socready.core.readiness.snapshot import Engagement
from socready.core.window import Coverage

TARGET_STATES: tuple[str, ...] = ("uncovered", "partial", "evidence", "ready")
# How each state reads to people. "uncovered" means no mapped control is in place for the engagement
# (possibly none is mapped); it is not the catalog coverage the dashboard counts, so it is not called that.
TARGET_STATE_LABELS: dict[str, str] = {
    "ready": "Ready",
    "evidence": "Evidence gaps",
    "partial": "Partly in place",
    "uncovered": "Not in place",
}


@dataclass(frozen=True)
class Score:
    """A 0-100 figure with the sentences that justify it: what counted and what is missing."""

    value: int
    counts: tuple[str, ...]
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"score": self.value, "counts": list(self.counts), "missing": list(self.missing)}


@dataclass(frozen=True)
class ControlScore:
    """One control judged against one engagement's demands (the strictest it serves)."""

    control_id: str
    title: str
    status: str
    engagement_id: str | None
    in_place: bool
    ready: bool
    evidence_fresh: bool
    latest_evidence: dt.date | None
    window: Coverage | None
    exceptions: int | None
    score: Score
    next_step: str


@dataclass(frozen=True)
class TargetScore:
    """One in-scope criterion or objective for one engagement, and how ready its controls are."""

    id: str
    report: str
    title: str
    category: str | None
    engagement_id: str
    state: str
    controls: tuple[str, ...]
    score: Score


@dataclass(frozen=True)
class ReportScore:
    """Readiness of one engagement (a SOC 1 or SOC 2 report) with its own ready date."""

    engagement: Engagement
    score: Score
    targets: tuple[TargetScore, ...]
    ready_date: dt.date
    ready_date_notes: tuple[str, ...]


@dataclass(frozen=True)
class SuggestedTask:
    """A remediation task readiness proposes; ``open_task`` names an existing open task that matches."""

    title: str
    control_id: str | None
    owner_role: str
    open_task: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "title": self.title,
            "control": self.control_id,
            "owner_role": self.owner_role,
            "open_task": self.open_task,
        }


@dataclass(frozen=True)
class Gap:
    """A criterion or objective that is not ready, why, and the task that would move it forward."""

    kind: str
    target: str
    title: str
    report: str
    engagements: tuple[str, ...]
    reason: str
    task: SuggestedTask

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": self.kind,
            "target": self.target,
            "title": self.title,
            "report": self.report,
            "engagements": list(self.engagements),
            "reason": self.reason,
            "task": self.task.to_dict(),
        }


@dataclass(frozen=True)
class MonthCoverage:
    """For one month of a Type II window: controls with evidence, controls missing it, controls in scope."""

    month: dt.date
    covered: int
    missing: int
    total: int


@dataclass(frozen=True)
class WindowTimeline:
    """Month-by-month evidence coverage of a Type II window, for the timeline chart."""

    engagement_id: str
    start: dt.date
    end: dt.date
    months: tuple[MonthCoverage, ...]


@dataclass(frozen=True)
class Readiness:
    """The full readiness result for one program snapshot."""

    organization: str
    today: dt.date
    overall: Score
    by_category: dict[str, Score]
    by_report: tuple[ReportScore, ...]
    controls: tuple[ControlScore, ...]
    gaps: tuple[Gap, ...]
    plan: tuple[SuggestedTask, ...]
    ready_date: dt.date | None
    ready_date_notes: tuple[str, ...]
    timelines: tuple[WindowTimeline, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with ``overall``, ``by_category``, ``by_report``, ``gaps``, ``ready_date``."""
        return {
            "organization": self.organization,
            "today": self.today.isoformat(),
            "overall": self.overall.value,
            "overall_explained": self.overall.to_dict(),
            "by_category": {name: score.to_dict() for name, score in self.by_category.items()},
            "by_report": [_report_dict(r) for r in self.by_report],
            "controls": [_control_dict(c) for c in self.controls],
            "gaps": [g.to_dict() for g in self.gaps],
            "plan": [t.to_dict() for t in self.plan],
            "ready_date": self.ready_date.isoformat() if self.ready_date else None,
            "ready_date_notes": list(self.ready_date_notes),
            "timelines": [
                {
                    "engagement": t.engagement_id,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat(),
                    "months": [
                        {
                            "month": m.month.isoformat()[:7],
                            "covered": m.covered,
                            "missing": m.missing,
                            "total": m.total,
                        }
                        for m in t.months
                    ],
                }
                for t in self.timelines
            ],
        }


def _report_dict(report: ReportScore) -> dict[str, Any]:
    engagement = report.engagement
    return {
        "engagement": engagement.id,
        "report": engagement.report,
        "type": engagement.type_label,
        "label": engagement.label,
        **report.score.to_dict(),
        "ready_date": report.ready_date.isoformat(),
        "ready_date_notes": list(report.ready_date_notes),
        "targets": [
            {
                "id": t.id,
                "title": t.title,
                "category": t.category,
                "state": t.state,
                "controls": list(t.controls),
                **t.score.to_dict(),
            }
            for t in report.targets
        ],
    }


def _control_dict(item: ControlScore) -> dict[str, Any]:
    window = None
    if item.window is not None:
        window = {
            "periods": item.window.total,
            "covered": item.window.covered,
            "missing": [[p.start.isoformat(), p.end.isoformat()] for p in item.window.missing],
        }
    return {
        "id": item.control_id,
        "title": item.title,
        "status": item.status,
        "engagement": item.engagement_id,
        "in_place": item.in_place,
        "ready": item.ready,
        "evidence_fresh": item.evidence_fresh,
        "latest_evidence": item.latest_evidence.isoformat() if item.latest_evidence else None,
        "window": window,
        "exceptions": item.exceptions,
        "next_step": item.next_step,
        **item.score.to_dict(),
    }
