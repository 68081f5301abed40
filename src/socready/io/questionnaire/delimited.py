"""Read questionnaires from CSV (or tab-separated) files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from socready.core.errors import InputError
from socready.io.questionnaire.grid import read_grid
from socready.io.questionnaire.model import Question
from socready.io.questionnaire.textfile import read_text

Dialect = type[csv.Dialect] | csv.Dialect


def read_rows(path: Path) -> tuple[list[list[str]], Dialect]:
    """The file's rows and the dialect sniffed from its start (comma, semicolon, tab or bar separated)."""
    text = read_text(path)
    try:
        dialect: Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect)), dialect
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=str(path)) from exc


def read_csv(path: Path) -> list[Question]:
    """Return the questions of a CSV file, located as 'row 8' (the row number a spreadsheet shows)."""
    rows, _ = read_rows(path)
    return read_grid(rows, lambda row, col: f"row {row + 1}").questions
