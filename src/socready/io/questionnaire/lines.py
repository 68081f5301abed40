"""Find questions in running text: plain text, Markdown, Word paragraphs and the text of PDF pages.

A question in prose is a numbered item (``4.1 Do you ...``, ``DOCU-03: Describe ...``), a bullet that
asks something, or any line ending with a question mark. Lines that follow it and start in lower case
are the rest of a wrapped question; ``Answer:`` and ``Guidance:`` lines attach to the question above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

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
    reading = _Reading()
    for line in lines:
        reading.read(line)
    reading.flush()
    return reading.questions


@dataclass
class _Reading:
    """One pass over the lines: the questions so far, the section, and the question still open."""

    questions: list[Question] = field(default_factory=list)
    section: str | None = None
    current: Question | None = None  # the question that following lines may continue or answer
    open_field: str = "text"  # which field a wrapped continuation line extends

    def flush(self) -> None:
        if self.current is not None:
            self.questions.append(self.current)
        self.current = None

    def read(self, line: Line) -> None:
        text = " ".join(line.text.split())
        if not text:
            if self.current is None or self.current.text.endswith("?"):
                self.open_field = "closed"
            return
        heading = _HEADING_RE.match(text)
        if line.heading or heading:
            self.flush()
            self.section = heading.group("text") if heading else text
            return
        if self._attach(text) or self._wrap(text):
            return
        item = _ITEM_RE.match(text)
        if item:
            self._item(item, line.location)
        elif not self._prose_question(text, line):
            self._continue(text)

    def _attach(self, text: str) -> bool:
        """An ``Answer:`` or ``Guidance:`` line goes to the open question."""
        if self.current is None:
            return False
        answer = _ANSWER_RE.match(text)
        if answer:
            self.current = replace(self.current,
                                   answer=" ".join(filter(None, [self.current.answer, answer.group("text")])))
            self.open_field = "answer"
            return True
        guidance = _GUIDANCE_RE.match(text)
        if guidance:
            self.current = replace(self.current, guidance=guidance.group("text"))
            self.open_field = "guidance"
            return True
        return False

    def _wrap(self, text: str) -> bool:
        """A line in lower case continues a question that has not ended yet."""
        if self.current is not None and self.open_field == "text" and text[0].islower() \
                and not self.current.text.endswith(("?", ".")):
            self.current = replace(self.current, text=f"{self.current.text} {text}")
            return True
        return False

    def _item(self, item: re.Match[str], location: str) -> None:
        """A numbered item is a question when it asks something or is long; a short one may name a section."""
        body = item.group("text").strip("* ")
        self.flush()
        if _asks(body) or len(body) > 60:
            body, same_line_answer = _split_answer(body)
            self.current = Question(id=item.group("id").rstrip(".)"), text=body, location=location,
                                    answer=same_line_answer, section=self.section)
            self.open_field = "text"
        elif looks_like_section(body):
            self.section = body

    def _prose_question(self, text: str, line: Line) -> bool:
        """A bullet or list item that asks, or any line ending with a question mark (outside a table)."""
        bullet = _BULLET_RE.match(text)
        if (bullet and _asks(bullet.group("text"))) or (line.list_item and _asks(text)) or \
                (text.endswith("?") and not text.startswith("|")):
            self.flush()
            body = bullet.group("text") if bullet else text
            self.current = Question(id="", text=body, location=line.location, section=self.section)
            self.open_field = "text"
            return True
        return False

    def _continue(self, text: str) -> None:
        """Any other line extends the open question, answer or guidance, or names a section."""
        current = self.current
        if current is not None and self.open_field == "text" and not current.text.endswith("?") \
                and (text[0].islower() or not current.text.endswith(".")):
            self.current = replace(current, text=f"{current.text} {text}")
        elif current is not None and self.open_field in ("answer", "guidance"):
            value = getattr(current, self.open_field) or ""
            self.current = replace(current, **{self.open_field: f"{value} {text}".strip()})
        elif current is not None and text[0].islower() and self.open_field == "text":
            self.current = replace(current, text=f"{current.text} {text}")
        elif not is_instruction(text) and looks_like_section(text) and current is None:
            self.section = text
