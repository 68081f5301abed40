"""Turn a table of cells (a sheet, a CSV, a Word or PDF table) into questions.

Questionnaires put a title, instructions and sometimes a logo block above the real header row, group
questions under section rows, and name their columns in many ways. This module finds the header row,
works out which column holds the id, the question, the vendor's answer and the guidance, and drops the
rows that are not questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from socready.io.questionnaire.model import Question

# Only the top of a sheet is searched for the header: real headers sit above the first question.
HEADER_SEARCH_ROWS = 30

# Ids seen in practice: DOCU-03, A&A-01.2, HR.1, 4.1, 12, Q7, SIG-A.1.
ID_RE = re.compile(
    r"^(?:[A-Z][A-Za-z&]{0,9}(?:-[A-Z][A-Za-z&]{0,9})*[-. ]?)?\d{1,4}(?:[.\-]\d{1,4}){0,4}[a-z]?[.)]?$"
)

_INSTRUCTION_RE = re.compile(
    r"^(instructions?\b|notes?:|please (complete|answer|fill|respond|return|provide (your )?answers)|"
    r"for each (question|row|item)|this (questionnaire|section|form|workbook|sheet)\b|if you answer|"
    r"use the drop|select (yes|one|from)|answer (each|all|every)|complete (this|the|all|each)|"
    r"version\b|last updated|confidential\b)",
    re.IGNORECASE,
)
# Words that open a question or a request even when it does not end with a question mark.
QUESTION_START_RE = re.compile(
    r"^(describe|provide|list|explain|confirm|indicate|state|attach|identify|specify|outline|detail|"
    r"upload|share|summari[sz]e|give|name|is|are|do|does|did|has|have|had|can|could|will|would|should|"
    r"shall|must|may|how|what|who|whom|when|where|which|why|please)\b",
    re.IGNORECASE,
)

Locate = Callable[[int, int], str]


@dataclass(frozen=True)
class Columns:
    """Which column (0-based) holds each role; -1 when the table has no such column."""

    question: int
    id: int = -1
    answers: tuple[int, ...] = ()
    guidance: int = -1
    section: int = -1
    width: int = 0


@dataclass
class GridResult:
    """Questions read from one table, and the column roles used (so a continued table can reuse them)."""

    questions: list[Question] = field(default_factory=list)
    columns: Columns | None = None


def clean(value: object) -> str:
    """Return a cell's text with runs of whitespace collapsed; None becomes an empty string."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _header_role(text: str) -> str | None:
    """Return the role a header cell names, or None when the cell is not a recognisable header."""
    key = re.sub(r"[^a-z0-9#/ ]", " ", text.lower()).strip()
    key = " ".join(key.split())
    if not key or len(key) > 45:
        return None
    words = set(key.replace("/", " ").split())
    if key in {"#", "no", "num", "number", "ref", "reference", "item", "seq"} or "id" in words \
            or key.endswith((" #", " no", " num", " number")) or key.startswith("ref"):
        return "id"
    if words & {"guidance", "help", "hint", "hints", "intent", "purpose", "clarification", "instructions",
                "instruction"} or "why we ask" in key:
        return "guidance"
    answer_words = {"answer", "answers", "response", "responses", "reply", "comment", "comments", "notes",
                    "explanation", "evidence"}
    if words & answer_words or key in {"yes no", "y n", "yes no n a", "additional information"}:
        return "answer"
    if words & {"question", "questions", "requirement", "requirements", "query", "request", "ask"} \
            or key in {"control", "description", "control description", "item description", "text"}:
        return "question"
    if words & {"category", "domain", "section", "topic", "area", "family", "heading", "subject"}:
        return "section"
    return None


def columns_from_header(cells: Sequence[str]) -> Columns | None:
    """The role of each column (question, answer, id, guidance ...) if these cells read as a header row."""
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        role = _header_role(cell)
        if role is not None:
            roles.setdefault(role, []).append(index)
    if "question" not in roles or len(roles) < 2:
        return None
    return Columns(
        question=roles["question"][0],
        id=roles.get("id", [-1])[0],
        answers=tuple(roles.get("answer", ())),
        guidance=roles.get("guidance", [-1])[0],
        section=roles.get("section", [-1])[0],
        width=len(cells),
    )


def _infer_columns(rows: Sequence[Sequence[str]]) -> Columns | None:
    """Guess the roles of a table without a header: the wordiest column is the question."""
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return None
    best, best_score = -1, 0.0
    for col in range(width):
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if not values:
            continue
        asking = sum(v.endswith("?") for v in values)
        score = (sum(len(v) for v in values) + 20 * asking) / len(rows)
        if score > best_score:
            best, best_score = col, score
    if best < 0:
        return None
    id_col = -1
    for col in range(best):
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if values and sum(bool(ID_RE.match(v)) for v in values) >= 0.6 * len(values):
            id_col = col
            break
    return Columns(question=best, id=id_col, width=width)


def is_instruction(text: str) -> bool:
    """Return True for text that tells the respondent how to fill in the form rather than asking."""
    return bool(_INSTRUCTION_RE.match(text))


def looks_like_section(text: str) -> bool:
    """Return True for a short title such as 'Access Control' that groups the questions below it."""
    return (len(text) <= 60 and not text.endswith("?") and not text.endswith(".")
            and not QUESTION_START_RE.match(text))


def _cell(row: Sequence[str], col: int) -> str:
    return row[col] if 0 <= col < len(row) else ""


def _locate_columns(rows: list[list[str]], columns: Columns | None) -> tuple[Columns | None, int]:
    """The table's columns and its first data row.

    From a header near the top, else the header carried over from the table before (when the widths match),
    else inferred from the content.
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = columns_from_header(row)
        if found is not None:
            return found, index + 1
    if columns is not None and columns.width == max((len(r) for r in rows), default=0):
        return columns, 0
    return _infer_columns(rows), 0


def _section_without_question(row: Sequence[str], found: Columns, section: str | None) -> str | None:
    """The section after a row with no question text: its one value (unless an instruction) or its section cell."""
    distinct = {c for c in row if c}
    if len(distinct) == 1:
        only = next(iter(distinct))
        return None if is_instruction(only) else only
    if found.section >= 0 and _cell(row, found.section):
        return _cell(row, found.section)
    return section


def _ids_expected(data: Sequence[Sequence[str]], found: Columns) -> bool:
    """Whether questions here carry ids: at least half the rows with question text have one."""
    if found.id < 0:
        return False
    with_id = sum(1 for r in data if ID_RE.match(_cell(r, found.id)))
    return with_id >= 0.5 * max(1, sum(1 for r in data if _cell(r, found.question)))


def _answer(row: Sequence[str], found: Columns, text: str) -> str:
    """The answer cells of a row that hold something other than the question, joined."""
    return " | ".join(_cell(row, c) for c in found.answers if _cell(row, c) and _cell(row, c) != text)


def _question(row: Sequence[str], found: Columns, text: str, answer: str, location: str,
              section: str | None) -> Question:
    ident = _cell(row, found.id)
    row_section = _cell(row, found.section) if found.section >= 0 else ""
    return Question(id=ident if ident and ID_RE.match(ident) else "", text=text, location=location,
                    answer=answer or None, guidance=_cell(row, found.guidance) or None, section=row_section or section)


def _is_section_title(row: Sequence[str], found: Columns, text: str, answer: str, ids_expected: bool) -> bool:
    """A row whose question cell holds a title: no id, no answer, no question mark, and little else on it."""
    ident = _cell(row, found.id)
    if (ident and ID_RE.match(ident)) or answer or text.endswith("?"):
        return False
    distinct = {c for c in row if c}
    return (ids_expected and len(distinct) <= 2) or (len(distinct) == 1 and looks_like_section(text))


def read_grid(rows: Sequence[Sequence[str]], locate: Locate, *, columns: Columns | None = None) -> GridResult:
    """Read the questions of one table; ``columns`` carries the header of a table continued from before."""
    cleaned = [[clean(c) for c in row] for row in rows]
    found, start = _locate_columns(cleaned, columns)
    result = GridResult(columns=found)
    if found is None:
        return result
    data = cleaned[start:]
    ids_expected = _ids_expected(data, found)
    section: str | None = None
    for offset, row in enumerate(data):
        text = _cell(row, found.question)
        if columns_from_header(row) is not None:
            continue  # a header repeated further down (printed tables repeat it on each page)
        if not text:
            section = _section_without_question(row, found, section)
            continue
        answer = _answer(row, found, text)
        if is_instruction(text) and not text.endswith("?"):
            continue
        if _is_section_title(row, found, text, answer, ids_expected):
            section = text if looks_like_section(text) else section
            continue
        result.questions.append(_question(row, found, text, answer, locate(start + offset, found.question), section))
    return result
