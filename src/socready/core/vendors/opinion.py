"""The auditor's opinion, classified from the wording of the opinion paragraph.

The strongest signal wins: a disclaimer says no opinion is given, an adverse opinion says the controls or
the description fail, a qualified opinion carves an "except for" out of an otherwise clean one. Only when
none of those is present and an unreserved "in our opinion ... in all material respects" is found is the
opinion unqualified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# "We do not express an opinion or any other form of assurance on its cybersecurity program" (or "on it", of
# information outside the report) limits a clean opinion's scope; it is not a disclaimer. Nor is any other
# "we do not express an opinion on ..." in a report that gives its opinion ("in our opinion"): only a report
# without one, or one headed "Disclaimer of Opinion", disclaims.
_DISCLAIMER = re.compile(
    r"\b(?:do|does) not express an opinion\b(?! or any other form of assurance)(?! on (?:it|them|such|this|"
    r"the (?:other |additional )?information|its cybersecurity)\b)"
    r"|\bdisclaimer of opinion|\bwe (?:are|were) unable to (?:and do not )?"
    r"express an opinion", re.IGNORECASE)
_DISCLAIMED = re.compile(r"\bdisclaimer of opinion|\b(?:are|were) unable to (?:and do not )?express an opinion",
                         re.IGNORECASE)
_OUR_OPINION = re.compile(r"\bin our opinion\b", re.IGNORECASE)
_ADVERSE = re.compile(
    r"\badverse opinion\b|\bbasis for adverse\b|\bbecause of the significance of the matters?\b.{0,300}?"
    r"\b(?:not|did not|does not)\b", re.IGNORECASE | re.DOTALL)
_QUALIFIED = re.compile(
    r"\bqualified opinion\b|\bbasis for qualified\b|\bexcept for the (?:effects? of the |possible effects? of the )?"
    r"matters?\b|\bexcept for the (?:possible )?effects? of\b", re.IGNORECASE)
_CLEAN = re.compile(
    r"\bin our opinion\b.{0,600}?\bin all material respects\b|\bin all material respects\b.{0,300}?"
    r"\b(?:fairly (?:presented|stated)|were effective|suitably designed|operated effectively)\b"
    r"|\bcontrols over the system were effective\b", re.IGNORECASE | re.DOTALL)
# "Unqualified opinion" contains "qualified opinion": remove the longer phrase before looking for the shorter.
_UNQUALIFIED_WORD = re.compile(r"\bunqualified opinion\b", re.IGNORECASE)


@dataclass(frozen=True)
class OpinionFinding:
    """The opinion and the page (1-based) whose wording decided it."""

    opinion: str
    page: int


def classify_opinion_text(text: str, opinion_given: bool | None = None) -> str | None:
    """The opinion one passage expresses: disclaimer, adverse, qualified, unqualified, or None.

    ``opinion_given`` says whether the auditor's report says "in our opinion" anywhere (by default: whether this
    passage does); a "do not express an opinion" in such a report limits its scope and is no disclaimer.
    """
    text = _UNQUALIFIED_WORD.sub("clean opinion", " ".join(text.split()))
    given = bool(_OUR_OPINION.search(text)) if opinion_given is None else opinion_given
    if _DISCLAIMED.search(text) or (_DISCLAIMER.search(text) and not given):
        return "disclaimer"
    if _ADVERSE.search(text):
        return "adverse"
    if _QUALIFIED.search(text):
        return "qualified"
    if _CLEAN.search(text):
        return "unqualified"
    return None


_RANK = {"disclaimer": 3, "adverse": 2, "qualified": 1, "unqualified": 0}


def classify_opinion(pages: Sequence[str], report_pages: Sequence[int]) -> OpinionFinding | None:
    """The opinion of the auditor's report, reading only the pages that hold it (1-based numbers).

    A modified opinion anywhere in the auditor's report outranks clean wording elsewhere in it, so a qualified
    report whose last paragraph repeats "in all material respects" is still read as qualified.
    """
    best: OpinionFinding | None = None
    given = any(_OUR_OPINION.search(" ".join(pages[number - 1].split())) for number in report_pages)
    for number in report_pages:
        opinion = classify_opinion_text(pages[number - 1], given)
        if opinion and (best is None or _RANK[opinion] > _RANK[best.opinion]):
            best = OpinionFinding(opinion, number)
    return best
