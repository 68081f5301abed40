"""Fill a copy of a Word questionnaire: answers in the tables' answer cells and under paragraph questions.

The internal note (review reason, confidence) goes into a Word comment on the answer, so the customer-facing
text holds only the answer and its explanation; removing the comments leaves a clean document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.shared import Inches
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from socready.core.errors import InputError
from socready.io.questionnaire.answers import (
    ANSWER_HEADER,
    PROSPECT_ANSWER_HEADER,
    FilledAnswer,
    printable,
    safe_text,
)
from socready.io.questionnaire.answers_table import TableLayout, row_number, table_layout
from socready.io.questionnaire.grid import Columns
from socready.io.questionnaire.xlsx import OLE_MAGIC

_TABLE_RE = re.compile(r"^table (\d+), row (\d+)$")
_PARAGRAPH_RE = re.compile(r"^paragraph (\d+)$")
_ANSWER_LINE_RE = re.compile(r"^\s*(?:\*\*)?(answer|response|vendor response|a)\s*:", re.IGNORECASE)
AUTHOR, INITIALS = "socready", "SR"


def _set_text(cell: _Cell, text: str) -> Run:
    """Replace a cell's text, keeping the first paragraph's style and the first run's formatting."""
    paragraphs = cell.paragraphs
    first = paragraphs[0]
    style = deepcopy(first.runs[0]._r.rPr) if first.runs and first.runs[0]._r.rPr is not None else None
    for old in list(first.runs):
        old._r.getparent().remove(old._r)
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    added: Run = first.add_run(text)
    if style is not None:
        added._r.insert(0, style)
    return added


def _insert_after(paragraph: Paragraph, text: str) -> Paragraph:
    """Add a paragraph with ``text`` right after ``paragraph``, in the same style."""
    element = OxmlElement("w:p")
    paragraph._p.addnext(element)
    added = Paragraph(element, paragraph._parent)
    added.style = paragraph.style
    added.add_run(text)
    return added


def _comment(document: Document, run: Run | None, item: FilledAnswer, explained: bool) -> None:
    text = printable(" ".join(p for p in ([] if explained else [item.explanation]) + [item.note] if p))
    if run is not None and text:
        document.add_comment(run, text=text, author=AUTHOR, initials=INITIALS)


def write_docx(source: Path, answers: Sequence[FilledAnswer], out: Path, *,
               internal: bool = True) -> tuple[int, list[str]]:
    """Write answers into a copy of a .docx document; return how many were placed and which were not.

    A prospect's copy (``internal=False``) has no Word comments; where a table has no comment column, the
    explanation follows the answer in its cell.
    """
    with source.open("rb") as handle:
        if handle.read(8) == OLE_MAGIC:
            raise InputError("the document is password-protected (encrypted) or in the old .doc format",
                             file=str(source))
    document = docx.Document(str(source))
    tables: list[Table] = []
    paragraphs: list[Paragraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(block)
        else:
            tables.append(block)
    by_table: dict[int, list[tuple[int, FilledAnswer]]] = {}
    by_paragraph: list[tuple[int, FilledAnswer]] = []
    missed: list[str] = []
    for item in answers:
        in_table, in_text = _TABLE_RE.match(item.location), _PARAGRAPH_RE.match(item.location)
        if in_table and 1 <= int(in_table.group(1)) <= len(tables):
            by_table.setdefault(int(in_table.group(1)), []).append((row_number(item.location) or 0, item))
        elif in_text and 1 <= int(in_text.group(1)) <= len(paragraphs):
            by_paragraph.append((int(in_text.group(1)), item))
        else:
            missed.append(item.location)
    written = _fill_tables(document, tables, by_table, missed, internal)
    # From the last paragraph up, so inserted paragraphs never shift the ones still to be answered.
    for number, item in sorted(by_paragraph, key=lambda pair: -pair[0]):
        written += _fill_paragraph(document, paragraphs, number, item, internal)
    document.save(str(out))
    return written, missed


def _fill_tables(document: Document, tables: list[Table], by_table: dict[int, list[tuple[int, FilledAnswer]]],
                 missed: list[str], internal: bool) -> int:
    written = 0
    previous: Columns | None = None
    for number, table in enumerate(tables, start=1):
        layout = table_layout([[cell.text for cell in row.cells] for row in table.rows], previous)
        previous = layout.columns
        if number not in by_table:
            continue
        answer_col = _answer_column(table, layout, internal)
        for row, item in by_table[number]:
            if not 1 <= row <= len(table.rows):
                missed.append(item.location)
                continue
            written += _fill_row(document, layout, table.rows[row - 1].cells, answer_col, item, internal)
    return written


def _answer_column(table: Table, layout: TableLayout, internal: bool) -> int:
    """The table's answer column, added on the right (with a header when the table has one) if it has none."""
    if layout.answer_col is not None:
        return layout.answer_col
    table.add_column(Inches(1.6))
    answer_col = len(table.columns) - 1
    if layout.header_row is not None:
        header = ANSWER_HEADER if internal else PROSPECT_ANSWER_HEADER
        _set_text(table.rows[layout.header_row].cells[answer_col], header)
    return answer_col


def _fill_row(document: Document, layout: TableLayout, cells: Sequence[_Cell], answer_col: int, item: FilledAnswer,
              internal: bool) -> int:
    """Write one answer (and its explanation) into its row; return 1 when an answer was written."""
    explained = False
    if layout.comment_col is not None and item.explanation and item.answer is not None \
            and not cells[layout.comment_col].text.strip():
        _set_text(cells[layout.comment_col], safe_text(item.explanation))
        explained = True
    anchor: Run | None
    if item.answer is not None:
        text = item.answer
        if not internal and item.explanation and not explained:
            # A prospect's copy has no Word comments: the explanation follows the answer.
            text, explained = f"{item.answer}. {item.explanation}", True
        anchor = _set_text(cells[answer_col], safe_text(text))
    else:
        question = layout.columns.question if layout.columns else 0
        runs = cells[question].paragraphs[0].runs if cells[question].paragraphs else []
        anchor = runs[0] if runs else None
    if internal:
        _comment(document, anchor, item, explained)
    return 1 if item.answer is not None else 0


def _fill_paragraph(document: Document, paragraphs: list[Paragraph], number: int, item: FilledAnswer,
                    internal: bool) -> int:
    """Put 'Answer: ...' under a question paragraph (replacing an answer line already there)."""
    index = number - 1
    # A question wrapped over several paragraphs continues in lower case; answer after its last line.
    while index + 1 < len(paragraphs) and paragraphs[index + 1].text[:1].islower():
        index += 1
    question = paragraphs[number - 1]
    if item.answer is None:
        if internal:
            _comment(document, question.runs[0] if question.runs else None, item, explained=False)
        return 0
    text = safe_text(f"Answer: {item.answer}. {item.explanation}".strip())
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    if following is not None and _ANSWER_LINE_RE.match(following.text):
        for run in list(following.runs):
            run._r.getparent().remove(run._r)
        run = following.add_run(text)
    else:
        run = _insert_after(paragraphs[index], text).runs[0]
    if internal:
        _comment(document, run, item, explained=True)
    return 1
