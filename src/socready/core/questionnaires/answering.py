"""Draft answers to questionnaire questions from what an organization's program shows.

Each question, once mapped to criteria and controls (``question_mapping``), gets a ``Draft``: an answer
(Yes, No, Partial, or none when socready cannot tell), a short explanation citing controls and evidence,
a confidence between 0 and 1 and the reasons a person must review it. The rules, most specific first:

1. A question asking for an attestation report (SOC 1, SOC 2, SOC 3, ISAE, a bridge letter) is answered
   from the engagements: "No" with the plan ("SOC 2 Type II planned, period ... to ...") while the report
   cannot exist yet, none once a period has ended (only a person knows whether the report is issued).
   Other certifications (ISO 27001, PCI DSS ...) are not tracked here and get no answer. Always reviewed.
2. A question that asks for something only a person can state (a description, names, counts, dates,
   an attachment) gets no answer; the explanation lists the related controls to help whoever writes it.
3. Otherwise the question is matched to adopted controls. The match is the share of the question's
   words (weighted by how rare they are among controls) that a control's own title and description
   use, a short form such as "MFA" counting as the words it stands for (the vocabulary's list); below
   ``min_match`` a control does not count. The controls that match nearly as well as the
   best one must all hold for a "Yes":

   * "Yes" only when every one is implemented or operating, applicable, and has evidence no older than
     ``evidence_max_age_days``, and no sample test found exceptions;
   * "Partial" when some are in place and others are not, when a control is designed or in progress,
     or when testing found exceptions;
   * "No" when the matching controls are adopted but not started;
   * none when no adopted control matches, when the control is marked not applicable, or when the
     controls are in place but evidence is missing or stale.

   A question about a risky practice ("Can staff copy data to USB drives?", "Is production data used in
   testing?"), or one matched to a control that forbids something the question does not, gets no answer
   either: there a control in place means "No", and the wording is left to a person.

A draft needs review whenever a reason was recorded or its confidence is below ``review_below``. The
module never answers "Yes" without an implemented or operating control and current evidence.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from socready.core.questionnaires.asks import (
    BRIDGE_LETTER,
    SOC1,
    SOC2,
    SOC3,
    SOC_UNSPECIFIED,
    TYPE1,
    TYPE2,
    Ask,
    QuestionText,
    detect_asks,
)
from socready.core.questionnaires.drafts import (
    ANSWERS,
    IN_PLACE,
    NA,
    NO,
    PARTIAL,
    UNDER_WAY,
    YES,
    AnsweringRules,
    ControlRef,
    Draft,
    DraftSummary,
    EvidenceRef,
    summarize,
)
from socready.core.questionnaires.knowledge import AnswerBook, Reuse
from socready.core.questionnaires.mapping import (
    ControlText,
    QuestionMapper,
    QuestionMapping,
    abbreviation_table,
    expand_abbreviations,
    tokenize,
)
from socready.core.questionnaires.vocabulary import Vocabulary, default_vocabulary
from socready.core.questionnaires.wording import (
    DETAILS_TOO_RE,
    NEGATED_RE,
    PERSON_RE,
    PROHIBITS_RE,
    RISKY_PRACTICE_RE,
)
from socready.core.readiness.snapshot import ControlState, Engagement, EvidenceItem, ProgramSnapshot, status_words

__all__ = ["ANSWERS", "IN_PLACE", "NA", "NO", "PARTIAL", "UNDER_WAY", "YES", "Answerer", "AnsweringRules", "ControlRef",
           "Draft", "DraftSummary", "EvidenceRef", "answer_questions", "summarize"]

# Reports answered from the engagements, and the engagement report kind each one rests on.
_REPORT_KIND = {SOC1: "soc1", "ISAE 3402": "soc1", SOC2: "soc2", SOC3: "soc2", "ISAE 3000": "soc2",
                SOC_UNSPECIFIED: None, BRIDGE_LETTER: None}
# Asked for, but not something a SOC readiness program records.
_UNTRACKED = ("ISO 27001", "ISO 27701", "PCI DSS", "HITRUST", "FedRAMP")
_NOTES = {SOC3: " A SOC 3 is issued from the SOC 2 examination.",
          "ISAE 3402": " Ask the auditor whether the SOC 1 can also be issued under ISAE 3402.",
          "ISAE 3000": " Ask the auditor whether the SOC 2 can also be issued under ISAE 3000."}

# How rare a word must be among controls (its weight) to count as a part of a question on its own.
_PART_WEIGHT = 3.0


def _status(state: ControlState) -> str:
    return status_words(state.status)


def _cite(state: ControlState) -> str:
    return f"{state.id} {state.control.title}"


class Answerer:
    """Drafts answers for one organization's program; build once per snapshot, call per question."""

    def __init__(self, snapshot: ProgramSnapshot, library: Sequence[ControlText] = (),
                 rules: AnsweringRules | None = None, vocabulary: Vocabulary | None = None,
                 book: AnswerBook | None = None) -> None:
        self.snapshot = snapshot
        self.book = book
        self.rules = rules or AnsweringRules()
        self.today = snapshot.today
        self.states = {s.id: s for s in snapshot.controls}
        # Short forms count as their long forms on both sides, so "MFA" in a question finds a control
        # that spells out "multi-factor authentication", and the other way round.
        self._short_forms = abbreviation_table(vocabulary or default_vocabulary())
        self._library = {c.id: self._words(f"{c.title} {c.text}") for c in library}
        evidence = {c.id: self._words(c.evidence) for c in library}
        # An adopted library control is matched on the organization's wording, the library's and what its
        # evidence shows; a custom control on its own wording. Controls not adopted are judged on their
        # title and description alone, so a fuller text never makes one look better than the control the
        # organization runs.
        self._tokens = {s.id: self._words(f"{s.control.title} {s.control.description}")
                        | self._library.get(s.id, set()) | evidence.get(s.id, set()) for s in snapshot.controls}
        # Word rarity is measured over the library and the organization's own controls together, so a
        # word no control uses ("pets") weighs heavily and pulls the match down.
        documents = list(self._library.values()) + list(self._tokens.values())
        self._size = max(1, len(documents))
        self._weights: dict[str, float] = {}
        self._asked: dict[str, set[str]] = {}
        self._frequency: Counter[str] = Counter(word for doc in documents for word in doc)

    def _words(self, text: str) -> set[str]:
        return set(expand_abbreviations(tokenize(text), self._short_forms))

    def _weight(self, word: str) -> float:
        weight = self._weights.get(word)
        if weight is None:
            weight = self._weights[word] = math.log((self._size + 1) / (self._frequency.get(word, 0) + 0.5))
        return weight

    def _question_words(self, question: str) -> set[str]:
        # A question is matched against many controls: its words are worked out once.
        if question not in self._asked:
            if len(self._asked) > 4096:
                self._asked.clear()
            self._asked[question] = self._words(question)
        return self._asked[question]

    def match(self, question: str, control_id: str) -> float:
        """Return the rarity-weighted share of the question's words that the control's text uses (0..1)."""
        words = self._question_words(question)
        total = sum(self._weight(w) for w in words)
        # The organization's wording of a control wins over the library's.
        tokens = self._tokens.get(control_id, self._library.get(control_id))
        if total <= 0 or tokens is None:
            return 0.0
        return sum(self._weight(w) for w in words & tokens) / total

    def _candidates(self, question: str, mapping: QuestionMapping) -> list[tuple[ControlState, float, float]]:
        """Adopted controls that match the question well enough: (state, match, mapper rank), best first."""
        ranked = {r.id: r.score for r in mapping.controls}
        top_criteria = set(mapping.criterion_ids[:3])
        found: list[tuple[ControlState, float, float]] = []
        for state in self.snapshot.controls:
            # Library controls come ranked by the mapper; the organization's own are judged on their text
            # and must share one of the question's leading criteria.
            custom = state.control.custom and bool(top_criteria & set(state.control.criteria))
            if state.id not in ranked and not custom:
                continue
            score = self.match(question, state.id)
            if score >= self.rules.min_match:
                rank = ranked.get(state.id, 1.0 if score >= self.rules.strong_match else score)
                found.append((state, score, rank))
        found.sort(key=lambda item: (-item[2], -item[1], item[0].id))
        return found

    def _fresh(self, state: ControlState) -> list[EvidenceItem]:
        oldest = self.today - dt.timedelta(days=self.rules.evidence_max_age_days)
        items = [e for e in state.evidence if oldest <= e.last_day]
        return sorted(items, key=lambda e: (e.last_day, e.title), reverse=True)

    def answer(self, question: QuestionText, mapping: QuestionMapping) -> Draft:
        """Return the draft for one question and its mapping."""
        reuse = self.book.find(question.text) if self.book is not None else None
        if reuse is not None:
            return self._reused_draft(question, reuse)
        asks = detect_asks(question, guidance=False)
        reported = [a for a in asks if a.report in _REPORT_KIND or a.report in _UNTRACKED]
        if reported:
            return self._report_draft(question, reported)
        candidates = self._candidates(question.text, mapping)
        if PERSON_RE.match(question.text.strip()):
            return self._person_draft(question, candidates)
        if not candidates or self._better_unadopted(question.text, mapping, candidates[0][1]):
            return self._unmatched_draft(question, mapping)
        return self._control_draft(question, candidates)

    def _unadopted(self, question: str, mapping: QuestionMapping) -> list[tuple[str, float]]:
        """Library controls the organization has not adopted that match the question, best first."""
        found = [(r.id, self.match(question, r.id)) for r in mapping.controls if r.id not in self.states]
        return sorted([f for f in found if f[1] >= self.rules.min_match], key=lambda f: -f[1])

    def _better_unadopted(self, question: str, mapping: QuestionMapping, adopted_best: float) -> bool:
        """True when a control the organization has not adopted fits the question clearly better.

        Answering from a weaker neighbour (training for a policy question) would cite the wrong control.
        """
        unadopted = self._unadopted(question, mapping)
        return bool(unadopted) and unadopted[0][1] > adopted_best + self.rules.together

    # --- the five kinds of draft ---------------------------------------------------------------------

    def _reused_draft(self, question: QuestionText, reuse: Reuse) -> Draft:
        """The answer a person reviewed for the same or a near-same question, checked against today's program."""
        known = reuse.known
        reasons: list[str] = []
        if reuse.similarity < 1.0:
            reasons.append(f"reused the reviewed answer to a similar question ('{known.question}')")
        states = [self.states[c] for c in known.controls if c in self.states]
        answer = known.answer
        if answer == YES and (not states or any(s.status not in IN_PLACE or not s.applicable for s in states)):
            # A Yes rests on controls in place; one that lapsed since the review makes the answer a question.
            reasons.append("a control the reviewed Yes rests on is no longer in place (or none is cited)")
            answer = None
        refs = tuple(ControlRef(s.id, s.control.title, s.status) for s in states)
        confidence = round(0.95 * reuse.similarity, 2) if answer is not None else 0.0
        return Draft(question.id, question.text, question.location, answer, known.explanation, confidence,
                     tuple(reasons), refs, (), kind="reused")

    def _unmatched_draft(self, question: QuestionText, mapping: QuestionMapping) -> Draft:
        library = [code for code, _ in self._unadopted(question.text, mapping)][:3]
        if library:
            why = f"no adopted control covers this (library controls that would: {', '.join(library)})"
        elif mapping.controls or mapping.criteria:
            why = "the question matches the program's controls only weakly"
        else:
            why = "the question matches no criterion or control"
        return Draft(question.id, question.text, question.location, None,
                     "Nothing in the program answers this yet.", 0.0, (why,), kind="unmatched")

    def _person_draft(self, question: QuestionText, candidates: list[tuple[ControlState, float, float]]) -> Draft:
        why = "asks for details only a person can give (a description, names, counts or dates)"
        related = [state for state, _, _ in candidates[: self.rules.max_controls]]
        text = "Write this answer by hand."
        evidence: list[EvidenceRef] = []
        if related:
            text += " Related: " + "; ".join(f"{_cite(s)} ({_status(s)})" for s in related) + "."
            evidence = [EvidenceRef(e.title, e.last_day, s.id) for s in related for e in self._fresh(s)[:1]]
            if evidence:
                text += " Evidence: " + "; ".join(f"{e.title} ({e.date.isoformat()})" for e in evidence) + "."
        refs = tuple(ControlRef(s.id, s.control.title, s.status) for s in related)
        return Draft(question.id, question.text, question.location, None, text, 0.0, (why,), refs,
                     tuple(evidence), kind="person")

    def _control_draft(self, question: QuestionText, candidates: list[tuple[ControlState, float, float]]) -> Draft:
        rules = self.rules
        lead, best, _ = candidates[0]
        # Controls ranked close to the lead and matching nearly as well are parts of the same question
        # ("encrypted at rest and in transit"): all of them must hold for a Yes.
        group = [lead] + [s for s, m, r in candidates[1:] if r >= 0.75 and m >= best - rules.together]
        # A control that answers a part of the question the lead does not ("in transit" when the lead is
        # about data at rest) belongs to it too, however well the lead matches the rest.
        asked = set(self._question_words(question.text))
        uncovered = asked - self._tokens.get(lead.id, set())
        for state, _, rank in candidates[1:]:
            if state not in group and rank >= 0.75 and any(
                    self._weight(w) >= _PART_WEIGHT for w in uncovered & self._tokens.get(state.id, set())):
                group.append(state)
                uncovered -= self._tokens.get(state.id, set())
        group = group[: rules.max_controls]
        reasons: list[str] = []
        parts: list[str] = []
        evidence: list[EvidenceRef] = []
        verdicts: list[str | None] = []
        for state in group:
            verdict, sentence, items = self._judge(state, reasons)
            verdicts.append(verdict)
            parts.append(sentence)
            evidence.extend(EvidenceRef(e.title, e.last_day, state.id) for e in items[:2])
        answer = _combine(verdicts)
        if _inverted(question.text, group):
            # Answering Yes because a control is in place would tell the customer the opposite of the truth.
            reasons.append("the question may ask about the risk rather than the control (a control in place "
                           "could mean No); choose the answer by hand")
            answer = None
        if answer == YES:
            weight = 1.0 if all(s.status == "operating" for s in group if s.applicable) else 0.9
        else:
            weight = 0.0 if answer is None else 0.6
        if answer == NA:
            reasons.append("the matching control is marked not applicable; confirm the question does not apply")
        confidence = round(min(1.0, best / 0.7) * weight, 2)
        if best < rules.strong_match:
            reasons.append(f"the question matches {lead.id} only loosely")
        if DETAILS_TOO_RE.search(question.text):
            reasons.append("the question also asks for details a person must add")
        if answer is not None and confidence < rules.review_below and not reasons:
            reasons.append(f"low confidence ({confidence:.2f})")
        refs = tuple(ControlRef(s.id, s.control.title, s.status) for s in group)
        return Draft(question.id, question.text, question.location, answer, " ".join(parts), confidence,
                     tuple(dict.fromkeys(reasons)), refs, tuple(evidence))

    def _judge(self, state: ControlState, reasons: list[str]) -> tuple[str | None, str, list[EvidenceItem]]:
        """Return one control's verdict, the sentence citing it, and its current evidence."""
        cite = _cite(state)
        if not state.applicable:
            return NA, f"{cite} is marked not applicable ({state.na_reason}).", []
        if state.status == "not_started":
            reasons.append(f"{state.id} is not started")
            return NO, f"{cite} is not in place yet.", []
        if state.status in UNDER_WAY:
            reasons.append(f"{state.id} is not implemented yet ({_status(state)})")
            return PARTIAL, f"{cite} is {_status(state)}, not yet implemented.", []
        fresh = self._fresh(state)
        if not fresh:
            if state.evidence:
                latest = max(state.evidence, key=lambda e: e.last_day)
                reasons.append(f"evidence for {state.id} is stale (latest: {latest.title}, "
                               f"{latest.last_day.isoformat()})")
                return None, f"{cite} is {_status(state)}, but its latest evidence ({latest.title}, " \
                             f"{latest.last_day.isoformat()}) is older than the limit.", []
            reasons.append(f"no evidence on file for {state.id}")
            return None, f"{cite} is {_status(state)}, but no evidence is on file.", []
        cited = "; ".join(f"{e.title} ({e.last_day.isoformat()})" for e in fresh[:2])
        if state.samples is not None and state.samples.exceptions:
            reasons.append(f"testing of {state.id} found {state.samples.exceptions} exception(s) in "
                           f"{state.samples.sample_size}")
            return PARTIAL, f"{cite} is {_status(state)}; evidence: {cited}; testing found exceptions.", fresh
        return YES, f"{cite} is {_status(state)}; evidence: {cited}.", fresh

    def _report_draft(self, question: QuestionText, asks: list[Ask]) -> Draft:
        answers: list[str | None] = []
        parts: list[str] = []
        reasons = ["asks for a report or certification; a person must confirm what can be shared"]
        for ask in _unique(asks):
            if ask.report in _UNTRACKED:
                answers.append(None)
                parts.append(f"socready does not track {ask.report}.")
                continue
            answer, sentence = self._engagement_answer(ask)
            answers.append(answer)
            parts.append(sentence)
        answer = None if None in answers else (NO if answers else None)
        confidence = 0.5 if answer == NO else 0.0
        return Draft(question.id, question.text, question.location, answer, " ".join(parts), confidence,
                     tuple(reasons), kind="report")

    def _engagement_answer(self, ask: Ask) -> tuple[str | None, str]:
        """Answer one report ask from the engagements: the plan, or nothing once a period has ended."""
        kind = _REPORT_KIND[ask.report]
        engagements = [e for e in self.snapshot.engagements if kind is None or e.report == kind]
        wanted = f"{ask.report} {ask.type}" if ask.type else ask.report
        if ask.report == BRIDGE_LETTER:
            lines = [_describe(e, self.today) for e in engagements]
            return None, "A bridge letter is written by the company after a report is issued. " + " ".join(lines)
        if not engagements:
            return NO, f"No {wanted} examination is planned."
        if ask.type in (TYPE1, TYPE2):
            same = [e for e in engagements if e.type_label == ask.type]
            if not same:
                others = " ".join(_describe(e, self.today) for e in engagements)
                return NO, f"No {wanted} is planned. {others}"
            engagements = same
        sentences = [_describe(e, self.today) for e in engagements]
        note = _NOTES.get(ask.report, "")
        uncovered = [c for c in ask.categories if kind == "soc2" and not any(c in e.categories for e in engagements)]
        if uncovered:
            note += f" The planned scope does not include {', '.join(uncovered)}."
        if any(e.report_date is not None and e.report_date < self.today for e in engagements):
            return None, " ".join(sentences) + note
        return NO, " ".join(sentences) + note


def _inverted(question: str, controls: Sequence[ControlState]) -> bool:
    """True when a Yes/No drawn from the controls could be the wrong way round for this wording."""
    if RISKY_PRACTICE_RE.search(question):
        return True
    prohibiting = any(PROHIBITS_RE.search(f"{s.control.title}") for s in controls)
    return prohibiting and not NEGATED_RE.search(question)


def _unique(asks: list[Ask]) -> list[Ask]:
    seen: set[tuple[str, str | None]] = set()
    out: list[Ask] = []
    for ask in asks:
        if (ask.report, ask.type) not in seen:
            seen.add((ask.report, ask.type))
            out.append(ask)
    return out


def _describe(engagement: Engagement, today: dt.date) -> str:
    """Say where an engagement stands, such as 'SOC 2 Type II planned, period 2025-01-01 to 2025-06-30'."""
    label = engagement.label
    auditor = f" (auditor: {engagement.auditor})" if engagement.auditor else ""
    end = engagement.report_date
    if engagement.type2 and engagement.period_start and engagement.period_end:
        window = f"period {engagement.period_start.isoformat()} to {engagement.period_end.isoformat()}"
        if engagement.period_start > today:
            return f"{label} planned, {window}{auditor}."
        if engagement.period_end >= today:
            return f"{label} under way, {window}{auditor}; the report follows the period."
        return f"{label} {window} has ended{auditor}; confirm the report is issued before sharing it."
    if end is not None and end >= today:
        return f"{label} planned as of {end.isoformat()}{auditor}."
    if end is not None:
        return f"{label} as of {end.isoformat()}{auditor}; confirm the report is issued before sharing it."
    return f"{label} planned{auditor}."


def _combine(verdicts: Sequence[str | None]) -> str | None:
    """Join the verdicts of the controls a question needs: all Yes is Yes, any unknown is unknown.

    A control marked not applicable drops out; when all are, the answer is N/A.
    """
    if verdicts and all(v == NA for v in verdicts):
        return NA
    verdicts = [v for v in verdicts if v != NA]
    if not verdicts or None in verdicts:
        return None
    if all(v == YES for v in verdicts):
        return YES
    if all(v == NO for v in verdicts):
        return NO
    return PARTIAL


def answer_questions(questions: Iterable[QuestionText], snapshot: ProgramSnapshot, mapper: QuestionMapper,
                     rules: AnsweringRules | None = None, book: AnswerBook | None = None) -> list[Draft]:
    """Map and draft every question against one program snapshot, in question order."""
    answerer = Answerer(snapshot, mapper.controls, rules, book=book)
    drafts = []
    for question in questions:
        mapping = mapper.map(question.text, question_id=question.id, limit=5, control_limit=8)
        drafts.append(answerer.answer(question, mapping))
    return drafts
