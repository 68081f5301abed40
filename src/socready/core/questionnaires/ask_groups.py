"""One line per report a questionnaire asks for, with every place it is asked and how firmly.

``scan_questions`` gives one ask per mention: DOCU-01 names the SOC 2 in its question and again in its
guidance, and a hosting question asks for the provider's SOC 2. A person wants one SOC 2 line for the
file with all those places, its types, and whether it is asked outright or only as an example or in
some case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socready.core.questionnaires.asks import TYPE1, TYPE2, TYPE_EITHER, Ask


@dataclass(frozen=True)
class AskPlace:
    """One place a report is asked for: the question id, where, and the wording there."""

    question_id: str
    location: str
    wording: str
    weak: bool
    conditional: bool


@dataclass(frozen=True)
class ReportAsk:
    """A report asked for in one file, once, with every place it is asked."""

    report: str
    types: tuple[str, ...]
    categories: tuple[str, ...]
    places: tuple[AskPlace, ...]

    @property
    def weak(self) -> bool:
        """True when every mention only names the report as an example."""
        return all(p.weak for p in self.places)

    @property
    def conditional(self) -> bool:
        """True when every firm mention applies only in some case (an optional section, "if ...")."""
        firm = [p for p in self.places if not p.weak] or list(self.places)
        return all(p.conditional for p in firm)

    @property
    def strength(self) -> str:
        """'asked', 'conditional' or 'weak', as a person would say it."""
        return "weak" if self.weak else "conditional" if self.conditional else "asked"

    @property
    def locations(self) -> tuple[str, ...]:
        """Every place, in question order."""
        return tuple(p.location for p in self.places)


_TYPE_ORDER = (TYPE1, TYPE2, TYPE_EITHER)


def group_asks(asks: Iterable[Ask]) -> list[ReportAsk]:
    """Group one file's asks by report, in the order each report is first asked."""
    grouped: dict[str, list[Ask]] = {}
    for ask in asks:
        grouped.setdefault(ask.report, []).append(ask)
    result = []
    for report, items in grouped.items():
        types = {a.type for a in items if a.type}
        categories = sorted({c for a in items for c in a.categories})
        places: list[AskPlace] = []
        seen: set[str] = set()
        for ask in items:
            if ask.location in seen:
                continue
            seen.add(ask.location)
            places.append(AskPlace(ask.question_id, ask.location, ask.question, ask.weak, ask.conditional))
        result.append(ReportAsk(report, tuple(t for t in _TYPE_ORDER if t in types), tuple(categories),
                                tuple(places)))
    return result
