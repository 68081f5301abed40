"""Read questionnaires from plain text and Markdown, and decode text files safely."""

from __future__ import annotations

import re
from pathlib import Path

from socready.core.errors import InputError
from socready.io.questionnaire.grid import read_grid
from socready.io.questionnaire.lines import Line, read_lines
from socready.io.questionnaire.model import Question

_TABLE_RULE_RE = re.compile(r"^\|?\s*:?-{3,}")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


def read_text(path: Path) -> str:
    """Return a file's text, refusing binary content; UTF-8 first, then the Windows Western code page."""
    data = path.read_bytes()
    # The whole file: a NUL past the first block would otherwise reach the database (PostgreSQL refuses it).
    if b"\x00" in data:
        raise InputError("is not a text file (it contains binary data)", file=str(path))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("is not a text file (it is neither UTF-8 nor Windows-1252 text)", file=str(path))


def read_plain(path: Path) -> list[Question]:
    """Return the questions of a .txt or .md file; Markdown tables are read like spreadsheets."""
    raw = read_text(path).splitlines()
    questions: list[Question] = []
    lines: list[Line] = []
    heading: str | None = None
    index = 0
    while index < len(raw):
        title = _HEADING_RE.match(raw[index])
        if title:
            heading = title.group("text").strip()
        if raw[index].lstrip().startswith("|"):
            start = index
            table: list[list[str]] = []
            while index < len(raw) and raw[index].lstrip().startswith("|"):
                if not _TABLE_RULE_RE.match(raw[index].strip()):
                    table.append([c.strip() for c in raw[index].strip().strip("|").split("|")])
                index += 1
            rows = table
            questions.extend(read_lines(lines))
            lines = []
            first = start

            def locate(row: int, col: int, first: int = first) -> str:
                # The rule line under a Markdown header is not a row, so rows after it sit one line lower.
                return f"line {first + row + 1 + (1 if row > 0 else 0)}"

            questions.extend(read_grid(rows, locate, section=heading).questions)
            continue
        lines.append(Line(raw[index], f"line {index + 1}"))
        index += 1
    questions.extend(read_lines(lines))
    return questions
