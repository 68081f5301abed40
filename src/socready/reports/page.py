"""What the readiness page shows, as plain values: scores with their explanations, charts, gaps, ready date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socready.audit.version import VersionedCache
from socready.core.readiness.result import Gap, ReportScore, Score
from socready.core.terms import ControlStatus, label_of
from socready.io.exports.charts import STATE_LABELS
from socready.io.exports.report_html import report_context
from socready.programs.models import RemediationTask, TaskStatus
from socready.reports.gap_tasks import gap_key, sign_gap
from socready.reports.services import ProgramReadiness


@dataclass(frozen=True)
class GapRow:
    """One gap as the page lists it, with what tracks it already."""

    key: str
    gap: Gap
    state_label: str
    engagements: tuple[str, ...]
    tracked_by: str | None
    organization_id: int
    engagement_id: str | None

    def button(self) -> str:
        """The value of the row's "Create task" button (signed only when the cached table is drawn again)."""
        return sign_gap(self.organization_id, self.engagement_id, self.gap)


def _explained(label: str, score: Score, **extra: Any) -> dict[str, Any]:
    # The same thresholds as the report's headline figure: 80 and up good, 50 and up fair.
    css = "good" if score.value >= 80 else "fair" if score.value >= 50 else "poor"
    return {"label": label, "score": score.value, "counts": score.counts, "missing": score.missing, "css": css,
            **extra}


def _report(program: ProgramReadiness, report: ReportScore, gaps: int) -> dict[str, Any]:
    row = program.row(report.engagement.id)
    return _explained(
        row.label, report.score, id=report.engagement.id, auditor=row.auditor_firm, gaps=gaps,
        ready_date=report.ready_date, notes=report.ready_date_notes,
        targets=[_explained(t.id, t.score, title=t.title, state=t.state, state_label=STATE_LABELS[t.state],
                            controls=t.controls) for t in report.targets],
    )


def gap_rows(program: ProgramReadiness) -> list[GapRow]:
    """The gaps in impact order, each with the open task already tracking it, if any.

    A gap counts as tracked when readiness found an open task on its control, or when an open task has
    exactly the suggested title (a task created from this page for a control not adopted yet).
    """
    open_titles = set(RemediationTask.objects.filter(organization=program.organization)
                      .exclude(status=TaskStatus.DONE).values_list("title", flat=True))
    labels = {e: program.row(e).label for e in program.view.engagement_rows}
    return [
        GapRow(gap_key(g), g, STATE_LABELS[g.kind], tuple(labels[e] for e in g.engagements),
               g.task.open_task or (g.task.title if g.task.title in open_titles else None),
               program.organization.pk, program.engagement_id)
        for g in program.readiness.gaps
    ]


_contexts: VersionedCache[dict[str, Any]] = VersionedCache(size=32)


def page_context(program: ProgramReadiness) -> dict[str, Any]:
    """Everything the readiness template needs besides the tenant context, built once per scored program.

    It follows from the scored program (its version includes the day) and rows that change the version, so
    every view of one version shares it; the template must not change it.
    """
    key = (program.organization.pk, program.version, program.engagement_id)
    return _contexts.get_or_compute(key, lambda: _page_context(program))


def _page_context(program: ProgramReadiness) -> dict[str, Any]:
    result = program.readiness
    charts = report_context(program.snapshot, result, program.scope.reasons)
    gap_counts = {r.engagement.id: sum(r.engagement.id in g.engagements for g in result.gaps)
                  for r in result.by_report}
    return {
        "program": program,
        "result": result,
        "overall": _explained("Overall", result.overall),
        "reports": [_report(program, r, gap_counts[r.engagement.id]) for r in result.by_report],
        "categories": [_explained(name, score) for name, score in result.by_category.items()],
        "controls": [_explained(c.control_id, c.score, title=c.title, status=c.status,
                                status_label=label_of(ControlStatus, c.status), ready=c.ready,
                                next_step=c.next_step) for c in result.controls],
        "gaps": gap_rows(program),
        "report_chart": charts["report_chart"],
        "category_chart": charts["category_chart"],
        # The report's chart labels say "SOC 2 Type II"; the page names the engagement as its selector does.
        "heat_maps": [{**block, "label": program.row(r.engagement.id).label} for block, r in
                      zip(charts["heat_maps"], [r for r in result.by_report if r.targets], strict=True)],
        "timelines": [{**block, "label": program.row(t.engagement_id).label} for block, t in
                      zip(charts["timelines"], result.timelines, strict=True)],
        "engagements": program.engagements(),
        "selected": program.engagement_id,
        "skipped": program.view.skipped,
        "reasons": program.scope.reasons,
    }
