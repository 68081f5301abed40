"""Turn a table of cells (a sheet, a CSV, a Word or PDF table) into questions.

Questionnaires put a title, instructions and sometimes a logo block above the real header row, group
questions under section rows, and name their columns in many ways. This module finds the header row,
works out which column holds the id, the question, the vendor's answer and the guidance, and drops the
rows that are not questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

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
    internal: tuple[int, ...] = ()

    def labelled(self) -> set[int]:
        """Every column the header gave a role to."""
        return {c for c in (self.id, self.guidance, self.section) if c >= 0} | set(self.answers) | set(self.internal)


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
    # The customer's own columns (an analyst's notes, a score) are neither question nor answer.
    if words & {"analyst", "reviewer", "assessor", "evaluator", "score", "scoring", "weight", "weighting",
                "points", "rating"} or "internal use" in key:
        return "internal"
    if key in {"#", "no", "num", "number", "ref", "reference", "item", "seq"} or "id" in words \
            or key.endswith((" #", " no", " num", " number")) or key.startswith("ref"):
        return "id"
    if words & {"guidance", "help", "hint", "hints", "intent", "purpose", "clarification", "instructions",
                "instruction"} or "why we ask" in key:
        return "guidance"
    answer_words = {"answer", "answers", "response", "responses", "reply", "comment", "comments", "notes",
                    "explanation", "evidence", "respuesta", "respuestas", "comentarios", "réponse", "reponse"}
    if words & answer_words or key in {"yes no", "y n", "yes no n a", "additional information", "additional info"}:
        return "answer"
    if words & {"question", "questions", "requirement", "requirements", "query", "request", "ask", "pregunta",
                "preguntas"}:
        return "question"
    if key in {"control", "description", "control description", "item description", "text", "statement",
               "description en", "control statement"}:
        return "question_weak"  # the question only when no column says "question"
    if words & {"category", "domain", "section", "topic", "area", "family", "heading", "subject"}:
        return "section"
    return None


def columns_from_header(cells: Sequence[str]) -> Columns | None:
    """The role of each column (question, answer, id, guidance ...) if these cells read as a header row.

    A header may leave the question column unnamed (the HECVAT heads it with the section's title and
    names only "Vendor Answers", "Additional Information" and "Guidance"); then ``question`` is -1 and
    the reader picks the question column from the rows below.
    """
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        role = _header_role(cell)
        if role is not None:
            roles.setdefault(role, []).append(index)
    weak = roles.pop("question_weak", [])
    if weak and "question" not in roles:
        roles["question"] = weak
    named = {r for r in roles if r != "internal"}
    if "question" in roles:
        if len(named) < 2:
            return None
    elif "answer" not in roles or (len(named) < 2 and len(roles["answer"]) < 2):
        return None
    return Columns(
        question=roles["question"][0] if "question" in roles else -1,
        id=roles.get("id", [-1])[0],
        answers=tuple(roles.get("answer", ())),
        guidance=roles.get("guidance", [-1])[0],
        section=roles.get("section", [-1])[0],
        width=len(cells),
        internal=tuple(roles.get("internal", ())),
    )


def _question_column(rows: Sequence[Sequence[str]], width: int, excluded: set[int], before: int) -> int:
    """The wordiest column (questions end in '?' more often) outside ``excluded`` and left of ``before``."""
    best, best_score = -1, 0.0
    for col in range(min(width, before)):
        if col in excluded:
            continue
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if not values:
            continue
        asking = sum(v.endswith("?") for v in values)
        score = (sum(len(v) for v in values) + 20 * asking) / max(1, len(rows))
        if score > best_score:
            best, best_score = col, score
    return best


def _id_column(rows: Sequence[Sequence[str]], question: int, taken: set[int]) -> int:
    """The first column left of the question whose filled cells mostly look like question ids, or -1."""
    for col in range(max(0, question)):
        if col in taken:
            continue
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if len(values) >= 2 and sum(bool(ID_RE.match(v)) for v in values) >= 0.6 * len(values):
            return col
    return -1


def _infer_columns(rows: Sequence[Sequence[str]], answer_hint: frozenset[int] = frozenset()) -> Columns | None:
    """Guess the roles of a table without a header: the wordiest column left of any drop-down answer column."""
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return None
    before = min(answer_hint) if answer_hint and min(answer_hint) > 0 else width
    best = _question_column(rows, width, set(answer_hint), before)
    if best < 0:
        best = _question_column(rows, width, set(answer_hint), width)
    if best < 0:
        return None
    id_col = -1
    for col in range(best):
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if values and sum(bool(ID_RE.match(v)) for v in values) >= 0.6 * len(values):
            id_col = col
            break
    answers = tuple(sorted(c for c in answer_hint if c != best))
    return Columns(question=best, id=id_col, answers=answers, width=width)


def is_instruction(text: str) -> bool:
    """Return True for text that tells the respondent how to fill in the form rather than asking."""
    return bool(_INSTRUCTION_RE.match(text))


def looks_like_section(text: str) -> bool:
    """Return True for a short title such as 'Access Control' that groups the questions below it."""
    return (len(text) <= 60 and not text.endswith("?") and not text.endswith(".")
            and not QUESTION_START_RE.match(text))


def _cell(row: Sequence[str], col: int) -> str:
    return row[col] if 0 <= col < len(row) else ""


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[Columns | None, int]:
    """The header among the first rows, and the index of the row after it (0 when there is none)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = columns_from_header(row)
        if found is not None:
            return found, index + 1
    return None, 0


def _question_beside_answers(rows: Sequence[Sequence[str]], found: Columns, start: int,
                             answer_hint: frozenset[int]) -> Columns | None:
    """The header's columns with the question found among the others, or None if no column can be it."""
    # The header names the answers but not the question: the wordiest other column left of them is it.
    width = max((len(r) for r in rows), default=0)
    excluded = found.labelled() | set(answer_hint) | ({found.question} if found.question >= 0 else set())
    before = min(found.answers) if found.answers else width
    question = _question_column(rows[start:], width, excluded, before)
    if question < 0:
        question = _question_column(rows[start:], width, excluded, width)
    answers = tuple(sorted(set(found.answers) | {c for c in answer_hint if c != question}))
    return replace(found, question=question, answers=answers) if question >= 0 else None


def _settle_columns(rows: Sequence[Sequence[str]], found: Columns | None, start: int, columns: Columns | None,
                    answer_hint: frozenset[int]) -> Columns | None:
    """The table's columns: from its header, a header carried over, or inferred; None if there is no question."""
    if found is None:
        found = columns if columns is not None and columns.width == max((len(r) for r in rows), default=0) \
            else _infer_columns(rows, answer_hint)
    elif found.question < 0 or found.question in answer_hint:
        found = _question_beside_answers(rows, found, start, answer_hint)
    elif answer_hint - set(found.answers) - {found.question}:
        found = replace(found, answers=tuple(sorted(set(found.answers) | (answer_hint - {found.question}))))
    if found is not None and found.id < 0:
        found = replace(found, id=_id_column(rows[start:], found.question, found.labelled()))
    return found


def _header_row_section(row: Sequence[str], found: Columns, section: str | None) -> str | None:
    """The section a repeated header opens: the title left of the question column, if it has one."""
    # A header repeated further down (printed tables repeat it on each page; the HECVAT opens each
    # section with one whose first cell is the section's title).
    # Its title is what stands left of the question column ("PCI DSS - Optional based on ...").
    titles = [c for c in row[:max(found.question, 1)] if c]
    return titles[0] if titles and len(titles[0]) <= 100 else section


def _blank_row_section(row: Sequence[str], distinct: set[str], found: Columns, section: str | None) -> str | None:
    """The section after a row with no question: its only text, its section cell, or the one before."""
    if len(distinct) == 1:
        only = next(iter(distinct))
        return None if is_instruction(only) else only
    if found.section >= 0 and _cell(row, found.section):
        return _cell(row, found.section)
    return section


def _not_a_question(text: str, has_id: bool, headed: bool, single_column: bool) -> bool:
    """Whether the text is an instruction, has no letters, or is prose in a single column without a header."""
    if (is_instruction(text) and not text.endswith("?")) or not any(ch.isalpha() for ch in text):
        return True
    # A single column of plain statements without a header is prose, not a form.
    return not headed and single_column and not has_id and not text.endswith("?") \
        and not QUESTION_START_RE.match(text)


def _is_heading(text: str, has_id: bool, answer: str, ids_expected: bool, distinct: set[str]) -> bool:
    """Whether a row with text but no id or answer is a section heading rather than a question."""
    return not has_id and not answer and not text.endswith("?") and (
        (ids_expected and len(distinct) <= 2) or (len(distinct) == 1 and looks_like_section(text)))


def _row_question(row: Sequence[str], number: int, text: str, ident: str, has_id: bool, answer: str,
                  found: Columns, locate: Locate, section: str | None) -> Question:
    """The question a row asks, located in the table."""
    row_section = _cell(row, found.section) if found.section >= 0 else ""
    return Question(
        id=ident if has_id else "",
        text=text,
        location=locate(number, found.question),
        answer=answer or None,
        guidance=_cell(row, found.guidance) or None,
        section=row_section or section,
        guidance_location=locate(number, found.guidance) if _cell(row, found.guidance) else None,
    )


def read_grid(rows: Sequence[Sequence[str]], locate: Locate, *, columns: Columns | None = None,
              answer_hint: frozenset[int] = frozenset(), section: str | None = None) -> GridResult:
    """Read the questions of one table.

    ``columns`` carries the header of a table continued from before; ``answer_hint`` names columns known
    to take answers (a drop-down list covers them), which are never read as the question; ``section`` is
    the heading the table sits under, if any.
    """
    rows = [[clean(c) for c in row] for row in rows]
    found, start = _find_header(rows)
    headed = found is not None
    found = _settle_columns(rows, found, start, columns, answer_hint)
    result = GridResult(columns=found)
    if found is None:
        return result
    data = rows[start:]
    with_id = sum(1 for r in data if ID_RE.match(_cell(r, found.id))) if found.id >= 0 else 0
    ids_expected = found.id >= 0 and with_id >= 0.5 * max(1, sum(1 for r in data if _cell(r, found.question)))
    single_column = max((len(r) for r in data), default=0) <= 1
    for offset, row in enumerate(data):
        number = start + offset
        text = _cell(row, found.question)
        distinct = {c for c in row if c}
        repeated = columns_from_header(row)
        if repeated is not None:
            section = _header_row_section(row, found, section)
            continue
        if not text:
            section = _blank_row_section(row, distinct, found, section)
            continue
        ident = _cell(row, found.id)
        answer = " | ".join(_cell(row, c) for c in found.answers if _cell(row, c) and _cell(row, c) != text)
        has_id = bool(ident and ID_RE.match(ident))
        if _not_a_question(text, has_id, headed, single_column):
            continue
        if _is_heading(text, has_id, answer, ids_expected, distinct):
            section = text if looks_like_section(text) else section
            continue
        result.questions.append(_row_question(row, number, text, ident, has_id, answer, found, locate, section))
    return result
