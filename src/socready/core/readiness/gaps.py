"""Gaps ordered by impact, the remediation they suggest, the estimated ready date and window timelines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from socready.core.catalog.catalog import Catalog
from socready.core.controls.library import ControlLibrary
from socready.core.months import month_starts
from socready.core.readiness.result import (
    TARGET_STATES,
    ControlScore,
    Gap,
    MonthCoverage,
    ReportScore,
    SuggestedTask,
    TargetScore,
    WindowTimeline,
)
from socready.core.readiness.snapshot import ControlState, ProgramSnapshot, status_words
from socready.core.text import counted

GAP_KINDS: tuple[str, ...] = ("uncovered", "partial", "evidence")
FALLBACK_OWNER = "Compliance lead"

Scored = dict[str, list[tuple[ControlState, ControlScore]]]


def _open_task(snapshot: ProgramSnapshot, control_id: str | None) -> str | None:
    for task in snapshot.tasks:
        if task.open and control_id is not None and task.control_id == control_id:
            return task.title
    return None


def _suggest(
    target: TargetScore,
    scores: dict[str, ControlScore],
    snapshot: ProgramSnapshot,
    library: ControlLibrary | None,
) -> SuggestedTask:
    """The one task that moves a target forward most: the mapped control closest to ready, finished."""
    blocking = [scores[c] for c in target.controls if c in scores and not scores[c].ready]
    if blocking:
        best = max(blocking, key=lambda s: (s.score.value, s.control_id))
        control = next(s.control for s in snapshot.controls if s.id == best.control_id)
        return SuggestedTask(
            best.next_step, best.control_id, control.owner_role, _open_task(snapshot, best.control_id)
        )
    adopted = {s.id for s in snapshot.controls}
    if library is not None:
        for candidate in library.controls:
            mapped = candidate.criteria if target.report == "soc2" else candidate.objectives
            if target.id in mapped and candidate.id not in adopted and candidate.applicable:
                return SuggestedTask(
                    f"Adopt {candidate.id} ({candidate.title}) to cover {target.id}",
                    candidate.id,
                    candidate.owner_role,
                )
    return SuggestedTask(f"Design a control that covers {target.id} ({target.title})", None, FALLBACK_OWNER)


def _reason(target: TargetScore, labels: str, scores: dict[str, ControlScore]) -> str:
    what = f"{target.id} ({target.title})"
    if not target.controls:
        return f"No adopted control covers {what} for the {labels}."
    waiting = [c for c in target.controls if not scores[c].ready]
    if target.state == "uncovered":
        # Say where each control stands: an implemented control is not in place for a Type II, which
        # needs it operating, and a reader seeing "implemented" would otherwise doubt the gap.
        where = ", ".join(f"{c} is {status_words(scores[c].status)}" for c in target.controls)
        if any(scores[c].status == "implemented" for c in target.controls):
            where += "; a Type II needs its controls operating"
        mapped = "The control" if len(target.controls) == 1 else f"None of the {len(target.controls)} controls"
        verb = "is not" if len(target.controls) == 1 else "is"
        return f"{mapped} mapped to {what} {verb} in place for the {labels} ({where})."
    if target.state == "partial":
        missing = [c for c in target.controls if not scores[c].in_place]
        return (
            f"{len(target.controls) - len(missing)} of {len(target.controls)} controls for {what} are in "
            f"place; {', '.join(missing)} not yet."
        )
    return (
        f"The controls for {what} are in place, but {', '.join(waiting)} lack fresh evidence, window "
        f"coverage or clean samples."
    )


def build_gaps(
    reports: Sequence[ReportScore],
    snapshot: ProgramSnapshot,
    catalog: Catalog,
    library: ControlLibrary | None,
    scored: Scored,
) -> tuple[Gap, ...]:
    """One gap per criterion or objective that is not ready, merged across engagements of the same report."""
    order = {c.id: i for i, c in enumerate(catalog.criteria)}
    order.update({o.id: len(order) + i for i, o in enumerate(catalog.objectives)})
    worst: dict[tuple[str, str], TargetScore] = {}
    engagements: dict[tuple[str, str], list[str]] = {}
    for report in reports:
        for target in report.targets:
            if target.state == "ready":
                continue
            key = (target.report, target.id)
            engagements.setdefault(key, []).append(report.engagement.id)
            if key not in worst or TARGET_STATES.index(target.state) < TARGET_STATES.index(worst[key].state):
                worst[key] = target
    labels = {r.engagement.id: r.engagement.label for r in reports}
    gaps = []
    for key, target in worst.items():
        scores = {s.control_id: s for _, s in scored.get(target.engagement_id, [])}
        names = " and ".join(labels[e] for e in engagements[key])
        gaps.append(
            Gap(
                kind=target.state,
                target=target.id,
                title=target.title,
                report=target.report,
                engagements=tuple(engagements[key]),
                reason=_reason(target, names, scores),
                task=_suggest(target, scores, snapshot, library),
            )
        )
    gaps.sort(key=lambda g: (GAP_KINDS.index(g.kind), -len(g.engagements), order.get(g.target, len(order))))
    return tuple(gaps)


def build_plan(gaps: Sequence[Gap]) -> tuple[SuggestedTask, ...]:
    """The suggested tasks in gap order, each once: one control often closes several gaps."""
    seen: dict[str, SuggestedTask] = {}
    for gap in gaps:
        seen.setdefault(gap.task.title, gap.task)
    return tuple(seen.values())


def ready_dates(
    reports: Sequence[ReportScore], gaps: Sequence[Gap], snapshot: ProgramSnapshot
) -> list[ReportScore]:
    """Estimate each report's ready date from open tasks' due dates and, for a Type II, the window end."""
    today = snapshot.today
    dated = []
    for report in reports:
        engagement = report.engagement
        serving = {s.id for s in snapshot.serving(engagement)}
        dates, notes = [today], []
        for task in snapshot.tasks:
            if not task.open or (task.control_id is not None and task.control_id not in serving):
                continue
            if task.due is None:
                notes.append(f"Task '{task.title}' has no due date, so the estimate leaves it out.")
            elif task.due < today:
                notes.append(
                    f"Task '{task.title}' was due {task.due.isoformat()} and is still open; it counts "
                    f"as due today."
                )
            else:
                dates.append(task.due)
        untracked = [g for g in gaps if engagement.id in g.engagements and g.task.open_task is None]
        if untracked:
            notes.append(
                f"{counted(len(untracked), 'gap')} for the {engagement.label} "
                f"{'has' if len(untracked) == 1 else 'have'} no open remediation task, "
                f"so the date is optimistic."
            )
        if engagement.type2 and engagement.period_end is not None:
            dates.append(engagement.period_end)
            if engagement.period_end > today:
                notes.append(f"The {engagement.label} window runs until {engagement.period_end.isoformat()}.")
        ready = max(dates)
        if not engagement.type2 and engagement.as_of is not None and ready > engagement.as_of:
            notes.append(
                f"The estimated ready date falls after the planned as-of date {engagement.as_of.isoformat()}."
            )
        dated.append(replace(report, ready_date=ready, ready_date_notes=tuple(notes)))
    return dated


def timelines(snapshot: ProgramSnapshot, scored: Scored) -> tuple[WindowTimeline, ...]:
    """Per Type II engagement, month by month: how many serving controls have evidence or miss it."""
    result = []
    for engagement in snapshot.engagements:
        if not engagement.type2 or engagement.period_start is None or engagement.period_end is None:
            continue
        months = month_starts(engagement.period_start, engagement.period_end)
        index = {(m.year, m.month): i for i, m in enumerate(months)}
        covered, missing = [0] * len(months), [0] * len(months)
        entries = scored.get(engagement.id, [])
        for _, score in entries:
            if score.window is None:
                continue
            hit: set[int] = set()
            miss: set[int] = set()
            # A control's periods lie inside the window and cover all of it, so every month is in ``index``.
            for period in score.window.periods:
                if period.state == "open":
                    continue
                bucket = hit if period.state == "covered" else miss
                bucket.update(index[(m.year, m.month)] for m in month_starts(period.start, period.end))
            for position in hit:
                covered[position] += 1
            for position in miss - hit:
                missing[position] += 1
        result.append(
            WindowTimeline(
                engagement.id,
                engagement.period_start,
                engagement.period_end,
                tuple(MonthCoverage(m, covered[i], missing[i], len(entries)) for i, m in enumerate(months)),
            )
        )
    return tuple(result)
