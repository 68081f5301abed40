"""A bridge letter for our own customers, for a person to edit before sending.

It holds management's statement covering the days from the end of our last report's period to a date,
with the changes recorded since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class BridgeLetter:
    """Everything the letter says; ``changes``, ``failing_checks`` and ``incidents`` are one line each."""

    organization: str
    report: str  # e.g. "SOC 2 Type II"
    period_start: dt.date | None
    period_end: dt.date
    through: dt.date
    statement: str
    changes: tuple[str, ...] = ()
    failing_checks: tuple[str, ...] = ()
    incidents: tuple[str, ...] = ()
    auditor_firm: str = ""
    generated: dt.date | None = None

    @property
    def gap_days(self) -> int:
        """Days from the end of the last period to the date the letter covers."""
        return (self.through - self.period_end).days


def default_statement(organization: str, report: str, period_end: dt.date, through: dt.date) -> str:
    """Management's statement as a starting draft, in plain words, for the signer to adapt."""
    return (f"{organization} was examined for its {report} report for the period ending {period_end:%B %-d, %Y}. "
            f"Management confirms that from {period_end + dt.timedelta(days=1):%B %-d, %Y} to {through:%B %-d, %Y} "
            "it is not aware of any change to its system or its controls that would materially change the "
            "conclusions of that report, other than the matters listed below. This letter is not an auditor's "
            "report; it is management's own statement, given to help customers cover the time until the next "
            "report is issued.")


def check_bridge_dates(period_end: dt.date, through: dt.date) -> None:
    """Refuse a letter that would cover no days, or more than a year."""
    if through <= period_end:
        raise ValueError(f"the letter must run past the report's period end ({period_end})")
    if (through - period_end).days > 366:
        raise ValueError("a bridge letter covers at most a year; the next report is due")
