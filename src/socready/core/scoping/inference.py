"""Infer scoping facts from free text, transparently: every fact shows the phrases behind it.

The classifier is a weighted phrase list (see ``inference_signals``), not a model: each phrase found in
the text adds evidence for a fact, phrases combine as independent evidence (1 - product of misses), and
a phrase inside a negated clause ("we do not process payments") counts against the fact instead. Nothing
is downloaded and the result is the same on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from socready.core.scoping import inference_signals as sig

# A fact is taken as inferred when its combined evidence reaches this; below it, it is only a hint.
ACCEPT = 0.5
# Tokens looked back from a phrase for a negation word, within the same clause.
_NEGATION_REACH = 6

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a": 1,
    "an": 1,
}
_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?)"
# Clause breaks: sentence ends, contrastive words, and "and/, we ..." where a new statement starts.
_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]+(?:\s|$)|[;\n]|,\s*(?=(?:we|our|they|it|customers|clients)\b)|"
    r"\b(?:but|while|whereas|although|though|however|instead)\b|\band\s+(?=(?:we|our|they|it)\b)",
    re.IGNORECASE,
)
# A negation stops reaching forward at these words ("no SLA and so payroll ..." does not negate payroll).
_SCOPE_STOP = {"and", "so", "because", "then", "which", "that"}
_NEGATION = re.compile(rf"^(?:{sig.NEGATIONS})$", re.IGNORECASE)
_TOKEN = re.compile(r"[\w'&%.-]+")

_REPORT = re.compile(
    r"\b(soc ?(?:1|2|3|one|two|three|iii|ii|i)|isae ?3402|isae ?3000|iso(?:/iec)? ?27001|hitrust|"
    r"pci[- ]dss)\b"
    r"(?:\s*,?\s*type\s*(ii|i|2|1)\b)?",
    re.IGNORECASE,
)
_HAVE_CUES = re.compile(r"\b(?:have|has|hold|holds|already|completed|certified|received|passed)\b", re.I)
_ASK_CUES = re.compile(
    r"\b(?:ask|asks|asked|asking|request|requests|requested|require|requires|required|"
    r"need|needs|needed|want|wants|expect|expects|demand|demands|share|send|provide|"
    r"submit)\b",
    re.I,
)
_DEADLINE = re.compile(
    rf"\b(?:within|in|by|over)\s+(?:the\s+)?(?:next\s+)?{_NUMBER}\s+(weeks?|months?)\b", re.IGNORECASE
)
_DEADLINE_CONTEXT = re.compile(
    r"\b(?:report|deal|contract|customer|prospect|audit|renewal|close|sign|"
    r"need|needs|require|requires|ask|asks|asked|rfp|procurement)\w*",
    re.I,
)
_URGENT = re.compile(r"\b(?:asap|as soon as possible|urgent(?:ly)?|this quarter)\b", re.IGNORECASE)
_OPERATING = re.compile(
    rf"\b(?:controls?|policies|program|programme|processes|practices)\b[^.]{{0,60}}?"
    rf"\b(?:in place|operating|running|live|enforced|followed)\b[^.]{{0,25}}?\bfor\s+"
    rf"(?:about\s+|over\s+|more than\s+|nearly\s+|almost\s+|the (?:last|past)\s+)?"
    rf"{_NUMBER}\s+(months?|years?)",
    re.IGNORECASE,
)
_NOT_OPERATING = re.compile(
    r"\b(?:no (?:formal |written |documented )?(?:security )?(?:controls|policies|program|programme)|"
    r"(?:start|starting) from scratch|not yet (?:in place|operating|documented|implemented|written)|"
    r"(?:haven't|have not|has not) (?:yet )?(?:started|written|implemented|documented)|"
    r"just (?:starting|getting started|started))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Inference:
    """One fact read from free text, how sure the classifier is (0-1), and the phrases that said so."""

    fact: str
    value: str
    confidence: float
    phrases: tuple[str, ...]
    negated: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The fact as ``field: value``, the way reasons cite it."""
        return f"{self.fact}: {self.value}"


@dataclass(frozen=True)
class Classification:
    """What the text says (``facts``) and what it explicitly rules out (``ruled_out``)."""

    facts: tuple[Inference, ...]
    ruled_out: tuple[Inference, ...]

    def get(self, fact: str, value: str) -> Inference | None:
        """Return the accepted inference for this fact and value, if any."""
        return next((i for i in self.facts if i.fact == fact and i.value == value), None)

    def values(self, fact: str) -> tuple[Inference, ...]:
        """Return every accepted inference for this fact, strongest first."""
        return tuple(sorted((i for i in self.facts if i.fact == fact), key=lambda i: -i.confidence))

    def excluded(self, fact: str, value: str) -> Inference | None:
        """Return the inference that rules this fact out, if the text negates it."""
        return next((i for i in self.ruled_out if i.fact == fact and i.value == value), None)


@dataclass(frozen=True)
class _Hit:
    text: str
    weight: float
    negated: bool


def classify(text: str) -> Classification:
    """Read free text and return the facts it states, each with confidence and triggering phrases."""
    clauses = _clauses(text)
    facts: list[Inference] = []
    ruled_out: list[Inference] = []
    for table in (sig.FINANCIAL, sig.DATA, sig.ROLES, sig.COMMITMENTS, sig.CONTEXT):
        for (fact, value), signals in table.items():
            hits = list(_hits(clauses, signals))
            counter = [h for h in _hits(clauses, sig.COUNTER.get((fact, value), ())) if not h.negated]
            _judge(fact, value, hits, counter, facts, ruled_out)
    facts.extend(_subservices(clauses))
    facts.extend(_reports(clauses))
    facts.extend(_timing(clauses))
    return Classification(facts=tuple(facts), ruled_out=tuple(ruled_out))


def combine(weights: Iterable[float]) -> float:
    """Combine independent pieces of evidence: the chance that at least one of them is right."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _judge(
    fact: str,
    value: str,
    hits: list[_Hit],
    counter: list[_Hit],
    facts: list[Inference],
    ruled_out: list[Inference],
) -> None:
    if not hits and not counter:
        return
    positive = [h for h in hits if not h.negated]
    negative = [h for h in hits if h.negated] + counter
    support = combine(_strongest(positive).values())
    against = combine(_strongest(negative).values())
    confidence = round(support * (1.0 - against), 2)
    phrases = tuple(_strongest(positive))
    negated = tuple(_strongest(negative))
    if confidence >= ACCEPT:
        facts.append(Inference(fact, value, confidence, phrases, negated))
    elif against >= ACCEPT:
        ruled_out.append(Inference(fact, value, round(against, 2), phrases, negated))


def _strongest(hits: list[_Hit]) -> dict[str, float]:
    """One weight per distinct phrase, so repeating a word does not inflate the evidence."""
    best: dict[str, float] = {}
    for hit in hits:
        key = hit.text.lower()
        best[key] = max(best.get(key, 0.0), hit.weight)
    return best


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(text) if c and c.strip()]


def _hits(clauses: list[str], signals: Iterable[tuple[float, str]]) -> Iterable[_Hit]:
    for weight, pattern in signals:
        regex = _compiled(pattern)
        for clause in clauses:
            for match in regex.finditer(clause):
                yield _Hit(match.group(0), weight, _is_negated(clause, match.start(), match.end()))


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    regex = _CACHE.get(pattern)
    if regex is None:
        regex = _CACHE[pattern] = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
    return regex


def _is_negated(clause: str, start: int, end: int) -> bool:
    before = _TOKEN.findall(clause[:start])[-_NEGATION_REACH:]
    for token in reversed(before):
        if token.lower() in _SCOPE_STOP:
            break
        if _NEGATION.match(token):
            return not _is_not_only(clause, token)
    # Passive negation after the phrase: "payments are not processed here".
    after = [t.lower() for t in _TOKEN.findall(clause[end:])[:3]]
    return (
        bool(after)
        and after[0] in {"is", "are", "was", "were", "isn't", "aren't"}
        and any(t in {"not", "never", "isn't", "aren't"} for t in after)
    )


def _is_not_only(clause: str, token: str) -> bool:
    # "not only payroll but also ..." affirms rather than denies.
    return token.lower() == "not" and re.search(r"\bnot only\b", clause, re.IGNORECASE) is not None


def _subservices(clauses: list[str]) -> Iterable[Inference]:
    for pattern, name, service in sig.SUBSERVICES:
        regex = _compiled(pattern)
        found = [
            m.group(0) for c in clauses for m in regex.finditer(c) if not _is_negated(c, m.start(), m.end())
        ]
        if found:
            yield Inference("subservice", f"{name} ({service})", 0.8, tuple(dict.fromkeys(found)))


def _reports(clauses: list[str]) -> Iterable[Inference]:
    seen: set[tuple[str, str]] = set()
    for clause in clauses:
        for match in _REPORT.finditer(clause):
            if _is_negated(clause, match.start(), match.end()):
                continue
            report = _report_name(match.group(1))
            fact = (
                "existing_report"
                if _HAVE_CUES.search(clause) and not _ASK_CUES.search(clause)
                else "report_asked"
            )
            kind = match.group(2)
            value = f"{report} {_type_name(kind)}" if kind else report
            if (fact, value) not in seen:
                seen.add((fact, value))
                confidence = 0.9 if fact == "existing_report" or _ASK_CUES.search(clause) else 0.6
                yield Inference(fact, value, confidence, (match.group(0),))


def _report_name(raw: str) -> str:
    squeezed = raw.lower().replace(" ", "").replace("-", "").replace("/iec", "")
    names = {
        "soc1": "SOC 1",
        "socone": "SOC 1",
        "soci": "SOC 1",
        "soc2": "SOC 2",
        "soctwo": "SOC 2",
        "socii": "SOC 2",
        "soc3": "SOC 3",
        "socthree": "SOC 3",
        "sociii": "SOC 3",
        "isae3402": "ISAE 3402",
        "isae3000": "ISAE 3000",
        "iso27001": "ISO 27001",
        "hitrust": "HITRUST",
        "pcidss": "PCI DSS",
    }
    return names.get(squeezed, raw.upper())


def _type_name(raw: str) -> str:
    return "Type II" if raw.lower() in {"ii", "2"} else "Type I"


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw.lower()]


def _timing(clauses: list[str]) -> Iterable[Inference]:
    deadline: tuple[int, str] | None = None
    for clause in clauses:
        for match in _DEADLINE.finditer(clause):
            if not _DEADLINE_CONTEXT.search(clause):
                continue
            count = _number(match.group(1))
            months = max(1, round(count / 4.3)) if match.group(2).lower().startswith("week") else count
            if deadline is None or months < deadline[0]:
                deadline = (months, match.group(0))
        urgent = _URGENT.search(clause)
        if urgent and deadline is None:
            deadline = (3, urgent.group(0))
    if deadline is not None:
        yield Inference("deadline_months", str(deadline[0]), 0.7, (deadline[1],))
    for clause in clauses:
        operating = _OPERATING.search(clause)
        if operating:
            count = _number(operating.group(1))
            months = count * 12 if operating.group(2).lower().startswith("year") else count
            yield Inference("controls_operating_months", str(months), 0.7, (operating.group(0),))
            return
        missing = _NOT_OPERATING.search(clause)
        if missing:
            yield Inference("controls_operating_months", "0", 0.7, (missing.group(0),))
            return
