"""Read customer questionnaires (xlsx, csv, docx, pdf, txt, Markdown) into one common Question record."""

from socready.io.questionnaire.model import MAX_QUESTIONS, Question, Questionnaire, ReadResult, SkippedPart
from socready.io.questionnaire.reader import (
    SUPPORTED_SUFFIXES,
    iter_questionnaires,
    read_many,
    read_questionnaire,
)

__all__ = [
    "MAX_QUESTIONS", "SUPPORTED_SUFFIXES", "Question", "Questionnaire", "ReadResult", "SkippedPart",
    "iter_questionnaires", "read_many", "read_questionnaire",
]
