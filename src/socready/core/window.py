"""Expected occurrences of a control in an observation window, the periods without evidence, and staleness.

Periods follow the calendar: months ("2026-03"), quarters ("2026-Q1"), halves ("2026-H1"), years ("2026"),
ISO weeks ("2026-W09") and days. A period cut by the window's start or end is expected only when the
window covers at least half of it, so a window from 1 January to 30 June expects 6 monthly reviews and
26 weekly scans; a control whose cycle is longer than that is expected once anywhere in the window.
Continuous, per-event and automated controls have no calendar: their coverage comes from
populations and samples, so no occurrences are expected here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socready.core.sampling import Frequency

CALENDAR_FREQUENCIES = (Frequency.ANNUAL, Frequency.SEMI_ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY,
                        Frequency.WEEKLY, Frequency.DAILY)
# One cycle of the control, in months or days, and the grace allowed for late performance or filing.
_CYCLE_MONTHS = {Frequency.ANNUAL: 12, Frequency.SEMI_ANNUAL: 6, Frequency.QUARTERLY: 3, Frequency.MONTHLY: 1,
                 Frequency.AUTOMATED: 12}
_CYCLE_DAYS = {Frequency.WEEKLY: 7, Frequency.DAILY: 1, Frequency.CONTINUOUS: 1}
GRACE_DAYS: dict[Frequency, int] = {
    Frequency.ANNUAL: 30, Frequency.SEMI_ANNUAL: 30, Frequency.QUARTERLY: 15, Frequency.MONTHLY: 10,
    Frequency.WEEKLY: 3, Frequency.DAILY: 1, Frequency.CONTINUOUS: 1, Frequency.AUTOMATED: 30,
}


@dataclass(frozen=True)
class Window:
    """An observation window, both ends included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the window ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def parse(cls, text: str) -> Window:
        """Read 'YYYY-MM-DD..YYYY-MM-DD'; raise ValueError saying what is wrong."""
        parts = text.split("..")
        if len(parts) != 2:
            raise ValueError(f"'{text}' is not a period; write START..END, e.g. 2026-01-01..2026-06-30")
        try:
            start, end = (dt.date.fromisoformat(p.strip()) for p in parts)
        except ValueError:
            raise ValueError(f"'{text}' is not a period of two dates YYYY-MM-DD..YYYY-MM-DD") from None
        return cls(start, end)

    def contains(self, day: dt.date) -> bool:
        """Whether a day falls inside the window."""
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Length of the window in days."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class Period:
    """One calendar period in which a control is expected to operate at least once."""

    label: str
    start: dt.date
    end: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the end of shorter months."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month + 1, candidate)
        except ValueError:
            continue
    return dt.date(year, month + 1, min(day.day, 28))


def _calendar_period(frequency: Frequency, day: dt.date) -> Period:
    if frequency == Frequency.DAILY:
        return Period(day.isoformat(), day, day)
    if frequency == Frequency.WEEKLY:
        year, week, weekday = day.isocalendar()
        monday = day - dt.timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6))
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.SEMI_ANNUAL: 6, Frequency.ANNUAL: 12}
    length = months[frequency]
    index = (day.month - 1) // length
    start = dt.date(day.year, index * length + 1, 1)
    end = add_months(start, length) - dt.timedelta(days=1)
    label = {1: f"{day.year}-{start.month:02d}", 3: f"{day.year}-Q{index + 1}", 6: f"{day.year}-H{index + 1}",
             12: f"{day.year}"}[length]
    return Period(label, start, end)


def expected_periods(frequency: Frequency, window: Window) -> tuple[Period, ...]:
    """The periods of the window in which the control must have operated (none for non-calendar ones)."""
    if frequency not in CALENDAR_FREQUENCIES:
        return ()
    periods: list[Period] = []
    day = window.start
    while day <= window.end:
        period = _calendar_period(frequency, day)
        inside = (min(period.end, window.end) - max(period.start, window.start)).days + 1
        length = (period.end - period.start).days + 1
        if 2 * inside >= length:
            periods.append(period)
        day = period.end + dt.timedelta(days=1)
    if not periods:
        # A cycle longer than twice the window (an annual control in a 5-month window) must still run once.
        periods.append(Period(str(window), window.start, window.end))
    return tuple(periods)


@dataclass(frozen=True)
class Coverage:
    """Which expected periods of a window hold evidence, and which do not."""

    frequency: Frequency
    window: Window
    expected: tuple[Period, ...]
    missing: tuple[Period, ...]
    outside: tuple[dt.date, ...]

    @property
    def covered(self) -> int:
        """Expected periods that hold at least one piece of evidence."""
        return len(self.expected) - len(self.missing)

    def messages(self) -> tuple[str, ...]:
        """One readable line per gap, e.g. 'no evidence for 2026-03'."""
        lines = [f"no evidence for {p.label}" for p in self.missing]
        lines += [f"evidence dated {d.isoformat()} is outside the window {self.window}" for d in self.outside]
        return tuple(lines)


def coverage(frequency: Frequency, window: Window, evidence_dates: Iterable[dt.date]) -> Coverage:
    """Compare the expected occurrences in a window with the dates of the evidence present."""
    dates = sorted(set(evidence_dates))
    expected = expected_periods(frequency, window)
    inside = [d for d in dates if window.contains(d)]
    missing = tuple(p for p in expected if not any(p.start <= d <= p.end for d in inside))
    return Coverage(frequency, window, expected, missing, tuple(d for d in dates if not window.contains(d)))


@dataclass(frozen=True)
class Freshness:
    """Whether the latest evidence still shows the control as of a date (Type I)."""

    frequency: Frequency
    as_of: dt.date
    latest: dt.date | None
    oldest_acceptable: dt.date | None
    stale: bool
    reason: str


def oldest_acceptable(frequency: Frequency, as_of: dt.date, grace_days: int | None = None) -> dt.date | None:
    """The oldest evidence date that still counts at ``as_of``: one cycle plus a grace before it."""
    grace = dt.timedelta(days=GRACE_DAYS.get(frequency, 0) if grace_days is None else grace_days)
    if frequency in _CYCLE_MONTHS:
        return add_months(as_of, -_CYCLE_MONTHS[frequency]) - grace
    if frequency in _CYCLE_DAYS:
        return as_of - dt.timedelta(days=_CYCLE_DAYS[frequency]) - grace
    return None


def freshness(frequency: Frequency, as_of: dt.date, evidence_dates: Iterable[dt.date],
              grace_days: int | None = None) -> Freshness:
    """Judge the latest evidence on or before ``as_of``; evidence dated later does not count."""
    usable = [d for d in evidence_dates if d <= as_of]
    latest = max(usable) if usable else None
    limit = oldest_acceptable(frequency, as_of, grace_days)
    if latest is None:
        return Freshness(frequency, as_of, None, limit, True, f"no evidence on or before {as_of.isoformat()}")
    if limit is None:
        return Freshness(frequency, as_of, latest, None, False,
                         f"{frequency.value} control: any dated evidence counts; latest {latest.isoformat()}")
    if latest < limit:
        return Freshness(frequency, as_of, latest, limit, True,
                         f"latest evidence {latest.isoformat()} is older than {limit.isoformat()} "
                         f"(one {frequency.value} cycle plus grace before {as_of.isoformat()})")
    return Freshness(frequency, as_of, latest, limit, False, f"latest evidence {latest.isoformat()} is current")
