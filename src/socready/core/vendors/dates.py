"""Dates as SOC reports write them: "March 31, 2023", "31 March 2023", "JULY 1, 2022", ISO, 03/31/2023, periods.

A numeric date such as 03/04/2025 is read month first (4 March would be written 03/04 in the US) unless the
caller says the document writes day first; ``numbers_are_day_first`` decides that from the whole report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
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
# "03/31/2025" (American, month first) or "31/03/2025" and "31.03.2025" (day first where the first number is over 12).
NUMERIC = r"(?<![\d/.])(?P<a4>\d{1,2})[/.](?P<b4>\d{1,2})[/.](?P<y4>\d{4})\b"
DATE = rf"(?:{MONTH_FIRST}|{DAY_FIRST}|{ISO}|{NUMERIC})"
# Numeric dates that can be read one way only: a first number over 12 is a day ("31/03/2025"), a second one over
# 12 is a day too ("03/31/2025"). Each is a fixed run of digits and separators, so a search is linear in the text.
_NUMBER_DAY_FIRST_RE = re.compile(r"(?<![\d/.])(?:1[3-9]|2\d|3[01])[/.]\d{1,2}[/.]\d{4}\b")
_NUMBER_MONTH_FIRST_RE = re.compile(r"(?<![\d/.])\d{1,2}[/.](?:1[3-9]|2\d|3[01])[/.]\d{4}\b")
_WORDS_DAY_FIRST_RE = re.compile(DAY_FIRST, re.IGNORECASE)
_WORDS_MONTH_FIRST_RE = re.compile(MONTH_FIRST, re.IGNORECASE)
DATE_RE = re.compile(DATE, re.IGNORECASE)
_DASH = "\u2013\u2014\u2012-"
# "October 1, 2022 – March 31, 2023", "1 July 2022 to 30 June 2023", "from ... through ...".
PERIOD_RE = re.compile(
    rf"(?P<start>{DATE.replace('?P<', '?P<s')}),?\s*(?:[{_DASH}]|to|through|until|and ending(?: on)?|and)\s*"
    rf"(?P<end>{DATE.replace('?P<', '?P<e')})",
    re.IGNORECASE,
)
_SPANS = {"twelve": 12, "12": 12, "nine": 9, "9": 9, "six": 6, "6": 6, "three": 3, "3": 3, "year": 12}
# "for the twelve months ended June 30, 2025", "for the year ended 31 December 2024": a period named by its end.
ENDED_RE = re.compile(
    rf"\b(?P<span>twelve|nine|six|three|12|9|6|3)[\s-]+months?\s+(?:period\s+)?end(?:ed|ing)\s+(?:on\s+)?"
    rf"(?P<end>{DATE.replace('?P<', '?P<e')})"
    rf"|\b(?P<year>year)\s+end(?:ed|ing)\s+(?:on\s+)?(?P<yend>{DATE.replace('?P<', '?P<w')})",
    re.IGNORECASE,
)


def numbers_are_day_first(pages: Iterable[str]) -> bool:
    """Whether a report's ambiguous numeric dates (03/04/2025) are day first (3 April), judged from all its text.

    The report's own numeric dates decide first: one that can only be day first (31/03/2025) and none that can
    only be month first (03/31/2025) make it day first, and the reverse month first. When its numbers do not
    settle it, the way it writes dates in words does: day-month-year ("1 April 2024", "31 March 2025") and never
    month-day-year ("April 1, 2024") make it day first. Anything else keeps the US reading, month first.

    Args:
        pages: The report's text, a page at a time (or as one string in a one-item list).

    Returns:
        True when ambiguous numeric dates should be read day first.
    """
    text = "\n".join(pages)
    numbers_day = _NUMBER_DAY_FIRST_RE.search(text) is not None
    numbers_month = _NUMBER_MONTH_FIRST_RE.search(text) is not None
    if numbers_day != numbers_month:
        return numbers_day
    return _WORDS_DAY_FIRST_RE.search(text) is not None and _WORDS_MONTH_FIRST_RE.search(text) is None


@dataclass(frozen=True)
class Period:
    """A report period: its first and last day."""

    start: dt.date
    end: dt.date


def _numeric(groups: dict[str, str | None], prefix: str, day_first: bool) -> dt.date | None:
    first, second, year = (groups.get(f"{prefix}{part}4") for part in ("a", "b", "y"))
    if not (first and second and year):
        return None
    # Whatever the document does, a number over 12 can only be the day.
    day_first = int(first) > 12 or (day_first and int(second) <= 12)
    month, day = (int(second), int(first)) if day_first else (int(first), int(second))
    try:
        return dt.date(int(year), month, day)
    except ValueError:
        return None


def _build(groups: dict[str, str | None], prefix: str = "", day_first: bool = False) -> dt.date | None:
    if groups.get(f"{prefix}y4"):
        return _numeric(groups, prefix, day_first)
    for suffix in ("1", "2", "3"):
        year, month, day = (groups.get(f"{prefix}{part}{suffix}") for part in ("y", "m", "d"))
        if year and month and day:
            number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:
                return None
    return None


def parse_date(text: str, day_first: bool = False) -> dt.date | None:
    """The first date written in ``text``, or None; an ambiguous numeric one is read day first if ``day_first``."""
    match = DATE_RE.search(text)
    return _build(match.groupdict(), "", day_first) if match else None


def find_dates(text: str, day_first: bool = False) -> list[tuple[int, dt.date]]:
    """Every date in ``text`` with the offset where it starts (ambiguous numeric ones day first if ``day_first``)."""
    found = []
    for match in DATE_RE.finditer(text):
        day = _build(match.groupdict(), "", day_first)
        if day:
            found.append((match.start(), day))
    return found


def find_period(text: str, day_first: bool = False) -> tuple[int, Period] | None:
    """The first period ("<date> to <date>") in ``text`` whose end is after its start, with its offset.

    Ambiguous numeric dates are read day first when ``day_first`` (see ``numbers_are_day_first``) or when the
    other date of the period can only be day first.
    """
    for match in PERIOD_RE.finditer(text):
        groups = match.groupdict()
        # Numbers alone do not say which comes first: a first number over 12 in either date makes both day-first.
        pair_day_first = day_first or any(int(groups.get(f"{p}a4") or 0) > 12 for p in ("s", "e"))
        start, end = _build(groups, "s", pair_day_first), _build(groups, "e", pair_day_first)
        if start and end and start < end:
            return match.start(), Period(start, end)
    return _ended_period(text, day_first)


def _months_before(end: dt.date, months: int) -> dt.date:
    """The first day of the ``months`` months that end on ``end``."""
    after = end + dt.timedelta(days=1)
    index = after.year * 12 + after.month - 1 - months
    year, month = divmod(index, 12)
    for day in (after.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    return dt.date(year, month + 1, 28)


def _ended_period(text: str, day_first: bool) -> tuple[int, Period] | None:
    """A period written by its length and end ("the twelve months ended June 30, 2025")."""
    match = ENDED_RE.search(text)
    if not match:
        return None
    groups = match.groupdict()
    end = _build(groups, "e", day_first) or _build(groups, "w", day_first)
    if end is None:
        return None
    return match.start(), Period(_months_before(end, _SPANS[(groups["span"] or "year").lower()]), end)
