"""Expected occurrences in a window, the missing periods and Type I staleness."""

import datetime as dt

import pytest

from socready.core.months import add_months
from socready.core.sampling.draw import Frequency
from socready.core.window import Window, coverage, expected_periods, freshness

H1 = Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize(("frequency", "count"), [
    (Frequency.MONTHLY, 6), (Frequency.WEEKLY, 26), (Frequency.QUARTERLY, 2), (Frequency.SEMI_ANNUAL, 1),
    (Frequency.DAILY, 26), (Frequency.ANNUAL, 1), (Frequency.PER_EVENT, 2), (Frequency.CONTINUOUS, 6),
    (Frequency.AUTOMATED, 6),
])
def test_six_month_window_expects_one_occurrence_per_calendar_period(frequency, count):
    assert len(expected_periods(frequency, H1)) == count


@pytest.mark.parametrize(("text", "first"), [
    ("daily", "2026-W01"), ("per-event", "2026-Q1"), ("Per event", "2026-Q1"), ("semi_annual", "2026-H1"),
    ("continuous", "2026-01"), ("automated", "2026-01"),
])
def test_frequencies_given_as_text_get_the_same_periods(text, first):
    assert expected_periods(text, H1)[0].label == first


def test_an_unknown_frequency_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown frequency 'fortnightly'"):
        coverage("fortnightly", H1, [])


def test_the_periods_cover_every_day_of_the_window_once():
    window = Window(dt.date(2026, 1, 15), dt.date(2026, 7, 14))
    for frequency in Frequency:
        periods = expected_periods(frequency, window)
        assert periods[0].start == window.start and periods[-1].end == window.end
        assert all(b.start == a.end + dt.timedelta(days=1) for a, b in zip(periods, periods[1:], strict=False))


def test_evidence_in_a_cut_period_too_short_to_count_is_judged_with_its_neighbour():
    window = Window(dt.date(2026, 1, 15), dt.date(2026, 7, 14))
    june = expected_periods(Frequency.MONTHLY, window)[-1]
    assert (june.label, june.start, june.end) == ("2026-06", dt.date(2026, 6, 1), dt.date(2026, 7, 14))
    result = coverage(Frequency.MONTHLY, window, [dt.date(2026, 7, 3)])
    assert [p.label for p in result.periods if p.state == "covered"] == ["2026-06"]


def test_a_cycle_longer_than_the_window_is_expected_once_anywhere_in_it():
    (period,) = expected_periods(Frequency.ANNUAL, H1)
    assert (period.start, period.end) == (H1.start, H1.end)
    assert coverage(Frequency.ANNUAL, H1, [dt.date(2026, 2, 10)]).missing == ()


def test_a_mid_month_window_counts_edge_months_covered_at_least_half():
    window = Window(dt.date(2026, 1, 15), dt.date(2026, 7, 14))
    labels = [p.label for p in expected_periods(Frequency.MONTHLY, window)]
    assert labels == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]


def test_missing_months_are_named():
    dates = [dt.date(2026, m, 28) for m in (1, 2, 4, 5, 6)] + [dt.date(2025, 12, 31)]
    result = coverage(Frequency.MONTHLY, H1, dates)
    assert result.covered == 5
    assert [p.label for p in result.missing] == ["2026-03"]
    assert "no evidence for 2026-03" in result.messages()
    assert result.outside == ((dt.date(2025, 12, 31), dt.date(2025, 12, 31)),)
    assert "evidence dated 2025-12-31 is outside the window 2026-01-01..2026-06-30" in result.messages()


def test_weekly_gaps_use_iso_week_labels():
    scans = [max(p.start, H1.start) for p in expected_periods(Frequency.WEEKLY, H1) if p.label != "2026-W09"]
    result = coverage(Frequency.WEEKLY, H1, scans)
    assert [p.label for p in result.missing] == ["2026-W09"]


def test_a_span_of_evidence_covers_every_period_it_overlaps_inside_the_window():
    result = coverage(Frequency.MONTHLY, H1, [(dt.date(2025, 12, 20), dt.date(2026, 3, 2))])
    assert [p.state for p in result.periods] == ["covered"] * 3 + ["missing"] * 3
    assert result.outside == ()
    with pytest.raises(ValueError, match="from 2026-03-02 to 2026-03-01 ends before it starts"):
        coverage(Frequency.MONTHLY, H1, [(dt.date(2026, 3, 2), dt.date(2026, 3, 1))])


def test_with_today_periods_not_yet_over_are_open_not_missing():
    result = coverage("monthly", H1, [dt.date(2026, 1, 10), dt.date(2026, 3, 5)], today=dt.date(2026, 4, 30))
    assert [p.state for p in result.periods] == ["covered", "missing", "covered", "open", "open", "open"]
    assert (result.covered, result.total, result.fraction) == (2, 6, pytest.approx(2 / 6))
    assert result.messages() == ("no evidence for 2026-02",)
    assert [p.label for p in result.open] == ["2026-04", "2026-05", "2026-06"]


def test_coverage_of_many_spans_matches_a_period_by_period_check():
    spans = [(dt.date(2026, 1, 1) + dt.timedelta(days=d), dt.date(2026, 1, 1) + dt.timedelta(days=d + d % 5))
             for d in range(0, 181, 17)]
    result = coverage(Frequency.WEEKLY, H1, spans)
    for period in result.periods:
        touched = any(a <= period.end and b >= period.start for a, b in spans)
        assert (period.state == "covered") == touched, period.label


@pytest.mark.parametrize(("frequency", "fresh_until"), [
    (Frequency.DAILY, dt.date(2026, 6, 20)), (Frequency.CONTINUOUS, dt.date(2026, 5, 20)),
    (Frequency.PER_EVENT, dt.date(2026, 3, 15)), (Frequency.AUTOMATED, dt.date(2025, 5, 31)),
])
def test_frequencies_without_a_calendar_borrow_the_freshness_of_their_period(frequency, fresh_until):
    as_of = dt.date(2026, 6, 30)
    assert not freshness(frequency, as_of, [fresh_until]).stale
    assert freshness(frequency, as_of, [fresh_until - dt.timedelta(days=1)]).stale


def test_quarterly_evidence_older_than_a_cycle_plus_grace_is_stale():
    as_of = dt.date(2026, 6, 30)
    assert not freshness(Frequency.QUARTERLY, as_of, [dt.date(2026, 3, 20)]).stale
    stale = freshness(Frequency.QUARTERLY, as_of, [dt.date(2026, 3, 1)])
    assert stale.stale and stale.oldest_acceptable == dt.date(2026, 3, 15)


def test_evidence_after_the_as_of_date_does_not_count():
    result = freshness(Frequency.ANNUAL, dt.date(2026, 6, 30), [dt.date(2026, 7, 1)])
    assert result.stale and result.latest is None


def test_window_parse_refuses_reversed_or_malformed_periods():
    assert Window.parse("2026-01-01..2026-06-30") == H1
    with pytest.raises(ValueError, match="before it starts"):
        Window.parse("2026-06-30..2026-01-01")
    with pytest.raises(ValueError, match="START..END"):
        Window.parse("2026-01-01")


def test_add_months_clamps_to_the_end_of_short_months():
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 13) == dt.date(2027, 2, 28)
