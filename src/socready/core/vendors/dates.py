"""Dates as SOC reports write them: "March 31, 2023", "31 March 2023", "JULY 1, 2022", ISO, and periods."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Month first ("March 31, 2023"), day first ("31 March 2023", "31st of March 2023") or ISO ("2023-03-31").
MONTH_FIRST = rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
DAY_FIRST = rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})"
ISO = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
DATE = rf"(?:{MONTH_FIRST}|{DAY_FIRST}|{ISO})"
DATE_RE = re.compile(DATE, re.IGNORECASE)
_DASH = "\u2013\u2014\u2012-"
# "October 1, 2022 – March 31, 2023", "1 July 2022 to 30 June 2023", "from ... through ...".
PERIOD_RE = re.compile(
    rf"(?P<start>{DATE.replace('?P<', '?P<s')})\s*(?:[{_DASH}]|to|through|until|and ending(?: on)?)\s*"
    rf"(?P<end>{DATE.replace('?P<', '?P<e')})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A report period: its first and last day."""

    start: dt.date
    end: dt.date


def _build(groups: dict[str, str | None], prefix: str = "") -> dt.date | None:
    for suffix in ("1", "2", "3"):
        year, month, day = (groups.get(f"{prefix}{part}{suffix}") for part in ("y", "m", "d"))
        if year and month and day:
            number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:
                return None
    return None


def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None."""
    match = DATE_RE.search(text)
    return _build(match.groupdict()) if match else None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every date in ``text`` with the offset where it starts."""
    found = []
    for match in DATE_RE.finditer(text):
        day = _build(match.groupdict())
        if day:
            found.append((match.start(), day))
    return found


def find_period(text: str) -> tuple[int, Period] | None:
    """The first period ("<date> to <date>") in ``text`` whose end is after its start, with its offset."""
    for match in PERIOD_RE.finditer(text):
        start, end = _build(match.groupdict(), "s"), _build(match.groupdict(), "e")
        if start and end and start < end:
            return match.start(), Period(start, end)
    return None
