"""Rank the Trust Services Criteria and library controls a questionnaire question is about.

Three signals are added up, each scaled to the best score for the question:

* BM25 over each criterion's own text (title, summary, series) plus the curated vocabulary;
* BM25 over the control library, credited to the criteria each matching control maps to;
* whole vocabulary phrases ("encryption in transit", "access review") found in the question.

Criteria still rank when the control library is absent. The index is built once per process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import bm25s
import numpy as np

from socready.core.catalog.catalog import Catalog, Criterion, default_catalog
from socready.core.controls.library import default_library
from socready.core.questionnaires.vocabulary import Vocabulary, default_vocabulary

# bm25s sets its own logger to DEBUG, so every index it builds would print a line wherever a handler
# exists (the web app's console, the demo); its progress is not news to our users.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Weights set by hand and checked with bench/bench_questionnaire.py; the criterion text carries most weight.
CONTROL_WEIGHT = 0.35
PHRASE_WEIGHT = 0.25
# Scores below this share of the best are noise rather than a second topic.
MIN_RELATIVE_SCORE = 0.15

# Questionnaire filler that says nothing about the topic.
_FILLER_WORDS = """
a an and are as at be been by can could describe detail details do does did explain for from has have how
i if in into is it its list may must of on or our please provide share should so state that the their them
there these this those to us was we were what when where which who whom why will with would you your yours
company organization organisation vendor process processes ensure
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _make_stemmer() -> Callable[[str], str]:
    """Return the Snowball English stemmer when PyStemmer is installed, else a small suffix stripper."""
    try:
        import Stemmer  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        suffixes = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "ly")

        def strip(word: str) -> str:
            for suffix in suffixes:
                if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                    return word[: -len(suffix)]
            return word

        return strip
    stemmer: Any = Stemmer.Stemmer("english")
    return lambda word: str(stemmer.stemWord(word))


_stem = _make_stemmer()


@lru_cache(maxsize=8192)
def _stem_cached(word: str) -> str:
    return _stem(word)


def tokenize(text: str) -> list[str]:
    """Return the stemmed content words of a text (lower case, filler words dropped)."""
    words: list[str] = []
    for raw in _TOKEN_RE.findall(text.lower()):
        for word in raw.replace("-", " ").replace("'", " ").split():
            if word not in _FILLER and (len(word) > 1 or word.isdigit()):
                words.append(_stem_cached(word))
    return words


def abbreviation_table(vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """The vocabulary's short forms as tokens: the stemmed short form -> the tokens it stands for."""
    table: dict[str, tuple[str, ...]] = {}
    for short, long in vocabulary.abbreviations.items():
        key = tokenize(short)
        if len(key) == 1:
            table[key[0]] = tuple(tokenize(long))
    return table


def expand_abbreviations(tokens: Iterable[str], table: dict[str, tuple[str, ...]]) -> list[str]:
    """Replace each short-form token by the tokens of its long form ("mfa" -> "multi", "factor", ...)."""
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(table.get(token, (token,)))
    return expanded


@dataclass(frozen=True)
class ControlText:
    """The searchable part of a library control: its id, wording and the criteria it maps to."""

    id: str
    title: str
    text: str
    criteria: tuple[str, ...]
    evidence: str = ""  # what the control's evidence shows, in the words questionnaires use


@dataclass(frozen=True)
class Ranked:
    """One ranked match (a criterion or a control id) and its score, higher is better."""

    id: str
    score: float


@dataclass(frozen=True)
class QuestionMapping:
    """The criteria and controls a question maps to, best first."""

    question_id: str
    criteria: tuple[Ranked, ...]
    controls: tuple[Ranked, ...]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        """Return the ranked criterion ids alone."""
        return tuple(r.id for r in self.criteria)

    @property
    def control_ids(self) -> tuple[str, ...]:
        """Return the ranked control ids alone."""
        return tuple(r.id for r in self.controls)


class _Index:
    """A BM25 index over a fixed list of documents, scoring a tokenized query against all of them."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        self.size = len(documents)
        self._bm25: Any = None
        if documents:
            self._bm25 = bm25s.BM25()
            self._bm25.index([d or ["_"] for d in documents], show_progress=False)

    def scores(self, tokens: list[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return one score per document (zeros for an empty query or index)."""
        if self._bm25 is None or not tokens:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float64)


def _scaled(values: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


def criterion_document(criterion: Criterion, terms: Iterable[str] = ()) -> list[str]:
    """Return the tokens that stand for a criterion: title twice, series, summary and vocabulary terms."""
    extra = " ".join(terms)
    return tokenize(f"{criterion.title} {criterion.title} {criterion.series_title} {criterion.summary} "
                     f"{extra} {extra}")


class QuestionMapper:
    """Ranks criteria and controls for question texts; build once, call many times."""

    def __init__(self, catalog: Catalog, vocabulary: Vocabulary | None = None,
                 controls: Sequence[ControlText] = (), *, use_vocabulary: bool = True) -> None:
        self.criteria = catalog.criteria
        self.controls = tuple(controls)
        vocab = vocabulary if vocabulary is not None and use_vocabulary else None
        self._criterion_index = _Index([
            criterion_document(c, vocab.for_criterion(c.id) if vocab else ()) for c in self.criteria])
        self._control_index = _Index([tokenize(f"{c.title} {c.title} {c.text} {c.evidence}") for c in self.controls])
        position = {c.id: i for i, c in enumerate(self.criteria)}
        # control -> criteria as a 0/1 matrix, so crediting criteria is one matrix product per question
        self._control_criteria = np.zeros((len(self.controls), len(self.criteria)))
        for row, control in enumerate(self.controls):
            for criterion_id in control.criteria:
                if criterion_id in position:
                    self._control_criteria[row, position[criterion_id]] = 1.0
        # Each phrase as " stem stem " with its first stem, so most are ruled out by one set lookup.
        self._phrases: list[tuple[str, str, int]] = []
        if vocab is not None:
            for criterion_id, terms in vocab.terms.items():
                for term in terms:
                    stems = tuple(tokenize(term))
                    if len(stems) >= 2 and criterion_id in position:
                        self._phrases.append((f" {' '.join(stems)} ", stems[0], position[criterion_id]))

    def _phrase_hits(self, tokens: list[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
        hits = np.zeros(len(self.criteria))
        joined = " " + " ".join(tokens) + " "
        present = set(tokens)
        for phrase, first, position in self._phrases:
            if first in present and phrase in joined:
                hits[position] += 1.0
        return hits

    def map(self, text: str, *, question_id: str = "", limit: int = 5, control_limit: int = 5) -> QuestionMapping:
        """Return the best criteria (up to ``limit``) and controls (up to ``control_limit``) for a question."""
        tokens = tokenize(text)
        score = _scaled(self._criterion_index.scores(tokens))
        control_scores = _scaled(self._control_index.scores(tokens))
        if self.controls:
            # Each criterion takes the best score among the controls mapped to it.
            credited = (self._control_criteria * control_scores[:, None]).max(axis=0)
            score = score + CONTROL_WEIGHT * credited
        if self._phrases:
            score = score + PHRASE_WEIGHT * np.minimum(self._phrase_hits(tokens), 2.0)
        criteria = _top(score, [c.id for c in self.criteria], limit)
        controls = _top(control_scores, [c.id for c in self.controls], control_limit)
        return QuestionMapping(question_id=question_id, criteria=criteria, controls=controls)

    def map_many(self, texts: Iterable[tuple[str, str]], *, limit: int = 5) -> list[QuestionMapping]:
        """Map (question id, text) pairs, in order."""
        return [self.map(text, question_id=qid, limit=limit) for qid, text in texts]


def _top(scores: np.ndarray[Any, np.dtype[np.float64]], ids: Sequence[str], limit: int) -> tuple[Ranked, ...]:
    if scores.size == 0 or limit <= 0:
        return ()
    best = float(scores.max())
    if best <= 0:
        return ()
    order = np.argsort(-scores, kind="stable")[:limit]
    return tuple(Ranked(ids[i], round(float(scores[i]), 4)) for i in order
                 if scores[i] > 0 and scores[i] >= MIN_RELATIVE_SCORE * best)


def library_controls() -> tuple[ControlText, ...]:
    """Return the shipped control library as searchable texts, or nothing when it is not available."""
    try:
        library: Any = default_library()
    except (OSError, ValueError):  # the library is optional for criterion ranking
        return ()
    # What a control's evidence shows is worded the way questionnaires ask ("confidential data is
    # identified and its handling defined"), so it is searched with the description.
    return tuple(ControlText(id=str(c.id), title=str(c.title), text=str(c.description),
                             criteria=tuple(str(x) for x in c.criteria),
                             evidence=" ".join(f"{e.name}. {e.shows}." for e in c.evidence)) for c in library.controls)


@lru_cache(maxsize=1)
def default_mapper() -> QuestionMapper:
    """Return the mapper over the shipped catalog, vocabulary and control library, built once."""
    return QuestionMapper(default_catalog(), default_vocabulary(), library_controls())


def map_question(text: str, *, question_id: str = "", limit: int = 5) -> QuestionMapping:
    """Map one question with the shared default mapper."""
    return default_mapper().map(text, question_id=question_id, limit=limit)
