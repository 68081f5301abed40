"""Expected occurrences in a window, the missing periods and Type I staleness."""

import datetime as dt

import pytest

from socready.core.sampling import Frequency
from socready.core.window import Window, add_months, coverage, expected_periods, freshness

H1 = Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@pytest.mark.parametrize(("frequency", "count"), [
    (Frequency.MONTHLY, 6), (Frequency.WEEKLY, 26), (Frequency.QUARTERLY, 2), (Frequency.SEMI_ANNUAL, 1),
    (Frequency.DAILY, 181), (Frequency.ANNUAL, 1), (Frequency.PER_EVENT, 0), (Frequency.CONTINUOUS, 0),
])
def test_six_month_window_expects_one_occurrence_per_calendar_period(frequency, count):
    assert len(expected_periods(frequency, H1)) == count


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
    assert result.outside == (dt.date(2025, 12, 31),)


def test_weekly_gaps_use_iso_week_labels():
    scans = [max(p.start, H1.start) for p in expected_periods(Frequency.WEEKLY, H1) if p.label != "2026-W09"]
    result = coverage(Frequency.WEEKLY, H1, scans)
    assert [p.label for p in result.missing] == ["2026-W09"]


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
