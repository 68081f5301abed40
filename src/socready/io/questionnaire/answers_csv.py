"""Fill the answer column of a copy of a CSV questionnaire, keeping its delimiter and every other cell."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from socready.io.questionnaire.answers import (
    ANSWER_HEADER,
    NOTES_HEADER,
    PROSPECT_ANSWER_HEADER,
    PROSPECT_NOTES_HEADER,
    FilledAnswer,
    notes_text,
    safe_text,
)
from socready.io.questionnaire.answers_table import row_number, table_layout
from socready.io.questionnaire.delimited import read_rows


def _encoding(source: Path) -> str:
    """The encoding read_text decoded the file with: UTF-8 (keeping a byte-order mark) or Windows-1252."""
    data = source.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def write_csv(source: Path, answers: Sequence[FilledAnswer], out: Path, *,
              internal: bool = True) -> tuple[int, list[str]]:
    """Write answers into a copy of a .csv/.tsv file; return how many were placed and which were not."""
    rows, dialect = read_rows(source)
    layout = table_layout(rows)
    width = max((len(r) for r in rows), default=0)
    answer_col = layout.answer_col if layout.answer_col is not None else width
    comment_col = layout.comment_col
    # A prospect's copy never grows a column where the file has an answer column of its own; without
    # one, the added answer column gets a comments column beside it for the explanations.
    needed = internal or (layout.answer_col is None and any(a.explanation and a.answer for a in answers))
    notes_col = max(width, answer_col + 1) if needed else answer_col
    if layout.header_row is not None:
        header = rows[layout.header_row]
        header.extend([""] * (notes_col + 1 - len(header)))
        if layout.answer_col is None:
            header[answer_col] = ANSWER_HEADER if internal else PROSPECT_ANSWER_HEADER
        if needed:
            header[notes_col] = NOTES_HEADER if internal else PROSPECT_NOTES_HEADER
    written, missed = 0, []
    for item in answers:
        number = row_number(item.location)
        if number is None or not 1 <= number <= len(rows):
            missed.append(item.location)
            continue
        row = rows[number - 1]
        row.extend([""] * (notes_col + 1 - len(row)))
        explained = False
        if comment_col is not None and item.explanation and item.answer is not None \
                and not row[comment_col].strip():
            row[comment_col] = safe_text(item.explanation)
            explained = True
        # Only the working copy carries internal notes; the copy to send gets the explanation alone.
        note = notes_text(item, with_explanation=not explained) if internal else \
            (safe_text(item.explanation) if not explained and item.answer is not None else "")
        previous = row[answer_col].strip()
        if item.answer is not None:
            if internal and previous and previous != item.answer:
                note = safe_text(f"{note} Replaced the earlier answer '{previous}'.")
            row[answer_col] = safe_text(item.answer)
            written += 1
        if needed:
            row[notes_col] = note
    # Cells from the original file are written back as they were, in the file's own encoding; only the
    # cells above were added or changed. The sniffer reports doublequote=False for a file that had no
    # quotes to double, which would make any quote in an answer unwritable; doubling is how every
    # spreadsheet program reads a quote inside a quoted cell.
    with out.open("w", newline="", encoding=_encoding(source), errors="replace") as handle:
        # Every field quoted, so a cell holding another delimiter (x;=1+1) can never be split into a formula.
        csv.writer(handle, dialect, doublequote=True, quoting=csv.QUOTE_ALL).writerows(rows)
    return written, missed
