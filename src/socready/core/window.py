"""Observation windows: the periods a control must show evidence in, their coverage, and Type I freshness.

This module is the one owner of these rules. Readiness scoring, the report's window timeline and the
evidence timeline all call it, so they cannot disagree. docs/readiness.md states the rules
in words with examples; ``RULES`` below is the table that document describes.

Periods follow the calendar: years ("2026"), halves ("2026-H1"), quarters ("2026-Q1"), months ("2026-03")
and ISO weeks ("2026-W09"). A period cut by the window's start or end counts only when the window covers
at least half of it, so 1 January - 30 June has 6 months and 26 weeks. The days of a cut period that
does not count are judged with its neighbour, so evidence anywhere in the window counts for some period.
When no period counts (an annual control in a six-month window) the whole window is one period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from socready.core.months import add_months
from socready.core.sampling.draw import Frequency, parse_frequency

Span = tuple[dt.date, dt.date]
# A piece of evidence is dated one day, or speaks for a stretch of days (first, last).
Evidence = dt.date | Span
STATES: tuple[str, ...] = ("covered", "missing", "open")


@dataclass(frozen=True)
class Rule:
    """How a frequency is judged: the calendar period that must hold evidence, and the freshness limit."""

    period: str
    cycle_months: int
    cycle_days: int
    grace_days: int


RULES: dict[Frequency, Rule] = {
    Frequency.ANNUAL: Rule("year", 12, 0, 30),
    Frequency.SEMI_ANNUAL: Rule("half", 6, 0, 30),
    Frequency.QUARTERLY: Rule("quarter", 3, 0, 15),
    Frequency.MONTHLY: Rule("month", 1, 0, 10),
    Frequency.WEEKLY: Rule("week", 0, 7, 3),
    # A daily control shows in weekly evidence (a week of logs or tickets); its days are tested by sampling.
    Frequency.DAILY: Rule("week", 0, 7, 3),
    # Controls without a calendar of their own are read like the calendar control whose periods they share:
    # continuous ones month by month, per-event ones quarter by quarter, as auditors walk through them.
    Frequency.CONTINUOUS: Rule("month", 1, 0, 10),
    Frequency.PER_EVENT: Rule("quarter", 3, 0, 15),
    # An automated control is tested once and then relies on change management, so its test stays good for a
    # year; within a Type II window its runs still have to show month by month.
    Frequency.AUTOMATED: Rule("month", 12, 0, 30),
}
GRACE_DAYS: dict[Frequency, int] = {frequency: rule.grace_days for frequency, rule in RULES.items()}
_MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def as_frequency(frequency: Frequency | str) -> Frequency:
    """A ``Frequency`` from itself or any spelling ``parse_frequency`` accepts; ValueError lists the names."""
    return frequency if isinstance(frequency, Frequency) else parse_frequency(frequency)


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
    """One calendar period of a window that must hold evidence; start and end are the window days it judges."""

    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PeriodState:
    """One period of a window and its state: covered (evidence overlaps it), missing (over, none) or open."""

    label: str
    start: dt.date
    end: dt.date
    state: str


def _calendar_period(kind: str, day: dt.date) -> Period:
    """The whole calendar period of one kind that holds ``day``."""
    if kind == "week":
        year, week, weekday = day.isocalendar()
        monday = day - dt.timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6))
    length = _MONTHS_IN[kind]
    index = (day.month - 1) // length
    start = dt.date(day.year, index * length + 1, 1)
    end = add_months(start, length) - dt.timedelta(days=1)
    label = {1: f"{day.year}-{start.month:02d}", 3: f"{day.year}-Q{index + 1}", 6: f"{day.year}-H{index + 1}",
             12: f"{day.year}"}[length]
    return Period(label, start, end)


@lru_cache(maxsize=256)
def _periods(kind: str, window: Window) -> tuple[Period, ...]:
    # Readiness asks for the same few (kind, window) pairs once per control; the answer never changes.
    periods: list[Period] = []
    day = window.start
    while day <= window.end:
        whole = _calendar_period(kind, day)
        start, end = max(whole.start, window.start), min(whole.end, window.end)
        if 2 * ((end - start).days + 1) >= (whole.end - whole.start).days + 1:
            periods.append(Period(whole.label, start, end))
        day = whole.end + dt.timedelta(days=1)
    if not periods:
        return (Period(str(window), window.start, window.end),)
    # Only the first and last period can be cut; the days of a cut one that does not count join their neighbour.
    periods[0] = Period(periods[0].label, window.start, periods[0].end)
    periods[-1] = Period(periods[-1].label, periods[-1].start, window.end)
    return tuple(periods)


def expected_periods(frequency: Frequency | str, window: Window) -> tuple[Period, ...]:
    """The periods of the window in which the control must show evidence, in order, together covering it."""
    return _periods(RULES[as_frequency(frequency)].period, window)


@dataclass(frozen=True)
class Coverage:
    """Each period of a window with its state, and the evidence that falls entirely outside the window."""

    frequency: Frequency
    window: Window
    periods: tuple[PeriodState, ...]
    outside: tuple[Span, ...]
    today: dt.date | None = None

    @property
    def expected(self) -> tuple[Period, ...]:
        """Every period of the window, whatever its state."""
        return tuple(Period(p.label, p.start, p.end) for p in self.periods)

    @property
    def missing(self) -> tuple[PeriodState, ...]:
        """Periods with no evidence that are over (all of them when no ``today`` was given)."""
        return tuple(p for p in self.periods if p.state == "missing")

    @property
    def open(self) -> tuple[PeriodState, ...]:
        """Periods with no evidence yet that end today or later."""
        return tuple(p for p in self.periods if p.state == "open")

    @property
    def covered(self) -> int:
        """Periods that hold at least one piece of evidence."""
        return sum(1 for p in self.periods if p.state == "covered")

    @property
    def total(self) -> int:
        """Periods in the whole window."""
        return len(self.periods)

    @property
    def fraction(self) -> float:
        """Share of the whole window's periods covered (0.0 to 1.0); open periods count as not covered."""
        return self.covered / self.total if self.total else 0.0

    def messages(self) -> tuple[str, ...]:
        """One readable line per gap, e.g. 'no evidence for 2026-03'."""
        lines = [f"no evidence for {p.label}" for p in self.missing]
        for first, last in self.outside:
            dated = f"dated {first.isoformat()}" if first == last else f"from {first} to {last}"
            lines.append(f"evidence {dated} is outside the window {self.window}")
        return tuple(lines)


def coverage(frequency: Frequency | str, window: Window, evidence: Iterable[Evidence],
             today: dt.date | None = None) -> Coverage:
    """Mark each period of the window covered, missing or (with ``today``) still open from evidence days or spans.

    Only the part of a piece of evidence inside the window counts. Evidence dated after ``today`` is not
    filtered here: callers decide what they have on file. A span that ends before it starts is refused.
    """
    chosen = as_frequency(frequency)
    low, high = window.start, window.end
    inside: list[Span] = []
    outside: set[Span] = set()
    # Readiness calls this for every control with all its evidence, so the loop stays free of helper calls.
    for item in evidence:
        if isinstance(item, dt.date):
            first = last = item
        else:
            first, last = item
            if last < first:
                raise ValueError(f"evidence from {first} to {last} ends before it starts")
        if last < low or first > high:
            outside.add((first, last))
        else:
            inside.append((first if first > low else low, last if last < high else high))
    inside.sort()
    index, reach = 0, dt.date.min
    states: list[PeriodState] = []
    # One sweep: periods and spans both go forward in time, so the furthest day reached by any span that
    # starts before a period ends tells whether that period is touched.
    for period in expected_periods(chosen, window):
        while index < len(inside) and inside[index][0] <= period.end:
            if inside[index][1] > reach:
                reach = inside[index][1]
            index += 1
        if reach >= period.start:
            state = "covered"
        elif today is not None and period.end >= today:
            state = "open"
        else:
            state = "missing"
        states.append(PeriodState(period.label, period.start, period.end, state))
    return Coverage(chosen, window, tuple(states), tuple(sorted(outside)), today)


@dataclass(frozen=True)
class Freshness:
    """Whether the latest evidence still shows the control as of a date (Type I)."""

    frequency: Frequency
    as_of: dt.date
    latest: dt.date | None
    oldest_acceptable: dt.date
    stale: bool
    reason: str

    @property
    def limit_days(self) -> int:
        """How many days before ``as_of`` the oldest acceptable evidence may be dated."""
        return (self.as_of - self.oldest_acceptable).days


def oldest_acceptable(frequency: Frequency | str, as_of: dt.date, grace_days: int | None = None) -> dt.date:
    """The oldest evidence date that still counts at ``as_of``: one cycle plus a grace before it."""
    rule = RULES[as_frequency(frequency)]
    grace = rule.grace_days if grace_days is None else grace_days
    return add_months(as_of, -rule.cycle_months) - dt.timedelta(days=rule.cycle_days + grace)


def freshness(frequency: Frequency | str, as_of: dt.date, evidence_dates: Iterable[dt.date],
              grace_days: int | None = None) -> Freshness:
    """Judge the latest evidence on or before ``as_of``; evidence dated later does not count."""
    chosen = as_frequency(frequency)
    latest = max((d for d in evidence_dates if d <= as_of), default=None)
    limit = oldest_acceptable(chosen, as_of, grace_days)
    if latest is None:
        return Freshness(chosen, as_of, None, limit, True, f"no evidence on or before {as_of.isoformat()}")
    if latest < limit:
        return Freshness(chosen, as_of, latest, limit, True,
                         f"latest evidence {latest.isoformat()} is older than {limit.isoformat()}, the limit "
                         f"for a {chosen.value} control as of {as_of.isoformat()}")
    return Freshness(chosen, as_of, latest, limit, False, f"latest evidence {latest.isoformat()} is current")


# What evidence is good enough for a control and an engagement. Readiness scoring, the control's evidence
# timeline, the PBC list and the exports all come here, so they cannot judge the same item differently.

def reference_date(report_date: dt.date | None, today: dt.date) -> dt.date:
    """The date evidence is judged at: the engagement's report date, or today while that date is ahead."""
    return min(today, report_date) if report_date else today


def latest_evidence(spans: Iterable[tuple[dt.date, dt.date]], reference: dt.date) -> dt.date | None:
    """The last day shown by evidence in effect on or before ``reference`` (spans are first and last days)."""
    return max((last for first, last in spans if first <= reference), default=None)


def evidence_freshness(frequency: Frequency | str, spans: Iterable[tuple[dt.date, dt.date]],
                       reference: dt.date) -> Freshness:
    """Type I: is the control shown as of ``reference``? An item still running on that date shows it then."""
    latest = latest_evidence(spans, reference)
    return freshness(frequency, reference, [min(latest, reference)] if latest else [])


def window_coverage(frequency: Frequency | str, window: Window, spans: Iterable[tuple[dt.date, dt.date]],
                    today: dt.date) -> Coverage:
    """Type II: the window's periods judged from the evidence in effect by ``today``."""
    return coverage(frequency, window, [(first, last) for first, last in spans if first <= today], today=today)


# Sampling before the window has run. A Type II sample speaks for the whole window, but it can only be
# drawn from the events that have happened. No standard gives a share (docs/sampling.md); auditors who test
# before a period ends test an interim part and roll forward to the end, and half the window is the usual
# interim point. Below it the sample would stand for less than half of the period the report covers.
REPRESENTATIVE_SHARE = 0.5


@dataclass(frozen=True)
class EarlySampling:
    """A sample drawn before its window has run long enough for the draw to represent it."""

    window: Window
    as_of: dt.date
    elapsed_days: int
    representative_from: dt.date

    @property
    def share(self) -> float:
        """The share of the window's days that had passed by ``as_of`` (0.0 to 1.0)."""
        return self.elapsed_days / self.window.days

    def message(self) -> str:
        """The warning in words, with the date from which a draw represents the window."""
        if self.elapsed_days == 0:
            ran = f"had not started on {self.as_of.isoformat()}"
        else:
            ran = f"had run {self.elapsed_days} of its {self.window.days} days ({self.share:.0%}) " \
                  f"by {self.as_of.isoformat()}"
        return (f"The window {self.window} {ran}, so a sample drawn from it now represents only the part so far. "
                f"Draw from a population exported on or after {self.representative_from.isoformat()} "
                f"({REPRESENTATIVE_SHARE:.0%} of the window), or extend the sample later with the rest.")


def early_sampling(window: Window, as_of: dt.date, share: float = REPRESENTATIVE_SHARE) -> EarlySampling | None:
    """Say whether a sample drawn from events up to ``as_of`` is too early to represent ``window``.

    ``as_of`` is the last day the population can hold: the day it was exported, not the day it is sampled.
    The window has run long enough once ``share`` of its days (both ends included) are on or before
    ``as_of``; a window that has not started has run none. Returns None when the draw is representative.
    """
    if not 0.0 < share <= 1.0:
        raise ValueError(f"the share of the window must be above 0 and at most 1, not {share}")
    needed = math.ceil(window.days * share)
    elapsed = min(max((as_of - window.start).days + 1, 0), window.days)
    if elapsed >= needed:
        return None
    return EarlySampling(window, as_of, elapsed, window.start + dt.timedelta(days=needed - 1))
