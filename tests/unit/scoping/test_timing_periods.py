"""The Type II period rule shared by the scoping step and the engagement form."""

from __future__ import annotations

import datetime as dt

import pytest

from socready.core.scoping.timing import period_problem, window_months

D = dt.date


@pytest.mark.parametrize(("start", "end", "months"), [
    (D(2026, 1, 1), D(2026, 6, 30), 6),
    (D(2026, 1, 15), D(2026, 4, 14), 3),
    (D(2026, 1, 15), D(2026, 4, 15), 4),
    (D(2026, 7, 1), D(2027, 6, 30), 12),
])
def test_window_months_counts_whole_months(start: dt.date, end: dt.date, months: int) -> None:
    assert window_months(start, end) == months


def test_periods_of_three_to_twelve_months_are_accepted_and_others_say_why() -> None:
    assert period_problem(D(2026, 1, 1), D(2026, 3, 31)) is None
    assert period_problem(D(2026, 1, 1), D(2026, 12, 31)) is None
    assert period_problem(D(2026, 1, 1), D(2026, 2, 28)) == "A Type II period runs 3 to 12 months; this one is 2."
    assert period_problem(D(2026, 1, 1), D(2027, 1, 31)) == "A Type II period runs 3 to 12 months; this one is 13."
    assert period_problem(D(2026, 1, 1), D(2026, 1, 1)) == "The period must end after it starts."
