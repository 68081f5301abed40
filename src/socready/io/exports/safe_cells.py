"""Neutralize text that a spreadsheet would run as a formula (CSV/formula injection).

A cell that starts with one of these characters is treated as a formula by Excel, LibreOffice or
Google Sheets when the file is opened; control names and notes come from users, so they never may.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text: str) -> str:
    """Return the text with a leading apostrophe when it would otherwise start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    """Turn a row of values into neutralized strings (None becomes an empty cell)."""
    return [neutralize("" if value is None else str(value)) for value in values]
