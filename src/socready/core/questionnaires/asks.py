"""Find which attestation reports a questionnaire asks for, and add the asks up across prospects.

Only the customer's side is read: the question and the customer's guidance beside it, never the
vendor's answer. A mention counts as an ask unless the sentence says it is not wanted ("we do not
require a SOC 1", "a SOC 3 is not sufficient"). A conditional such as "if you do not have a SOC 2 ..."
still asks for the SOC 2, marked conditional, as is every ask in a section the form makes optional.
A report named only as an example ("a framework, e.g. ISO 27001") is a weak ask. "SOC" on its own
meaning a security operations center ("24x7 SOC monitoring") is not a report, and SSAE 18 on its own is
the attestation standard, not a SOC 1: "SSAE 18 / SOC 2" asks for a SOC 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from socready.core.catalog.catalog import CATEGORIES

SOC1, SOC2, SOC3, SOC_UNSPECIFIED = "SOC 1", "SOC 2", "SOC 3", "SOC (kind not named)"
TYPE1, TYPE2, TYPE_EITHER = "Type I", "Type II", "Type I or Type II"
BRIDGE_LETTER = "Bridge letter"


class QuestionText(Protocol):
    """Anything with a question id, its wording and where it sits (the io Question record fits)."""

    @property
    def id(self) -> str: ...  # noqa: D102 - a protocol member
    @property
    def text(self) -> str: ...  # noqa: D102
    @property
    def location(self) -> str: ...  # noqa: D102


@dataclass(frozen=True)
class Ask:
    """One report or attestation a question asks for, with the question it came from."""

    report: str
    type: str | None
    categories: tuple[str, ...]
    recency_months: int | None
    question_id: str
    question: str
    location: str
    source: str = ""
    phrase: str = ""
    legacy_name: str | None = None
    weak: bool = False  # named only as an example of what would do
    conditional: bool = False  # asked only in some case (an optional section, "if you have ...")


# --- patterns ---------------------------------------------------------------------------------------

_NUMBER = {"1": "1", "i": "1", "one": "1", "2": "2", "ii": "2", "two": "2", "3": "3", "iii": "3", "three": "3"}
_SOC_RE = re.compile(r"\bSOC[\s\-]*(?:®\s*)?(?P<n>1|2|3|III|II|I|one|two|three)\b(?![.\-/]\d)", re.IGNORECASE)
_BARE_SOC_RE = re.compile(r"\bSOC\b(?!\s*[\-]?\s*(?:1|2|3|I|one|two|three)\b)", re.IGNORECASE)
# A bare "SOC" is a report only when the words right after it say so.
_BARE_SOC_REPORT_RE = re.compile(r"^\s*(?:®\s*)?(?:reports?|attestations?|audits?|examinations?|type\b)",
                                 re.IGNORECASE)
_TYPE_RE = re.compile(r"\btype[\s\-]*(?P<t>II|I|1|2|one|two)\b", re.IGNORECASE)
_OR_TYPE_RE = re.compile(r"\btype[\s\-]*(?:I|1|one)\s*(?:or|/|and)\s*(?:type[\s\-]*)?(?:II|2|two)\b", re.IGNORECASE)
_LEGACY_RE = re.compile(r"\b(?P<name>SSAE[\s\-]*(?:18|16)|SAS[\s\-]*70)\b", re.IGNORECASE)

_OTHER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ISAE 3402", re.compile(r"\bISAE[\s\-]*3402\b", re.IGNORECASE)),
    ("ISAE 3000", re.compile(r"\bISAE[\s\-]*3000\b", re.IGNORECASE)),
    ("ISO 27001", re.compile(r"\bISO(?:\s*/\s*IEC)?[\s\-:]*27001\b|\b27001\s+certif", re.IGNORECASE)),
    ("ISO 27701", re.compile(r"\bISO(?:\s*/\s*IEC)?[\s\-:]*27701\b", re.IGNORECASE)),
    ("PCI DSS", re.compile(r"\bPCI(?:[\s\-]*DSS)?\b|\bPayment\s+Card\s+Industry\b|\bPA[\s\-]?DSS\b|"
                           r"\bAttestation\s+of\s+Compliance\b|\bReport\s+on\s+Compliance\b", re.IGNORECASE)),
    ("HITRUST", re.compile(r"\bHITRUST\b", re.IGNORECASE)),
    ("FedRAMP", re.compile(r"\bFed[\s\-]?RAMP\b", re.IGNORECASE)),
    ("Penetration test", re.compile(r"\b(?:penetration[\s\-]+test\w*|pen[\s\-]?test\w*|tests?\s+de\s+p[ée]n[ée]tration|"
                                    r"pruebas?\s+de\s+(?:penetraci[óo]n|intrusi[óo]n)|ethical\s+hacking|"
                                    r"hacking\s+[ée]tico|third[\s\-]+party\s+security\s+assessment)",
                                    re.IGNORECASE)),
    (BRIDGE_LETTER, re.compile(r"\b(?:bridge|bridging|gap)\s+letters?\b", re.IGNORECASE)),
)

_CATEGORY_RE = re.compile(r"\b(security|availability|processing integrity|confidentiality|privacy)\b",
                          re.IGNORECASE)
# Category names are only read as the report's scope when the sentence talks about scope.
_SCOPE_WORDS_RE = re.compile(r"\b(criteria|categor|principles?|trust services|tsc|in scope|scope|cover|"
                             r"includ|address)", re.IGNORECASE)

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18,
                 "twenty-four": 24}
_RECENCY_RE = re.compile(
    r"\b(?:within|in|during|over|for|from)\s+the\s+(?:last|past|previous|prior|preceding)\s+"
    r"(?P<n>\d{1,2}|one|two|three|six|nine|twelve|eighteen|twenty-four)?\s*(?P<unit>months?|years?)\b"
    r"|\b(?:no|not)\s+(?:more|older)\s+than\s+(?P<n2>\d{1,2}|six|twelve|eighteen)\s+(?P<unit2>months?|years?)"
    r"|\b(?P<n3>\d{1,2}|six|twelve)[\s\-]+(?P<unit3>months?)\s+old\b",
    re.IGNORECASE,
)

# Wording that says the report named in the same sentence is not wanted. It is searched only in the text
# after the last '.' or ';' before the report (see _negated): written as "(...)[^.;]*$", the pattern would
# rescan to the end of the text from every candidate, quadratic time on a long run of them.
_NEGATION_BEFORE_RE = re.compile(
    r"\b(?:do|does|did|will|would|shall)\s*(?:not|n't)\s+(?:require|need|request|ask\s+for|accept|want|"
    r"expect)\b|\bno\s+need\s+(?:for|of)\b|\binstead\s+of\b|\brather\s+than\b|\bother\s+than\b|"
    r"\bnot\s+(?:require|requesting|asking\s+for|looking\s+for)\b|\bexcluding\b|\bnot\s+an?\s*$",
    re.IGNORECASE,
)
_NEGATION_AFTER_RE = re.compile(
    r"^[^.;]{0,40}?\b(?:is|are|will\s+be|would\s+be)\s+not\s+(?:required|needed|necessary|requested|"
    r"sufficient|acceptable|accepted|enough)\b|^[^.;]{0,25}?\bnot\s+(?:required|needed|necessary|accepted)\b"
    r"|^[^.;]{0,20}?\b(?:is|are)\s+(?:insufficient|unacceptable)\b",
    re.IGNORECASE,
)
# Certifications and compliance regimes are asked for only in words of assurance: "are you compliant
# with PCI DSS", "certified ISO 27001". "Will data regulated by PCI DSS reside ..." scopes the data.
_ASSURANCE_RE = re.compile(r"certif|attest|complian|compliant|comply|conform|report|audit|assess|validat|"
                           r"accredit|authori[sz]|evidence|evidencia|informe|\bcopy\b|\bprovide\b|letter|"
                           r"\baoc\b|\broc\b|listed|cumpl|d[ée]pos", re.IGNORECASE)
_TRACKED_ONLY_WITH_ASSURANCE = ("ISO 27001", "ISO 27701", "PCI DSS", "HITRUST", "FedRAMP")
# An example list: the report is one of several that would do, not the one asked for.
_EXAMPLE_RE = re.compile(r"(?:\be\.\s?g\.?|\bsuch\s+as\b|\bfor\s+example\b|\bfor\s+instance\b|\bincluding\b|"
                         r"\blike\b|\btales\s+como\b|\bcomo\s+(?:el|la|los|las)\b|\btels?\s+que\b)[^.;?]*$",
                         re.IGNORECASE)
_FIRM_RE = re.compile(r"certif|attest|audit|\breport\b|informe", re.IGNORECASE)
# Wording that makes a question apply only in some cases; a section title that makes a part optional.
CONDITIONAL_RE = re.compile(r"^\s*(?:if\b|en\s+caso\b|si\b|dans\s+le\s+cas\b)|\bif\s+applicable\b|"
                            r"\bwhere\s+applicable\b|\boptional\b|\bbased\s+on\s+(?:the\s+)?(?:qualifier|previous|prior|"
                            r"above|your)\b|\bif\s+(?:yes|so)\b|\bopcional\b|\ben\s+caso\s+afirmativo\b", re.IGNORECASE)
_GATED_SECTION_RE = re.compile(r"\b(?i:fill\s+out|complete|answer|responses?\s+to)\s+the\s+"
                               r"([A-Z][A-Za-z0-9 ]{1,30}?)\s+section\b")
# (?<!\s): a match starts only where a run of blanks starts, else every blank of a long run restarts the scan.
_CLAUSE_SPLIT_RE = re.compile(r"(?<=[.;?!])\s+|(?<!\s)\s+(?:but|however|whereas)\s+", re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT_RE.split(text) if c and c.strip()]


def _negated(clause: str, start: int, end: int) -> bool:
    """Return True when the clause says the report at [start, end) is not wanted."""
    # A comma usually closes the negated part: "we do not require a SOC 1, only a SOC 2".
    before = clause[:start].rsplit(",", 1)[-1]
    before = before[max(before.rfind("."), before.rfind(";")) + 1:]  # the negation must be in the same sentence
    return bool(_NEGATION_BEFORE_RE.search(before) or _NEGATION_AFTER_RE.search(clause[end:]))


def _recency(text: str) -> int | None:
    """Return how recent a report must be, in months, if the question says so."""
    match = _RECENCY_RE.search(text)
    if not match:
        if re.search(r"\b(?:current|most recent|latest|up[\s\-]to[\s\-]date)\b", text, re.IGNORECASE):
            return 12  # "current" means within the market's usual twelve months
        return None
    raw = match.group("n") or match.group("n2") or match.group("n3") or "1"
    unit = match.group("unit") or match.group("unit2") or match.group("unit3") or "months"
    number = int(raw) if raw.isdigit() else _WORD_NUMBERS.get(raw.lower(), 1)
    return number * 12 if unit.lower().startswith("year") else number


def _type_near(clause: str, start: int, end: int, next_start: int) -> str | None:
    """Return the report type written after this mention (up to the next report named) or just before it."""
    after = clause[end:next_start]
    either = _OR_TYPE_RE.search(after)
    if either:
        return TYPE_EITHER
    found = {_NUMBER[m.group("t").lower()] for m in _TYPE_RE.finditer(after)}
    if not found:
        before = clause[max(0, start - 12):start]
        found = {_NUMBER[m.group("t").lower()] for m in _TYPE_RE.finditer(before)}
    if found == {"1"}:
        return TYPE1
    if found == {"2"}:
        return TYPE2
    if found:
        return TYPE_EITHER
    return None


def _categories(text: str) -> tuple[str, ...]:
    """Return the SOC 2 categories named in sentences that talk about the report's scope."""
    found: set[str] = set()
    for clause in _clauses(text):
        if _SCOPE_WORDS_RE.search(clause) or re.search(r"\bSOC[\s\-]*(2|3|II)", clause, re.IGNORECASE):
            for match in _CATEGORY_RE.finditer(clause):
                name = match.group(1).lower()
                if name == "security" and re.search(r"security\s+(?:operations|questionnaire|team|program)",
                                                    clause[match.start():], re.IGNORECASE):
                    continue
                found.add(next(c for c in CATEGORIES if c.lower() == name))
    return tuple(c for c in CATEGORIES if c in found)


def _example(text: str, clause: str, start: int) -> bool:
    """True when the mention at ``start`` of ``clause`` sits in a list of examples ("e.g. NIST CSF, ISO 27001").

    The text before the clause counts too, since "e.g." ends a clause for the sentence splitter.
    """
    at = max(0, text.find(clause)) + start
    return bool(_EXAMPLE_RE.search(text[max(0, at - 160):at]))


def _texts(question: QuestionText, guidance: bool) -> list[tuple[str, str]]:
    """The customer's texts for one question with where each sits: the question, then its guidance."""
    texts = [(question.text, question.location)]
    hint = getattr(question, "guidance", None)
    if guidance and isinstance(hint, str) and hint.strip():
        texts.append((hint, getattr(question, "guidance_location", None) or question.location))
    return texts


def gated_sections(questions: Iterable[QuestionText]) -> tuple[str, ...]:
    """Names of the sections a form makes optional ("responses to the PCI DSS section are not required")."""
    found: list[str] = []
    for question in questions:
        for text in (question.text, getattr(question, "guidance", None) or ""):
            for match in _GATED_SECTION_RE.finditer(text):
                name = match.group(1).strip().lower()
                if name not in found:
                    found.append(name)
    return tuple(found)


class _AskCollector:
    """Gathers the asks of one question's texts, each report, kind and place kept once at its strongest."""

    def __init__(self, question: QuestionText, source: str, in_gated: bool) -> None:
        self.question, self.source, self.in_gated = question, source, in_gated
        self.asks: list[Ask] = []
        self.seen: dict[tuple[str, str | None, str], int] = {}
        self.text = self.location = ""
        self.recency: int | None = None
        self.categories: tuple[str, ...] = ()

    def read(self, text: str, location: str, assured: bool) -> None:
        """Add the asks of one of the question's texts, clause by clause."""
        self.text, self.location = text, location
        self.recency = _recency(text)
        self.categories = _categories(text)
        for clause in _clauses(text):
            mentions = sorted(_SOC_RE.finditer(clause), key=lambda m: m.start())
            self._soc_mentions(clause, mentions)
            self._legacy_mentions(clause, mentions)
            if not mentions:
                self._bare_soc_mentions(clause)
            self._other_mentions(clause, assured)

    def _soc_mentions(self, clause: str, mentions: list[re.Match[str]]) -> None:
        """Add the SOC 1, 2 and 3 reports the clause names, each with the type written near it."""
        for index, match in enumerate(mentions):
            if _negated(clause, match.start(), match.end()):
                continue
            next_start = mentions[index + 1].start() if index + 1 < len(mentions) else len(clause)
            report = {"1": SOC1, "2": SOC2, "3": SOC3}[_NUMBER[match.group("n").lower()]]
            self.add(report, _type_near(clause, match.start(), match.end(), next_start), match.group(0), clause,
                     match.start())

    def _legacy_mentions(self, clause: str, mentions: list[re.Match[str]]) -> None:
        """Add the reports the clause names by a legacy standard (SSAE 16, SAS 70, SSAE 18)."""
        soc_numbers = {_NUMBER[m.group("n").lower()] for m in mentions}
        for match in _LEGACY_RE.finditer(clause):
            # SSAE 18 is the standard every SOC report is examined under: next to a SOC 2 it names no
            # SOC 1, and alone it names no kind. SSAE 16 and SAS 70 were the names of the SOC 1 itself.
            if soc_numbers - {"1"} or _negated(clause, match.start(), match.end()):
                continue
            name = re.sub(r"[\s\-]+", " ", match.group("name").upper())
            kind = _type_near(clause, match.start(), match.end(), len(clause))
            if name == "SSAE 18":
                if not mentions and not _example(self.text, clause, match.start()):
                    self.add(SOC_UNSPECIFIED, kind, match.group(0), clause, match.start(), legacy=name)
                continue
            self.add(SOC1, kind, match.group(0), clause, match.start(), legacy=name)

    def _bare_soc_mentions(self, clause: str) -> None:
        """Add a SOC report of no named kind for each bare "SOC" the clause follows with a report word."""
        for match in _BARE_SOC_RE.finditer(clause):
            if _BARE_SOC_REPORT_RE.match(clause[match.end():]) and not _negated(clause, match.start(),
                                                                                 match.end()):
                self.add(SOC_UNSPECIFIED, _type_near(clause, match.start(), match.end(), len(clause)),
                         match.group(0), clause, match.start())

    def _other_mentions(self, clause: str, assured: bool) -> None:
        """Add the other reports and attestations the clause names, the first mention of each."""
        for report, pattern in _OTHER:
            if report in _TRACKED_ONLY_WITH_ASSURANCE and not assured:
                continue
            for match in pattern.finditer(clause):
                if not _negated(clause, match.start(), match.end()):
                    kind = _type_near(clause, match.start(), match.end(), len(clause)) \
                        if report == "ISAE 3402" else None
                    self.add(report, kind, match.group(0), clause, match.start())
                    break

    def add(self, report: str, kind: str | None, phrase: str, clause: str, start: int,
            legacy: str | None = None) -> None:
        """Add one ask of the current text, or strengthen the same ask found earlier in it."""
        # "Certified in one of ENS, ISO 27001 or SOC 2" asks firmly for any of them; "conform with a
        # framework (e.g. ISO 27001)" names it only as an example.
        weak = _example(self.text, clause, start) and not _FIRM_RE.search(self.text)
        conditional = self.in_gated or bool(CONDITIONAL_RE.search(clause))
        key = (report, kind, self.location)
        if key in self.seen:
            # Asked twice in one text: it is as strong as its strongest mention.
            old = self.asks[self.seen[key]]
            self.asks[self.seen[key]] = Ask(**{**old.__dict__, "weak": old.weak and weak,
                                               "conditional": old.conditional and conditional})
            return
        self.seen[key] = len(self.asks)
        scoped = self.categories if report in (SOC2, SOC3, "ISAE 3000") else ()
        self.asks.append(Ask(report=report, type=kind, categories=scoped, recency_months=self.recency,
                             question_id=self.question.id, question=self.text, location=self.location,
                             source=self.source, phrase=phrase, legacy_name=legacy, weak=weak,
                             conditional=conditional))


def detect_asks(question: QuestionText, *, source: str = "", guidance: bool = True,
                gated: tuple[str, ...] = ()) -> list[Ask]:
    """Return every report or attestation this question (and its guidance) asks for.

    A mention that only names a report is no ask; one in a list of examples is weak; one in a
    conditional sentence or an optional section is conditional. ``guidance=False`` reads the question
    alone (drafting answers only to what the question itself asks). ``gated`` names sections another
    question makes optional (see ``gated_sections``).
    """
    section = getattr(question, "section", None)
    in_gated = isinstance(section, str) and (bool(CONDITIONAL_RE.search(section)) or any(
        section.lower().startswith(name) for name in gated))
    collector = _AskCollector(question, source, in_gated)
    for text, location in _texts(question, guidance):
        # Words of assurance may sit in another sentence of the question, or in the section's title
        # ("Certifications and Compliance" over a table of standards).
        assured = bool(_ASSURANCE_RE.search(text) or (isinstance(section, str) and _ASSURANCE_RE.search(section)))
        collector.read(text, location, assured)
    asks = collector.asks
    # "SOC 2" in one sentence and "SOC 2 Type II" in the next are one ask, the typed one.
    typed = {(a.report, a.location) for a in asks if a.type}
    return [a for a in asks if a.type or (a.report, a.location) not in typed]


def scan_questions(questions: Iterable[QuestionText], *, source: str = "") -> list[Ask]:
    """Return the asks of every question of one questionnaire (guidance included), in question order."""
    items = list(questions)
    gated = gated_sections(items)
    return [ask for question in items for ask in detect_asks(question, source=source, gated=gated)]


# --- across prospects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskCount:
    """How many questionnaires ask for one report (and type), and which files they are."""

    report: str
    type: str | None
    files: tuple[str, ...]

    @property
    def label(self) -> str:
        """Return the report and type as one label, e.g. 'SOC 2 Type II'."""
        return f"{self.report} {self.type}" if self.type else self.report


@dataclass(frozen=True)
class ProspectAsks:
    """What the prospects' questionnaires ask for, added up across files; scoping reads it as evidence."""

    files_total: int
    counts: tuple[AskCount, ...]
    categories: tuple[tuple[str, int], ...]
    asks: tuple[Ask, ...]
    recency_months: int | None

    def files_asking(self, report: str) -> tuple[str, ...]:
        """Return the files that ask for this report, whatever the type."""
        return tuple(sorted({a.source for a in self.asks if a.report == report}))

    @property
    def soc1(self) -> bool:
        """True when any prospect asks for a SOC 1 (or its international twin, ISAE 3402)."""
        return bool(self.files_asking(SOC1) or self.files_asking("ISAE 3402"))

    @property
    def soc2(self) -> bool:
        """True when any prospect asks for a SOC 2 or a SOC 3 (both rest on the same examination)."""
        return bool(self.files_asking(SOC2) or self.files_asking(SOC3))

    @property
    def soc2_categories(self) -> tuple[str, ...]:
        """Return Security plus every category a prospect names for its SOC 2 or SOC 3."""
        named = {name for name, _ in self.categories}
        return tuple(c for c in CATEGORIES if c == "Security" or c in named) if self.soc2 else ()

    @property
    def report_type(self) -> str | None:
        """Return 'Type II' when any prospect insists on it, 'Type I' when only that is asked, else None."""
        kinds = {a.type for a in self.asks if a.report in (SOC1, SOC2, SOC3, SOC_UNSPECIFIED, "ISAE 3402")}
        if TYPE2 in kinds:
            return TYPE2
        if kinds & {TYPE1, TYPE_EITHER}:
            return TYPE1
        return None

    def report_totals(self) -> dict[str, int]:
        """Return, per report whatever its type, how many files ask for it, most asked first."""
        totals = {report: len(self.files_asking(report)) for report in {a.report for a in self.asks}}
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def lines(self) -> list[str]:
        """Return one plain sentence per report, most asked first: '7 of 9 ask for SOC 2 Type II'."""
        return [f"{len(c.files)} of {self.files_total} ask for {c.label}" for c in self.counts]


def summarize_asks(per_file: Mapping[str, Sequence[Ask]], files_total: int | None = None) -> ProspectAsks:
    """Add up the asks of several questionnaires; ``files_total`` counts files read, with or without asks."""
    total = len(per_file) if files_total is None else files_total
    by_label: dict[tuple[str, str | None], set[str]] = {}
    by_category: dict[str, set[str]] = {}
    every: list[Ask] = []
    strictest: int | None = None
    for file, asks in per_file.items():
        for ask in asks:
            stamped = ask if ask.source else Ask(**{**ask.__dict__, "source": file})
            every.append(stamped)
            by_label.setdefault((ask.report, ask.type), set()).add(file)
            for category in ask.categories:
                by_category.setdefault(category, set()).add(file)
            if ask.recency_months is not None and ask.report != BRIDGE_LETTER:
                strictest = ask.recency_months if strictest is None else min(strictest, ask.recency_months)
    counts = sorted((AskCount(report, kind, tuple(sorted(files))) for (report, kind), files in by_label.items()),
                    key=lambda c: (-len(c.files), c.report, c.type or ""))
    categories = tuple((c, len(by_category[c])) for c in CATEGORIES if c in by_category)
    return ProspectAsks(files_total=total, counts=tuple(counts), categories=categories, asks=tuple(every),
                        recency_months=strictest)
