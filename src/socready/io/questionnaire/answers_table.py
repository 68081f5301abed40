"""Find where answers go in a table: the header row and the answer and comment columns the reader used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from socready.io.questionnaire.grid import HEADER_SEARCH_ROWS, Columns, clean, read_grid
from socready.io.questionnaire.grid import columns_from_header as header_columns

_ROW_RE = re.compile(r"row (\d+)$")


@dataclass(frozen=True)
class TableLayout:
    """A table's column roles as the reader saw them, and the header row (0-based) if it has one."""

    columns: Columns | None
    header_row: int | None

    @property
    def answer_col(self) -> int | None:
        """The first answer column (0-based), where the Yes / No / Partial goes."""
        return self.columns.answers[0] if self.columns and self.columns.answers else None

    @property
    def comment_col(self) -> int | None:
        """A second answer column (comments, explanation) that takes the explanation, if the table has one."""
        return self.columns.answers[1] if self.columns and len(self.columns.answers) > 1 else None


def table_layout(rows: Sequence[Sequence[object]], previous: Columns | None = None) -> TableLayout:
    """Return the layout of a table read with the same rules as the questionnaire reader."""
    cleaned = [[clean(c) for c in row] for row in rows]
    header = next((i for i, row in enumerate(cleaned[:HEADER_SEARCH_ROWS]) if header_columns(row) is not None), None)
    columns = read_grid(cleaned, lambda row, col: "", columns=previous).columns
    return TableLayout(columns=columns, header_row=header)


def row_number(location: str) -> int | None:
    """Return the 1-based row of a location ending in 'row 12', or None."""
    match = _ROW_RE.search(location)
    return int(match.group(1)) if match else None
