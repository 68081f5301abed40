"""The organization's reviewed answers, reused when the same or nearly the same question comes again.

Prospects ask the same things in slightly different words. Once a person has reviewed an answer, the
next questionnaire that asks it gets that answer back (with the wording it was given for), rather than
a fresh draft a person must review again. Questions are compared by their content words, stemmed, so
"Do you encrypt data at rest?" and "Is data encrypted at rest?" meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socready.core.questionnaires.mapping import tokenize

# Share of content words two questions must have in common to be read as the same question.
SAME_QUESTION = 0.8


@dataclass(frozen=True)
class KnownAnswer:
    """A reviewed answer: the question it was given for, the answer, its explanation and controls."""

    question: str
    answer: str | None
    explanation: str
    controls: tuple[str, ...] = ()
    source: str = ""  # the questionnaire it was reviewed in


@dataclass(frozen=True)
class Reuse:
    """A known answer found for a question, and how alike the two questions are (0..1)."""

    known: KnownAnswer
    similarity: float


def _key(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


class AnswerBook:
    """Reviewed answers indexed by their questions' words; ``find`` returns the closest one, if close enough."""

    def __init__(self, known: Iterable[KnownAnswer], threshold: float = SAME_QUESTION) -> None:
        self.threshold = threshold
        self._entries: list[tuple[frozenset[str], KnownAnswer]] = []
        self._exact: dict[str, KnownAnswer] = {}
        self._by_word: dict[str, list[int]] = {}
        for item in known:
            words = _key(item.question)
            if not words:
                continue
            self._exact.setdefault(" ".join(item.question.lower().split()), item)
            index = len(self._entries)
            self._entries.append((words, item))
            for word in words:
                self._by_word.setdefault(word, []).append(index)

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, question: str) -> Reuse | None:
        """The reviewed answer whose question is the same or nearly the same as ``question``, if any."""
        exact = self._exact.get(" ".join(question.lower().split()))
        if exact is not None:
            return Reuse(exact, 1.0)
        words = _key(question)
        if not words:
            return None
        candidates = {i for word in words for i in self._by_word.get(word, ())}
        best: Reuse | None = None
        for index in candidates:
            other, item = self._entries[index]
            similarity = len(words & other) / len(words | other)
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = Reuse(item, round(similarity, 2))
        return best
