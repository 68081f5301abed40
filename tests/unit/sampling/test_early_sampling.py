"""Sampling before the Type II window has run long enough for the draw to represent it."""

import datetime as dt

import pytest

from socready.core.window import REPRESENTATIVE_SHARE, Window, early_sampling

YEAR = Window(dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # 365 days: half is reached on day 183


def test_a_draw_two_months_into_a_year_long_window_is_early_and_says_from_when_it_is_not():
    early = early_sampling(YEAR, dt.date(2026, 2, 28))
    assert early is not None
    assert early.elapsed_days == 59 and early.representative_from == dt.date(2026, 7, 2)
    assert round(early.share, 3) == 0.162
    message = early.message()
    assert "2026-01-01..2026-12-31" in message and "59 of its 365 days (16%)" in message
    assert "2026-07-02" in message and "extend the sample later" in message


def test_the_day_half_the_window_has_run_is_the_first_representative_day():
    assert REPRESENTATIVE_SHARE == 0.5
    assert early_sampling(YEAR, dt.date(2026, 7, 1)) is not None
    assert early_sampling(YEAR, dt.date(2026, 7, 2)) is None
    assert early_sampling(YEAR, dt.date(2027, 3, 1)) is None  # after the window: the whole of it


def test_a_window_that_has_not_started_has_run_none_of_its_days():
    early = early_sampling(YEAR, dt.date(2025, 11, 30))
    assert early is not None and early.elapsed_days == 0 and early.share == 0.0
    assert "had not started on 2025-11-30" in early.message()


def test_the_share_can_be_set_and_a_one_day_window_is_never_early_on_its_day():
    assert early_sampling(YEAR, dt.date(2026, 9, 1), share=0.75) is not None
    assert early_sampling(YEAR, dt.date(2026, 10, 1), share=0.75) is None
    day = Window(dt.date(2026, 5, 4), dt.date(2026, 5, 4))
    assert early_sampling(day, dt.date(2026, 5, 4)) is None and early_sampling(day, dt.date(2026, 5, 3))


@pytest.mark.parametrize("share", [0.0, -0.1, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share):
    with pytest.raises(ValueError, match="share of the window"):
        early_sampling(YEAR, dt.date(2026, 2, 1), share=share)
