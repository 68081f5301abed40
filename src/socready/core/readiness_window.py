"""Evidence freshness by control frequency, and coverage of a Type II window period by period.

The rules are deliberately simple so a reader can check them by hand (see docs/readiness.md): each
frequency has a freshness limit for its latest evidence, and a period length in which the window must
show at least one piece of evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Days the latest evidence stays fresh: one cycle of the control plus a margin for late filing.
FRESHNESS_DAYS: dict[str, int] = {
    "continuous": 31,
    "daily": 7,
    "weekly": 14,
    "monthly": 45,
    "quarterly": 120,
    "semi-annual": 200,
    "annual": 395,
    "per-event": 120,
}
# The stretch of the window that must hold evidence. Controls that run more often than their stretch are
# tested by sampling inside it; per-event and continuous controls are looked at quarter by quarter and
# month by month because their events do not follow a calendar.
PERIOD_KIND: dict[str, str] = {
    "continuous": "month",
    "daily": "week",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "semi-annual": "half",
    "annual": "window",
    "per-event": "quarter",
}
_MONTHS_IN = {"month": 1, "quarter": 3, "half": 6}


@dataclass(frozen=True)
class Period:
    """One stretch of a window and whether evidence covers it: covered, missing (ended, none) or open."""

    start: dt.date
    end: dt.date
    state: str


@dataclass(frozen=True)
class WindowCoverage:
    """Coverage of one control over one Type II window, as of a date."""

    periods: tuple[Period, ...]

    @property
    def total(self) -> int:
        """Periods in the whole window."""
        return len(self.periods)

    @property
    def covered(self) -> int:
        """Periods that hold evidence."""
        return sum(1 for p in self.periods if p.state == "covered")

    @property
    def missing(self) -> tuple[Period, ...]:
        """Periods already over with no evidence."""
        return tuple(p for p in self.periods if p.state == "missing")

    @property
    def fraction(self) -> float:
        """Share of the whole window covered so far (0.0 to 1.0)."""
        return self.covered / self.total if self.total else 0.0


def freshness_days(frequency: str) -> int:
    """How many days the latest evidence of a control with this frequency stays fresh."""
    return FRESHNESS_DAYS.get(frequency, FRESHNESS_DAYS["annual"])


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.month - 1 + months
    return dt.date(day.year + total // 12, total % 12 + 1, 1)


def window_periods(frequency: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Split a window into the stretches that must each hold evidence for this frequency."""
    kind = PERIOD_KIND.get(frequency, "window")
    if kind == "window":
        return [(start, end)]
    periods: list[tuple[dt.date, dt.date]] = []
    if kind == "week":
        cursor = start
        while cursor <= end:
            last = min(cursor + dt.timedelta(days=6), end)
            periods.append((cursor, last))
            cursor = last + dt.timedelta(days=1)
        return periods
    step = _MONTHS_IN[kind]
    # Calendar-aligned stretches (January-March, ...) match how auditors and owners talk about quarters.
    month_index = (start.month - 1) // step * step
    cursor = dt.date(start.year, month_index + 1, 1)
    while cursor <= end:
        following = _add_months(cursor, step)
        periods.append((max(cursor, start), min(following - dt.timedelta(days=1), end)))
        cursor = following
    return periods


def window_coverage(
    frequency: str, start: dt.date, end: dt.date, spans: Iterable[tuple[dt.date, dt.date]], today: dt.date
) -> WindowCoverage:
    """Mark each period of the window covered, missing or still open from evidence (first, last day) spans."""
    ordered = sorted((a.toordinal(), b.toordinal()) for a, b in spans)
    now = today.toordinal()
    index, reach = 0, -1
    periods: list[Period] = []
    # One sweep: periods and spans both go forward in time, so the furthest end reached by any span that
    # started before a period's end tells whether the period is touched.
    for first, last in window_periods(frequency, start, end):
        first_n, last_n = first.toordinal(), last.toordinal()
        while index < len(ordered) and ordered[index][0] <= last_n:
            reach = max(reach, ordered[index][1])
            index += 1
        if reach >= first_n:
            state = "covered"
        elif last_n < now:
            state = "missing"
        else:
            state = "open"
        periods.append(Period(first, last, state))
    return WindowCoverage(tuple(periods))
