"""Tell the sheets that hold questions from those that do not: scoring, change logs, crosswalks, lists ...

A customer's workbook carries much besides its questions. The HECVAT adds an analyst's report that
copies the vendor's answers, a change log ("Updated SSAE 16 to 18"), standards crosswalks that quote
other frameworks, scoring sheets of a quarter of a million formula cells and hidden lookup lists. Read
as questions they drown the real ones and turn the vendor's answers into the customer's asks. Each rule
here says why a sheet is left out, so the reason can be shown to the person who uploaded the file.
"""

from __future__ import annotations

import re

from socready.io.questionnaire.xlsx_parts import SheetCells

# A sheet named like the questions themselves is always read, whatever else its name says.
_QUESTION_NAME_RE = re.compile(r"question|response|vendor|assessment|interview|preguntas|cuestionario|"
                               r"requirements?\b|controls?\b|security|privacy|survey|form\b", re.IGNORECASE)
_NAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"chang\w*\s*-?\s*log|version\s*history|revision|release\s*notes|\bhistory\b", re.IGNORECASE),
     "a change log of the template"),
    (re.compile(r"cross\s*-?\s*walk|mapping|\bmap\b", re.IGNORECASE), "a crosswalk to other standards"),
    (re.compile(r"scor(e|ing)|\bpoints\b|weight", re.IGNORECASE), "a scoring sheet"),
    (re.compile(r"analyst|reviewer|assessor|internal\s*use", re.IGNORECASE), "the customer's analyst sheet"),
    (re.compile(r"instruction|read\s*me|how\s*to|getting\s*started|\bguide\b|help", re.IGNORECASE),
     "instructions"),
    (re.compile(r"summary|dashboard|report|results?\b|roadmap|chart|overview|benchmark|non-?compliant",
                re.IGNORECASE), "a summary or report of the answers"),
    (re.compile(r"^\s*(lists?|values|lookups?|data|options|choices|dv\b.*|drop\s*-?\s*downs?|validation\w*|"
                r"answers|ref\w*|codes|config\w*|settings|meta\w*)\s*$|lookup|dv-lists|_meta$", re.IGNORECASE),
     "drop-down lists or lookup values"),
    (re.compile(r"acknowledg|attribution|licen[cs]e|\babout\b|cover|introduction|contents|glossary|"
                r"definitions|credits|library_", re.IGNORECASE), "front matter (cover, introduction, licence)"),
)
# Past this many stored values a sheet that is mostly numbers is a calculation, not a form.
_NUMERIC_SHEET_CELLS = 2000


def skip_by_name(title: str, state: str) -> str | None:
    """Why a sheet is left out from its name and visibility alone, or None when it must be looked at."""
    if state != "visible":
        return "hidden sheet"
    if _QUESTION_NAME_RE.search(title) and not re.search(r"analyst|scor|summary|cross|chang", title, re.IGNORECASE):
        return None
    for pattern, reason in _NAME_RULES:
        if pattern.search(title):
            return reason
    return None


def skip_by_content(cells: SheetCells) -> str | None:
    """Why a sheet is left out from what it holds (mostly numbers), or None."""
    values = sum(len(row) for row in cells.cells.values())
    if cells.stopped_early or (values >= _NUMERIC_SHEET_CELLS and cells.numeric > 0.6 * values):
        return "a scoring or calculation sheet (mostly numbers)"
    return None
