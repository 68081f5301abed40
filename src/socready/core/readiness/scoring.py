"""Readiness scoring: per control, per criterion and objective, per category, per report and overall.

Every figure is 0-100 and comes with the sentences that justify it. The rules are written out in
docs/readiness.md; the constants below are the ones that document describes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from socready.core.catalog.catalog import (
    CATEGORIES,
    Catalog,
    Criterion,
    Objective,
    default_catalog,
    normalize_category,
)
from socready.core.controls.library import ControlLibrary
from socready.core.readiness.gaps import build_gaps, build_plan, ready_dates, timelines
from socready.core.readiness.result import (
    TARGET_STATE_LABELS,
    ControlScore,
    Readiness,
    ReportScore,
    Score,
    TargetScore,
)
from socready.core.readiness.snapshot import ControlState, Engagement, ProgramSnapshot, check_snapshot
from socready.core.text import counted
from socready.core.window import (
    Coverage,
    Window,
    evidence_freshness,
    latest_evidence,
    reference_date,
    window_coverage,
)

# Points per part of a control's score. Type I has no operating part, so it is scored out of 75.
DESIGN_POINTS, BUILD_POINTS, EVIDENCE_POINTS, WINDOW_POINTS, SAMPLE_POINTS = 25, 25, 25, 15, 10
_RANK = {"not_started": 0, "in_progress": 1, "designed": 2, "implemented": 3, "operating": 4}


def _percent(points: float, possible: float) -> int:
    return round(100 * points / possible) if possible else 0


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _mean(values: Sequence[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


def _design_and_build_points(rank: int, type2: bool, counts: list[str], missing: list[str]) -> float:
    """Points for a documented design and a built control; adds the sentences that say what counts or lacks."""
    points = 0.0
    if rank >= _RANK["designed"]:
        points += DESIGN_POINTS
        counts.append("The design is documented.")
    elif rank == _RANK["in_progress"]:
        points += DESIGN_POINTS * 0.4
        counts.append("The design is in progress.")
        missing.append("The design is not documented yet.")
    else:
        missing.append("Work on the control has not started.")
    if rank >= _RANK["implemented"]:
        points += BUILD_POINTS
        counts.append("The control is implemented.")
    elif rank == _RANK["designed"]:
        missing.append("The control is designed but not implemented.")
    if type2 and rank == _RANK["implemented"]:
        missing.append("The control is implemented but not yet operating for the window.")
    return points


def _window_and_sample_points(
    state: ControlState, window: Coverage, counts: list[str], missing: list[str]
) -> tuple[float, bool]:
    """Points for covering a Type II window and for a clean sample, and whether the control is on track.

    Adds the sentences that say what counts or lacks.
    """
    points = WINDOW_POINTS * window.fraction
    on_track = True
    counts.append(f"Evidence covers {window.covered} of {window.total} periods of the window so far.")
    if window.missing:
        on_track = False
        first = window.missing[0]
        missing.append(
            f"{counted(len(window.missing), 'period')} of the window "
            f"{'has' if len(window.missing) == 1 else 'have'} no evidence, the first {first.label} "
            f"({first.start.isoformat()} to {first.end.isoformat()})."
        )
    if state.samples is None or state.samples.sample_size == 0:
        missing.append("No sample has been tested yet.")
    elif state.samples.exceptions:
        on_track = False
        missing.append(
            f"{counted(state.samples.exceptions, 'exception')} in a sample of {state.samples.sample_size}."
        )
    else:
        points += SAMPLE_POINTS
        counts.append(f"A sample of {state.samples.sample_size} was tested without exceptions.")
    return points, on_track


def score_control(state: ControlState, engagement: Engagement | None, today: dt.date) -> ControlScore:
    """Score one control against an engagement (None: judged as for a Type I as of today)."""
    control, rank = state.control, _RANK[state.status]
    type2 = engagement is not None and engagement.type2
    counts: list[str] = []
    missing: list[str] = []
    points = _design_and_build_points(rank, type2, counts, missing)
    in_place = rank >= (_RANK["operating"] if type2 else _RANK["implemented"])

    reference = reference_date(engagement.report_date if engagement else None, today)
    spans = [(e.effective, e.last_day) for e in state.evidence]
    latest = latest_evidence(spans, reference)
    judged = evidence_freshness(control.frequency, spans, reference)
    fresh, limit = not judged.stale, judged.limit_days
    if latest is None:
        missing.append(
            f"No evidence is attached ({_a(control.frequency)} control needs evidence within {limit} days)."
        )
    elif fresh:
        points += EVIDENCE_POINTS
        counts.append(
            f"The latest evidence ({latest.isoformat()}) is fresh for {_a(control.frequency)} control."
        )
    else:
        points += EVIDENCE_POINTS * 0.4
        age = (reference - latest).days
        missing.append(
            f"The latest evidence is {age} days old; {_a(control.frequency)} control needs "
            f"evidence within {limit} days."
        )

    window = None
    exceptions = state.samples.exceptions if state.samples else None
    possible = DESIGN_POINTS + BUILD_POINTS + EVIDENCE_POINTS
    on_track = True
    if type2 and engagement is not None and engagement.period_start and engagement.period_end:
        possible += WINDOW_POINTS + SAMPLE_POINTS
        window = window_coverage(
            control.frequency, Window(engagement.period_start, engagement.period_end), spans, today
        )
        window_points, on_track = _window_and_sample_points(state, window, counts, missing)
        points += window_points
    if state.failing_checks:
        # A failing automated check shows the control is not working today, whatever else is in place;
        # its findings come first so the criterion and the gap name the failing resources.
        on_track = False
        missing[:0] = [f"Automated check failing: {finding}." for finding in state.failing_checks]
    ready = in_place and fresh and on_track
    score = Score(_percent(points, possible), tuple(counts), tuple(missing))
    return ControlScore(
        control_id=control.id,
        title=control.title,
        status=state.status,
        engagement_id=engagement.id if engagement else None,
        in_place=in_place,
        ready=ready,
        evidence_fresh=fresh,
        latest_evidence=latest,
        window=window,
        exceptions=exceptions,
        score=score,
        next_step=_next_step(state, type2, in_place, latest, fresh, window, exceptions),
    )


def _next_step(
    state: ControlState,
    type2: bool,
    in_place: bool,
    latest: dt.date | None,
    fresh: bool,
    window: object,
    exceptions: int | None,
) -> str:
    control = state.control
    name = f"{control.id} ({control.title})"
    if _RANK[state.status] < _RANK["designed"]:
        return f"Document the design of {name}"
    if _RANK[state.status] < _RANK["implemented"]:
        return f"Implement {name}"
    if not in_place:
        return f"Start operating {name} and keep its evidence through the window"
    if latest is None:
        request = control.evidence[0].name if control.evidence else "its evidence"
        return f"Collect evidence for {name}: {request}"
    if not fresh:
        return f"Refresh the evidence for {name}"
    if state.failing_checks:
        return f"Fix what {control.id}'s automated checks find: {'; '.join(state.failing_checks)}"
    if exceptions:
        return f"Investigate the exceptions found in {control.id}'s sample and fix their cause"
    if type2 and window is not None:
        return f"Add evidence for the uncovered periods of {control.id}'s window"
    return f"Keep {control.id} operating"


def _strictest(state: ControlState, engagements: dict[str, Engagement]) -> Engagement | None:
    served = [engagements[e] for e in state.engagements]
    if not served:
        return None
    # Type II asks the most; between equals, the earliest report date comes first.
    return min(served, key=lambda e: (not e.type2, e.report_date or dt.date.max, e.id))


def _demands(engagement: Engagement) -> tuple[bool, dt.date | None, dt.date | None]:
    # Engagements with the same type and dates score a control the same way, so the work is shared.
    if engagement.type2:
        return (True, engagement.period_start, engagement.period_end)
    return (False, engagement.as_of, None)


def _targets(engagement: Engagement, catalog: Catalog) -> list[Criterion | Objective]:
    if engagement.report == "soc2":
        wanted = {normalize_category(c) for c in engagement.categories} | {"Security"}
        return list(catalog.criteria_in(wanted))
    by_id = {o.id: o for o in catalog.objectives}
    return [by_id[o] for o in engagement.objectives if o in by_id]


def score_target(
    target: Criterion | Objective, engagement: Engagement, scores: Sequence[ControlScore]
) -> TargetScore:
    """Score one criterion or objective from the scores of the controls mapped to it."""
    kind = "criterion" if isinstance(target, Criterion) else "objective"
    ready = [s.control_id for s in scores if s.ready]
    in_place = [s for s in scores if s.in_place]
    if not scores:
        state = "uncovered"
        missing = [f"No adopted control covers {kind} {target.id} for the {engagement.label}."]
    else:
        state = (
            "ready"
            if len(ready) == len(scores)
            else "evidence"
            if len(in_place) == len(scores)
            else "partial"
            if in_place
            else "uncovered"
        )
        missing = [
            f"{s.control_id} is not ready: {s.score.missing[0] if s.score.missing else s.next_step}"
            for s in scores
            if not s.ready
        ]
    counts = [f"{len(ready)} of {counted(len(scores), 'mapped control')} ready."] if scores else []
    return TargetScore(
        id=target.id,
        report=engagement.report,
        title=target.title,
        category=target.category if isinstance(target, Criterion) else None,
        engagement_id=engagement.id,
        state=state,
        controls=tuple(s.control_id for s in scores),
        score=Score(_mean([s.score.value for s in scores]), tuple(counts), tuple(missing)),
    )


def _remaining(gaps: int) -> str:
    return f"{counted(gaps, 'gap')} {'remains' if gaps == 1 else 'remain'}"


def _report_score(engagement: Engagement, targets: Sequence[TargetScore]) -> Score:
    ready = [t for t in targets if t.state == "ready"]
    noun = "criteria" if engagement.report == "soc2" else "objectives"
    counts = [f"{len(ready)} of {len(targets)} {noun} in scope are ready for the {engagement.label}."]
    missing = [
        f"{t.id} ({TARGET_STATE_LABELS[t.state].lower()}): {t.score.missing[0]}"
        for t in targets if t.state != "ready" and t.score.missing
    ]
    return Score(_mean([t.score.value for t in targets]), tuple(counts), tuple(missing))


def assess(
    snapshot: ProgramSnapshot, catalog: Catalog | None = None, library: ControlLibrary | None = None
) -> Readiness:
    """Score a program snapshot: controls, criteria and objectives, categories, reports, gaps, ready date.

    ``library`` is where gaps look for a control to adopt when nothing covers a target; None skips that.
    """
    check_snapshot(snapshot)
    catalog = catalog or default_catalog()
    today = snapshot.today
    engagements = {e.id: e for e in snapshot.engagements}
    per_engagement: dict[str, list[tuple[ControlState, ControlScore]]] = {}
    headline: list[ControlScore] = []
    for state in snapshot.controls:
        if not state.applicable:
            continue
        cache: dict[tuple[bool, dt.date | None, dt.date | None], ControlScore] = {}
        for engagement_id in state.engagements:
            engagement = engagements[engagement_id]
            if _demands(engagement) not in cache:
                cache[_demands(engagement)] = score_control(state, engagement, today)
            per_engagement.setdefault(engagement_id, []).append((state, cache[_demands(engagement)]))
        strictest = _strictest(state, engagements)
        headline.append(cache[_demands(strictest)] if strictest else score_control(state, None, today))

    reports: list[ReportScore] = []
    category_values: dict[str, list[int]] = {}
    for engagement in snapshot.engagements:
        scored = per_engagement.get(engagement.id, [])
        targets = []
        for target in _targets(engagement, catalog):
            mapped = [
                s
                for st, s in scored
                if target.id
                in (st.control.criteria if isinstance(target, Criterion) else st.control.objectives)
            ]
            targets.append(score_target(target, engagement, mapped))
        for item in targets:
            if item.category:
                category_values.setdefault(item.category, []).append(item.score.value)
        reports.append(ReportScore(engagement, _report_score(engagement, targets), tuple(targets), today, ()))

    gaps = build_gaps(reports, snapshot, catalog, library, per_engagement)
    dated = ready_dates(reports, gaps, snapshot)
    by_category = {
        name: Score(
            _mean(category_values[name]),
            (f"Mean of {len(category_values[name])} criteria.",),
            tuple(
                m
                for r in dated
                for t in r.targets
                if t.category == name and t.state != "ready"
                for m in t.score.missing[:1]
            ),
        )
        for name in CATEGORIES
        if name in category_values
    }
    if dated:
        overall = Score(
            _mean([r.score.value for r in dated]),
            tuple(f"{r.engagement.label}: {r.score.value}" for r in dated),
            tuple(
                f"{_remaining(len([g for g in gaps if r.engagement.id in g.engagements]))} for "
                f"the {r.engagement.label}."
                for r in dated
            ),
        )
    else:
        overall = Score(0, (), ("No engagement is planned yet.",))
    ready_date = max((r.ready_date for r in dated), default=None)
    notes = tuple(dict.fromkeys(n for r in dated for n in r.ready_date_notes))
    return Readiness(
        organization=snapshot.organization,
        today=today,
        overall=overall,
        by_category=by_category,
        by_report=tuple(dated),
        controls=tuple(headline),
        gaps=gaps,
        plan=build_plan(gaps),
        ready_date=ready_date,
        ready_date_notes=notes,
        timelines=timelines(snapshot, per_engagement),
    )
