"""The common record every questionnaire reader produces, whatever the file format."""

from __future__ import annotations

from dataclasses import dataclass

# Real questionnaires run to a few hundred questions; far more means a data dump, not a questionnaire.
MAX_QUESTIONS = 2000


@dataclass(frozen=True)
class Question:
    """One question as read from a file: its id, wording, where it sits and the vendor's answer if any."""

    id: str
    text: str
    location: str
    answer: str | None = None
    guidance: str | None = None
    section: str | None = None
    guidance_location: str | None = None


@dataclass(frozen=True)
class SkippedPart:
    """A sheet (or other part of a file) the reader left out, and why: a scoring sheet, a change log ..."""

    name: str
    reason: str


@dataclass(frozen=True)
class Found:
    """What a format reader returns: the questions, and the parts it skipped with the reason."""

    questions: list[Question]
    skipped: tuple[SkippedPart, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    """All questions read from one file, with any warnings (such as truncation) met on the way."""

    file: str
    questions: tuple[Question, ...]
    warnings: tuple[str, ...] = ()
    skipped: tuple[SkippedPart, ...] = ()


@dataclass(frozen=True)
class ReadResult:
    """The outcome of reading one file in a multi-file run: a questionnaire, or the error that stopped it."""

    file: str
    questionnaire: Questionnaire | None
    error: str | None
