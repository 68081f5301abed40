"""The readiness report as one self-contained HTML file: inline CSS, inline SVG charts, no external links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from socready.core.readiness.result import Readiness, TargetScore
from socready.core.readiness.snapshot import Engagement, ProgramSnapshot
from socready.core.terms import ControlStatus, TaskStatus, label_of
from socready.io.exports.charts import STATE_LABELS, bar_chart, heat_map, timeline

SECTIONS: tuple[tuple[str, str], ...] = (
    ("scope", "1. Scope"),
    ("summary", "2. Readiness by report and category"),
    ("heatmap", "3. Criteria and objectives"),
    ("window", "4. Type II window coverage"),
    ("gaps", "5. Gaps"),
    ("plan", "6. Remediation plan"),
    ("controls", "7. Controls"),
)


def _trusted(text: str) -> Markup:
    # Only for our own CSS and for charts.py output, whose every label is escaped when drawn.
    return Markup(text)  # noqa: S704


def _templates() -> Path:
    return Path(str(files("socready.io.exports").joinpath("templates")))


def _environment() -> Environment:
    # Autoescape everything: titles, notes and owners are user text and must never become markup.
    environment = Environment(
        loader=FileSystemLoader(str(_templates())),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )
    # Statuses are stored as codes ("in_progress"); the report names them as the screens do.
    environment.filters["control_status"] = partial(label_of, ControlStatus)
    environment.filters["task_status"] = partial(label_of, TaskStatus)
    return environment


def _when(engagement: Engagement) -> str:
    if engagement.type2:
        return f"{engagement.period_start} to {engagement.period_end}"
    return f"as of {engagement.as_of}"


def _scope(engagement: Engagement) -> str:
    if engagement.report == "soc2":
        return ", ".join(dict.fromkeys(("Security", *engagement.categories)))
    return ", ".join(engagement.objectives)


def _series(target: TargetScore) -> str:
    if target.report == "soc2":
        return target.id.split(".")[0]
    return "ITGC" if target.id.startswith("ITGC-") else target.id.split("-")[0].title()


def _heat_rows(targets: Sequence[TargetScore]) -> list[tuple[str, list[TargetScore]]]:
    rows: dict[str, list[TargetScore]] = {}
    for target in targets:
        rows.setdefault(_series(target), []).append(target)
    # Long rows (CC6 has 8 criteria, ITGC 7 objectives) wrap so the map fits a page.
    wrapped = []
    for label, cells in rows.items():
        for start in range(0, len(cells), 8):
            wrapped.append((label if start == 0 else "", cells[start : start + 8]))
    return wrapped


def report_context(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    scope_reasons: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> dict[str, Any]:
    """Everything the report template shows, as plain values and pre-drawn SVG."""
    controls = {s.id: s.control for s in snapshot.controls}
    labels = {e.id: e.label for e in snapshot.engagements}
    value = readiness.overall.value
    return {
        "org": snapshot.organization,
        "today": readiness.today.isoformat(),
        "generated": (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "overall": value,
        "overall_class": "good" if value >= 80 else "fair" if value >= 50 else "poor",
        "ready_date": readiness.ready_date.isoformat() if readiness.ready_date else None,
        "ready_notes": readiness.ready_date_notes,
        "sections": SECTIONS,
        "engagements": [
            {"id": e.id, "label": e.label, "when": _when(e), "scope": _scope(e), "auditor": e.auditor or ""}
            for e in snapshot.engagements
        ],
        "reasons": list(scope_reasons),
        "report_chart": _trusted(bar_chart([(r.engagement.label, r.score.value)
                                            for r in readiness.by_report])),
        "category_chart": _trusted(bar_chart([(n, s.value) for n, s in readiness.by_category.items()]))
        if readiness.by_category
        else None,
        "reports": [
            {
                "label": r.engagement.label,
                "score": r.score.value,
                "ready_date": r.ready_date.isoformat(),
                "counts": r.score.counts,
            }
            for r in readiness.by_report
        ],
        "heat_maps": [
            {"label": r.engagement.label, "svg": _trusted(heat_map(_heat_rows(r.targets)))}
            for r in readiness.by_report
            if r.targets
        ],
        "timelines": [
            {
                "label": labels[t.engagement_id],
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
                "svg": _trusted(timeline(t, readiness.today)),
            }
            for t in readiness.timelines
        ],
        "gaps": [
            {
                "target": g.target,
                "kind": g.kind,
                "kind_label": STATE_LABELS[g.kind],
                "reason": g.reason,
                "task": g.task.title,
                "owner": g.task.owner_role,
            }
            for g in readiness.gaps
        ],
        "plan": readiness.plan,
        "tasks": [t for t in snapshot.tasks if t.open and (t.control_id is None or t.control_id in controls)],
        "controls": readiness.controls,
        # Named as the snapshot names them, so the report, the matrix and the PBC list agree.
        "owners": {state.id: state.owner or "" for state in snapshot.controls},
    }


def render_report_html(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    scope_reasons: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> str:
    """Render the readiness report to an HTML string."""
    environment = _environment()
    css = (_templates() / "report.css").read_text(encoding="utf-8")
    context = report_context(snapshot, readiness, scope_reasons, generated)
    return environment.get_template("report.html.j2").render(css=_trusted(css), **context)


def write_report_html(
    snapshot: ProgramSnapshot,
    readiness: Readiness,
    path: Path,
    scope_reasons: Sequence[str] = (),
    generated: dt.datetime | None = None,
) -> Path:
    """Write the self-contained HTML readiness report."""
    path.write_text(render_report_html(snapshot, readiness, scope_reasons, generated), encoding="utf-8")
    return path
