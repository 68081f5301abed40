"""How a vendor's report period covers our own period, and when to ask the vendor for a bridge letter.

Our auditor relies on a carved-out vendor's report only for the days it covers. The days of our period after
the vendor's period ends are a gap; a bridge letter (the vendor's statement that nothing material changed)
covers a short one, while a long one needs the vendor's next report. Days before the vendor's period are
covered by its previous report, which the register keeps as an earlier review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

BRIDGE_LETTER_MAX_DAYS = 92  # beyond about a quarter, a bridge letter is no substitute for a report

ASK_BRIDGE_LETTER = "ask for a bridge letter"
ASK_NEW_REPORT = "ask for the vendor's next report"


@dataclass(frozen=True)
class ReportPeriod:
    """The days one vendor report speaks for: a period (Type II, SOC 3) or a single as-of day (Type I)."""

    start: dt.date
    end: dt.date
    label: str = ""

    @property
    def point_in_time(self) -> bool:
        """True for a Type I: the report speaks for one day."""
        return self.start == self.end


@dataclass(frozen=True)
class Gap:
    """Days of our period no vendor report covers, and what to ask for."""

    start: dt.date
    end: dt.date
    action: str

    @property
    def days(self) -> int:
        """How many days the span holds, both ends counted."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Coverage:
    """How the vendor's reports cover our period: the days covered, the gaps and a one-line verdict."""

    period_start: dt.date
    period_end: dt.date
    covered_days: int
    gaps: tuple[Gap, ...]
    verdict: str

    @property
    def total_days(self) -> int:
        """Days in our own period, both ends counted."""
        return (self.period_end - self.period_start).days + 1

    @property
    def percent(self) -> int:
        """The share of our period the vendor's reports cover, in whole percent."""
        return round(100 * self.covered_days / self.total_days) if self.total_days else 0

    @property
    def needs_bridge_letter(self) -> bool:
        """True when a gap calls for asking the vendor for a bridge letter."""
        return any(g.action == ASK_BRIDGE_LETTER for g in self.gaps)


def _covered(days: Sequence[ReportPeriod], start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans = sorted((max(p.start, start), min(p.end, end)) for p in days if not p.point_in_time
                   and p.end >= start and p.start <= end)
    merged: list[tuple[dt.date, dt.date]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def coverage(reports: Sequence[ReportPeriod], period_start: dt.date, period_end: dt.date) -> Coverage:
    """Compare the vendor's reports with our period ``period_start``..``period_end``.

    A Type I report (one day) proves design on that day and covers no period, so it leaves the whole period
    open. A gap at the end of our period shorter than ``BRIDGE_LETTER_MAX_DAYS`` asks for a bridge letter;
    any other gap asks for a report.
    """
    if period_end < period_start:
        raise ValueError("our period ends before it starts")
    spans = _covered(reports, period_start, period_end)
    gaps: list[Gap] = []
    cursor = period_start
    for a, b in spans:
        if a > cursor:
            gaps.append(Gap(cursor, a - dt.timedelta(days=1), ASK_NEW_REPORT))
        cursor = max(cursor, b + dt.timedelta(days=1))
    if cursor <= period_end:
        tail = Gap(cursor, period_end, ASK_NEW_REPORT)
        if spans and tail.days <= BRIDGE_LETTER_MAX_DAYS:
            tail = Gap(cursor, period_end, ASK_BRIDGE_LETTER)
        gaps.append(tail)
    covered = sum((b - a).days + 1 for a, b in spans)
    if not reports:
        verdict = "no report on file"
    elif not spans:
        verdict = ("a Type I report covers no period: " if all(p.point_in_time for p in reports)
                   else "no report overlaps our period: ") + ASK_NEW_REPORT
    elif not gaps:
        verdict = "covered"
    else:
        verdict = "; ".join(f"{g.days} days uncovered from {g.start} to {g.end}: {g.action}" for g in gaps)
    return Coverage(period_start, period_end, covered, tuple(gaps), verdict)
