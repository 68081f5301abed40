"""What a drafted questionnaire answer is: the answer, its support, its confidence and review reasons."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

YES, NO, PARTIAL, NA = "Yes", "No", "Partial", "N/A"
ANSWERS: tuple[str, ...] = (YES, NO, PARTIAL, NA)
IN_PLACE = ("implemented", "operating")
UNDER_WAY = ("designed", "in_progress")


@dataclass(frozen=True)
class AnsweringRules:
    """The thresholds the drafting rules use; the defaults suit a first review pass."""

    evidence_max_age_days: int = 365
    min_match: float = 0.35
    strong_match: float = 0.5
    review_below: float = 0.6
    # Controls matching within this much of the best one are read as parts of the same question.
    together: float = 0.1
    max_controls: int = 3


@dataclass(frozen=True)
class ControlRef:
    """A control cited by a draft: code, title and status."""

    code: str
    title: str
    status: str


@dataclass(frozen=True)
class EvidenceRef:
    """Evidence cited by a draft: its title, the last day it speaks for and the control it belongs to."""

    title: str
    date: dt.date
    control: str


@dataclass(frozen=True)
class Draft:
    """A drafted answer to one question, with what supports it and why a person should look at it."""

    question_id: str
    question: str
    location: str
    answer: str | None
    explanation: str
    confidence: float
    reasons: tuple[str, ...] = ()
    controls: tuple[ControlRef, ...] = ()
    evidence: tuple[EvidenceRef, ...] = ()
    kind: str = "control"  # control | report | person | unmatched | reused

    @property
    def needs_review(self) -> bool:
        """True when a person must check or write this answer before it is sent."""
        return bool(self.reasons)

    @property
    def review_reason(self) -> str:
        """The reasons for review as one sentence, or an empty string."""
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class DraftSummary:
    """How many drafts are Yes, No, Partial, N/A, unanswered, and how many need review."""

    total: int
    yes: int
    no: int
    partial: int
    unanswered: int
    needs_review: int
    na: int = 0


def summarize(drafts: Iterable[Draft]) -> DraftSummary:
    """Count the drafts by answer and review need."""
    items = list(drafts)
    counts = Counter(d.answer for d in items)
    return DraftSummary(total=len(items), yes=counts[YES], no=counts[NO], partial=counts[PARTIAL],
                        unanswered=counts[None], needs_review=sum(d.needs_review for d in items), na=counts[NA])
