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
DELIMITERS = ",;\t|"


def _counted_dialect(sample: str) -> Dialect:
    """The dialect whose delimiter splits the sample into the most cells, quotes honoured.

    The sniffer gives up on some ordinary files, for instance semicolon-separated ones whose quoted
    cells hold doubled quotes; counting cells still tells the delimiter apart.
    """
    def cells(delimiter: str) -> int:
        return sum(len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter))

    # Quoted like a spreadsheet's export; ties go to the comma, the first candidate.
    return type("Counted", (csv.excel,), {"delimiter": max(DELIMITERS, key=cells)})


def read_rows(path: Path) -> tuple[list[list[str]], Dialect]:
    """The file's rows and the dialect sniffed from its start (comma, semicolon, tab or bar separated)."""
    text = read_text(path)
    try:
        dialect: Dialect = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS)
    except csv.Error:
        dialect = _counted_dialect(text[:8192])
    try:
        return list(csv.reader(io.StringIO(text), dialect)), dialect
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=str(path)) from exc


def read_csv(path: Path) -> list[Question]:
    """Return the questions of a CSV file, located as 'row 8' (the row number a spreadsheet shows)."""
    rows, _ = read_rows(path)
    return read_grid(rows, lambda row, col: f"row {row + 1}").questions
