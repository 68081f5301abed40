"""Readiness scoring: controls, targets, reports, gaps in impact order, ready dates, bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from socready.core.controls.library import default_library
from socready.core.errors import InputError
from socready.core.readiness.scoring import assess, score_control
from socready.core.readiness.snapshot import ControlState, Engagement, EvidenceItem, SampleSummary
from socready.core.window import Window, coverage
from tests.unit.readiness.snapshots import SOC1, SOC2, TODAY, demo_snapshot

D = dt.date


def _state(
    control_id: str,
    status: str = "operating",
    evidence: tuple[EvidenceItem, ...] = (),
    samples: SampleSummary | None = None,
) -> ControlState:
    return ControlState(
        control=default_library().control(control_id),
        status=status,
        engagements=(SOC2.id,),
        evidence=evidence,
        samples=samples,
    )


def test_a_type_two_control_is_judged_on_the_same_periods_as_the_window_module() -> None:
    evidence = (EvidenceItem("e1", "r", D(2026, 1, 10)), EvidenceItem("e3", "r", D(2026, 3, 5)))
    score = score_control(_state("LOG-04", evidence=evidence), SOC2, TODAY)
    assert score.window is not None
    expected = coverage(
        "monthly", Window(D(2026, 1, 1), D(2026, 6, 30)), [D(2026, 1, 10), D(2026, 3, 5)], today=TODAY
    )
    assert score.window.periods == expected.periods
    assert [p.state for p in score.window.periods] == ["covered", "missing", "covered", "open", "open", "open"]
    assert "1 period of the window has no evidence, the first 2026-02 (2026-02-01 to 2026-02-28)." in (
        score.score.missing
    )


def test_evidence_dated_after_today_does_not_cover_a_type_two_period() -> None:
    evidence = (EvidenceItem("e1", "r", D(2026, 1, 10)), EvidenceItem("e2", "r", D(2026, 5, 20)))
    score = score_control(_state("LOG-04", evidence=evidence), SOC2, TODAY)
    assert score.window is not None
    assert [p.state for p in score.window.periods][4] == "open"


def test_the_window_timeline_shows_the_same_months_as_the_control_coverage() -> None:
    evidence = (EvidenceItem("e1", "r", D(2026, 1, 10)), EvidenceItem("e3", "r", D(2026, 3, 5)))
    state = _state("LOG-04", evidence=evidence)
    result = assess(replace(demo_snapshot(), engagements=(SOC2,), controls=(state,), tasks=(), requests=()))
    (timeline,) = result.timelines
    shown = [(m.month.month, m.covered, m.missing) for m in timeline.months]
    assert shown == [(1, 1, 0), (2, 0, 1), (3, 1, 0), (4, 0, 0), (5, 0, 0), (6, 0, 0)]


def test_a_daily_control_is_covered_week_by_week_in_a_type_two_window() -> None:
    mondays = tuple(EvidenceItem(f"e{n}", "r", D(2026, 1, 5) + dt.timedelta(weeks=n)) for n in range(14))
    score = score_control(_state("BCP-01", evidence=mondays), SOC2, TODAY)
    assert score.window is not None
    assert score.window.total == 26 and score.window.covered == 14
    # 2026-W01 runs from 29 December to 4 January: the window's first four days, with no evidence.
    assert [p.label for p in score.window.missing] == ["2026-W01"]
    assert [p.label for p in score.window.open] == [f"2026-W{n}" for n in range(16, 27)]


def test_an_implemented_control_with_fresh_evidence_is_fully_ready_for_a_type_one() -> None:
    state = replace(
        _state("IAM-03", "implemented", (EvidenceItem("e", "review", D(2026, 3, 31)),)),
        engagements=(SOC1.id,),
    )
    score = score_control(state, SOC1, TODAY)
    assert score.ready and score.score.value == 100
    assert score.score.missing == ()


def test_stale_evidence_keeps_a_control_from_ready_and_says_how_old_it_is() -> None:
    state = _state("IAM-03", "implemented", (EvidenceItem("e", "review", D(2025, 6, 30)),))
    score = score_control(state, SOC1, TODAY)
    assert not score.ready and not score.evidence_fresh
    assert any("289 days old" in m and "within 105 days" in m for m in score.score.missing)


@pytest.mark.parametrize(
    ("control_id", "fresh_from"),
    [("IAM-01", D(2025, 12, 31)), ("IAM-05", D(2026, 3, 5)), ("BCP-01", D(2026, 4, 5))],
)
def test_type_one_freshness_is_the_window_module_rule(control_id: str, fresh_from: dt.date) -> None:
    # per-event: a quarter plus 15 days; continuous: a month plus 10; daily: a week plus 3 (as of 15 April).
    def judged(day: dt.date) -> bool:
        state = _state(control_id, "implemented", (EvidenceItem("e", "r", day),))
        return score_control(state, SOC1, TODAY).evidence_fresh

    assert judged(fresh_from) and not judged(fresh_from - dt.timedelta(days=1))


def test_an_evidence_period_still_running_at_the_reference_date_is_fresh() -> None:
    item = EvidenceItem("e", "r", D(2025, 10, 1), period_end=D(2026, 12, 31))
    score = score_control(_state("BCP-01", "implemented", (item,)), SOC1, TODAY)
    assert score.evidence_fresh and score.latest_evidence == D(2026, 12, 31)


def test_sample_exceptions_keep_a_type_two_control_from_ready() -> None:
    evidence = tuple(EvidenceItem(f"e{m}", "review", D(2026, m, 28)) for m in (1, 2, 3))
    clean = score_control(
        _state("LOG-04", evidence=evidence, samples=SampleSummary(10, 0)), SOC2, D(2026, 4, 2)
    )
    flawed = score_control(
        _state("LOG-04", evidence=evidence, samples=SampleSummary(10, 1)), SOC2, D(2026, 4, 2)
    )
    assert clean.ready and not flawed.ready
    assert clean.score.value > flawed.score.value
    assert "1 exception in a sample of 10." in flawed.score.missing


def test_type_two_score_grows_as_the_window_fills_with_evidence() -> None:
    early = (EvidenceItem("e1", "r", D(2026, 1, 28)),)
    later = (*early, EvidenceItem("e2", "r", D(2026, 2, 27)), EvidenceItem("e3", "r", D(2026, 3, 30)))
    first = score_control(_state("LOG-04", evidence=early), SOC2, D(2026, 2, 2))
    second = score_control(_state("LOG-04", evidence=later), SOC2, D(2026, 4, 2))
    assert second.score.value > first.score.value


def test_gaps_come_uncovered_first_then_partial_then_evidence() -> None:
    result = assess(demo_snapshot(), library=default_library())
    kinds = [g.kind for g in result.gaps]
    assert kinds == sorted(kinds, key=("uncovered", "partial", "evidence").index)
    assert {"uncovered", "partial", "evidence"} <= set(kinds)


def test_a_criterion_with_no_adopted_control_suggests_a_library_control_that_covers_it() -> None:
    result = assess(demo_snapshot(), library=default_library())
    gap = next(g for g in result.gaps if g.target == "CC3.1")
    assert gap.kind == "uncovered" and "No adopted control covers CC3.1" in gap.reason
    assert gap.task.control_id is not None
    assert "CC3.1" in default_library().control(gap.task.control_id).criteria


def test_a_gap_points_to_the_open_task_already_tracking_its_control() -> None:
    result = assess(demo_snapshot(), library=default_library())
    gap = next(g for g in result.gaps if g.target == "CC3.2")
    assert gap.task.control_id == "RSK-02" and gap.task.open_task == "Write the risk assessment"


def test_evidence_gap_names_the_control_with_sample_exceptions() -> None:
    result = assess(demo_snapshot(), library=default_library())
    gap = next(g for g in result.gaps if g.target == "CC8.1")
    assert gap.kind == "evidence" and "CHG-01" in gap.reason
    assert gap.task.control_id == "CHG-01"


def test_ready_date_is_the_latest_of_open_task_dues_and_the_type_two_window_end() -> None:
    result = assess(demo_snapshot())
    soc2, soc1 = result.by_report
    assert soc2.ready_date == SOC2.period_end
    assert soc1.ready_date == TODAY  # the only open SOC 1 task is overdue, so it counts as today
    assert any("was due 2026-03-31" in n for n in soc1.ready_date_notes)
    assert any("no due date" in n for n in result.ready_date_notes)
    assert result.ready_date == SOC2.period_end


def test_a_later_task_due_date_moves_the_ready_date() -> None:
    snapshot = demo_snapshot()
    late = replace(snapshot.tasks[0], due=D(2026, 9, 30))
    result = assess(replace(snapshot, tasks=(late, *snapshot.tasks[1:])))
    assert result.ready_date == D(2026, 9, 30)


def test_overall_is_the_mean_of_the_reports_and_every_score_explains_itself() -> None:
    result = assess(demo_snapshot())
    values = [r.score.value for r in result.by_report]
    assert result.overall.value == round(sum(values) / len(values))
    assert all(r.score.counts for r in result.by_report)
    assert all(t.score.missing for r in result.by_report for t in r.targets if t.state != "ready")
    assert set(result.by_category) == {"Security", "Availability"}


def test_a_fully_ready_program_scores_100_with_no_gaps() -> None:
    state = ControlState(
        control=default_library().control("IAM-03"),
        status="implemented",
        engagements=("one",),
        evidence=(EvidenceItem("e", "r", D(2026, 4, 1)),),
    )
    engagement = Engagement(
        id="one", report="soc1", type="Type I", as_of=D(2026, 6, 30), objectives=("ITGC-ACCESS",)
    )
    snapshot = replace(demo_snapshot(), engagements=(engagement,), controls=(state,), tasks=(), requests=())
    result = assess(snapshot)
    assert result.overall.value == 100 and result.gaps == ()


def test_to_dict_has_the_documented_keys() -> None:
    data = assess(demo_snapshot()).to_dict()
    assert {"overall", "by_category", "by_report", "gaps", "ready_date"} <= set(data)
    assert 0 <= data["overall"] <= 100
    assert {"target", "reason", "task"} <= set(data["gaps"][0])


def test_a_not_applicable_control_covers_nothing() -> None:
    snapshot = demo_snapshot()
    states = tuple(
        replace(s, not_applicable_reason="no offices") if s.id == "IAM-01" else s for s in snapshot.controls
    )
    result = assess(replace(snapshot, controls=states))
    assert "IAM-01" not in {c.control_id for c in result.controls}
    assert all("IAM-01" not in t.controls for r in result.by_report for t in r.targets)


@pytest.mark.parametrize(
    ("change", "entry", "field"),
    [
        (
            lambda s: replace(s, controls=(replace(s.controls[0], status="done"), *s.controls[1:])),
            "control IAM-01",
            "status",
        ),
        (
            lambda s: replace(
                s, controls=(replace(s.controls[0], samples=SampleSummary(3, 5)), *s.controls[1:])
            ),
            "control IAM-01",
            "samples",
        ),
        (
            lambda s: replace(s, controls=(replace(s.controls[0], engagements=("nope",)), *s.controls[1:])),
            "control IAM-01",
            "engagements",
        ),
        (
            lambda s: replace(s, engagements=(replace(SOC2, period_end=None), SOC1)),
            "engagement soc2-2026",
            "period_start",
        ),
    ],
)
def test_bad_snapshot_is_refused_naming_entry_and_field_and_left_unchanged(change, entry, field) -> None:
    bad = change(demo_snapshot())
    before = repr(bad)
    with pytest.raises(InputError) as raised:
        assess(bad)
    assert raised.value.entry == entry and raised.value.field == field
    assert entry in str(raised.value)
    assert repr(bad) == before


def test_a_type_two_gap_on_an_implemented_control_says_it_must_be_operating() -> None:
    state = _state("LOG-04", status="implemented", evidence=(EvidenceItem("e1", "r", D(2026, 1, 10)),))
    result = assess(replace(demo_snapshot(), engagements=(SOC2,), controls=(state,), tasks=(), requests=()))
    gap = next(g for g in result.gaps if "LOG-04" in g.reason)
    assert gap.kind == "uncovered"
    assert "(LOG-04 is implemented; a Type II needs its controls operating)" in gap.reason
    (report,) = result.by_report
    # The report's summary reads the state as people do, never as the internal key.
    assert any("(not in place)" in line for line in report.score.missing)
    assert not any("(uncovered)" in line for line in report.score.missing)
