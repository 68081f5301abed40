"""Calendar-month arithmetic, in one place: adding months, counting them, listing them, planning a window."""

from __future__ import annotations

import datetime as dt


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


def first_of_month(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month that ``start``..``end`` touches, in order."""
    months, cursor = [], first_of_month(start)
    while cursor <= end:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


def months_spanned(start: dt.date, end: dt.date) -> int:
    """Whole months a window spans, counting a month begun on the start's day as one (Jan 1-Jun 30: 6)."""
    return (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)


def window_from_next_month(months: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """A window starting on the first of the month after ``today`` and running ``months`` whole months."""
    start = add_months(first_of_month(today), 1)
    return start, add_months(start, months) - dt.timedelta(days=1)
