"""Find questions in running text: plain text, Markdown, Word paragraphs and the text of PDF pages.

A question in prose is a numbered item (``4.1 Do you ...``, ``DOCU-03: Describe ...``), a bullet that
asks something, or any line ending with a question mark. Lines that follow it and start in lower case
are the rest of a wrapped question; ``Answer:`` and ``Guidance:`` lines attach to the question above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from socready.io.questionnaire.grid import QUESTION_START_RE, is_instruction, looks_like_section
from socready.io.questionnaire.model import Question

_ITEM_RE = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:\*\*)?(?P<id>[A-Z][A-Za-z&]{0,9}(?:-[A-Z][A-Za-z&]{0,9})*[-.]\d{1,4}(?:[.\-]\d{1,4}){0,3}"
    r"|Q\s?\d{1,4}|\d{1,3}(?:\.\d{1,3}){0,3})(?:\*\*)?[.):]?\s+(?P<text>\S.*)$"
)
_BULLET_RE = re.compile(r"^\s*[-*•]\s+(?P<text>\S.*)$")
_ANSWER_RE = re.compile(r"^\s*(?:\*\*)?(answer|response|vendor response|a)\s*:\s*(?:\*\*)?\s*(?P<text>.*)$",
                        re.IGNORECASE)
_GUIDANCE_RE = re.compile(r"^\s*(?:\*\*)?(guidance|help|hint|note)\s*:\s*(?:\*\*)?\s*(?P<text>.*)$",
                          re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Line:
    """One line or paragraph of text and where it was found ('line 12', 'page 3', 'paragraph 7')."""

    text: str
    location: str
    heading: bool = False
    list_item: bool = False


def _asks(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(QUESTION_START_RE.match(text))


def _split_answer(body: str) -> tuple[str, str | None]:
    """Split 'Is X done? Yes' (a form flattened to text) into the question and a short trailing answer."""
    head, mark, tail = body.rpartition("?")
    tail = tail.strip()
    if mark and head and tail and len(tail) <= 40 and not QUESTION_START_RE.match(tail):
        return head + "?", tail
    return body, None


def read_lines(lines: Sequence[Line]) -> list[Question]:
    """Return the questions found in a sequence of lines, in reading order."""
    questions: list[Question] = []
    section: str | None = None
    current: Question | None = None  # the question that following lines may continue or answer
    open_field = "text"  # which field a wrapped continuation line extends

    def flush() -> None:
        nonlocal current
        if current is not None:
            questions.append(current)
        current = None

    for line in lines:
        text = " ".join(line.text.split())
        if not text:
            open_field = "closed" if current is None or current.text.endswith("?") else open_field
            continue
        heading = _HEADING_RE.match(text)
        if line.heading or heading:
            flush()
            section = heading.group("text") if heading else text
            continue
        answer = _ANSWER_RE.match(text)
        if answer and current is not None:
            current = replace(current, answer=" ".join(filter(None, [current.answer, answer.group("text")])))
            open_field = "answer"
            continue
        guidance = _GUIDANCE_RE.match(text)
        if guidance and current is not None:
            current = replace(current, guidance=guidance.group("text"))
            open_field = "guidance"
            continue
        if current is not None and open_field == "text" and text[0].islower() \
                and not current.text.endswith(("?", ".")):
            current = replace(current, text=f"{current.text} {text}")
            continue
        item = _ITEM_RE.match(text)
        bullet = _BULLET_RE.match(text)
        if item:
            body = item.group("text").strip("* ")
            flush()
            if _asks(body) or len(body) > 60:
                body, same_line_answer = _split_answer(body)
                current = Question(id=item.group("id").rstrip(".)"), text=body, location=line.location,
                                   answer=same_line_answer, section=section)
                open_field = "text"
            elif looks_like_section(body):
                section = body
            continue
        if (bullet and _asks(bullet.group("text"))) or (line.list_item and _asks(text)) or \
                (text.endswith("?") and not text.startswith("|")):
            flush()
            body = bullet.group("text") if bullet else text
            current = Question(id="", text=body, location=line.location, section=section)
            open_field = "text"
            continue
        if current is not None and open_field == "text" and not current.text.endswith("?") \
                and (text[0].islower() or not current.text.endswith(".")):
            current = replace(current, text=f"{current.text} {text}")
            continue
        if current is not None and open_field in ("answer", "guidance"):
            value = getattr(current, open_field) or ""
            current = replace(current, **{open_field: f"{value} {text}".strip()})
            continue
        if current is not None and text[0].islower() and open_field == "text":
            current = replace(current, text=f"{current.text} {text}")
            continue
        if not is_instruction(text) and looks_like_section(text) and current is None:
            section = text
    flush()
    return questions
