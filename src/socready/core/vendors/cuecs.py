"""Turning a vendor's complementary user entity controls into controls of our own, mapped to criteria."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from socready.core.questionnaires.mapping import QuestionMapper, default_mapper

MIN_SHARE_OF_BEST = 0.5  # a criterion scoring under half of the best one is noise for a one-line CUEC


@dataclass(frozen=True)
class CuecSuggestion:
    """A CUEC as a control to adopt: its title, the criteria it most likely serves and where it came from."""

    text: str
    title: str
    criteria: tuple[str, ...]
    source: str


def control_title(text: str, limit: int = 120) -> str:
    """A short control title from a CUEC sentence: its first clause, capitalised, cut at a word."""
    first = re.split(r"(?<=[.;])\s", " ".join(text.split()), maxsplit=1)[0].rstrip(".;")
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + "..."
    return first[:1].upper() + first[1:]


def suggest_cuec_controls(cuecs: Sequence[str], source: str, mapper: QuestionMapper | None = None,
                          limit: int = 3) -> list[CuecSuggestion]:
    """Each CUEC with up to ``limit`` criteria from the questionnaire mapper, its source named (vendor, report)."""
    mapper = mapper or default_mapper()
    suggestions = []
    for text in cuecs:
        mapping = mapper.map(text, limit=limit)
        best = mapping.criteria[0].score if mapping.criteria else 0.0
        criteria = tuple(r.id for r in mapping.criteria if best and r.score >= best * MIN_SHARE_OF_BEST)
        suggestions.append(CuecSuggestion(text=text, title=control_title(text), criteria=criteria, source=source))
    return suggestions


CONTROL, TASK, NOT_APPLICABLE = "control", "task", "not_applicable"
TREATMENTS = (CONTROL, TASK, NOT_APPLICABLE)


@dataclass(frozen=True)
class CuecChoice:
    """How the reviewer answers one CUEC: a control we operate, a one-off task, or not applicable (with why)."""

    treatment: str = CONTROL
    reason: str = ""

    def __post_init__(self) -> None:
        if self.treatment not in TREATMENTS:
            raise ValueError(f"'{self.treatment}' is not one of: {', '.join(TREATMENTS)}")
        if self.treatment == NOT_APPLICABLE and not self.reason.strip():
            raise ValueError("a CUEC marked not applicable needs a reason")


def parse_cuec_choice(text: str) -> tuple[int, CuecChoice]:
    """Read ``N=control``, ``N=task`` or ``N=na:reason`` (N the CUEC's number from 1) into its number and choice.

    Raises ValueError saying what is expected.
    """
    number, sep, rest = text.partition("=")
    if not sep or not number.strip().isdigit() or int(number) < 1:
        raise ValueError(f"'{text}': write N=control, N=task or N=na:reason (N the CUEC's number)")
    treatment, _, reason = rest.partition(":")
    treatment = {"na": NOT_APPLICABLE, "n/a": NOT_APPLICABLE}.get(treatment.strip().lower(), treatment.strip().lower())
    return int(number), CuecChoice(treatment, reason.strip())


def choices_for(count: int, chosen: dict[int, CuecChoice]) -> list[CuecChoice]:
    """A choice for each of ``count`` CUECs (numbered from 1): the one given, else a control.

    Raises ValueError for a number past the last CUEC.
    """
    beyond = sorted(n for n in chosen if n > count)
    if beyond:
        raise ValueError(f"CUEC {beyond[0]} does not exist: the report lists {count}")
    return [chosen.get(number, CuecChoice()) for number in range(1, count + 1)]
