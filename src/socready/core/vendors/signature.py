"""The service auditor's firm and the report's date, read from the signature block of the auditor's report.

A firm signs under the opinion ("Firm LLP", "/s/ Firm LLP"), sometimes prints its name only in a letterhead
above the report's heading, and some sign with a name that carries no legal form ("A-LIGN ASSURANCE"): such a
name is taken only when it is one of the firms known to issue SOC reports. The date stands alone on its line
or after the city ("Tampa, Florida", "Amsterdam, 29 August 2025"). Every pattern here runs on one line at a
time, and only on lines of bounded length, so a hostile page cannot make them slow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from socready.core.vendors.dates import DATE, parse_date

MAX_LINE = 90  # a signature or date line is short; a longer line is prose
_LEGAL_FORM = re.compile(r"[A-Z][\w&.,' \u2019-]{2,80}?\b(?:LLP|L\.L\.P\.|LLC|L\.L\.C\.|PLLC|P\.C\.|Ltd\.?|Limited|"
                         r"GmbH|AG|S\.A\.|LLP\.|CPAs?|P\.A\.|PLC)")
# Firms that sign SOC reports, matched as words: enough to accept a signature line without a legal form.
KNOWN_FIRMS = re.compile(
    r"\b(?:A-LIGN|Schellman|Coalfire|Moss Adams|Deloitte|KPMG|Ernst & Young|Pricewaterhouse\s*Coopers|PwC|"
    r"Grant Thornton|BDO|RSM|Crowe|Baker Tilly|Johanson Group|Prescient Assurance|Sensiba|Insight Assurance|"
    r"Marcum|CohnReznick|Cherry Bekaert|Wipfli|Eide Bailly|Forvis|Mazars|Armanino|Linford|Weaver|Plante Moran|"
    r"Withum|CBIZ|Aprio|LBMC|Frazier & Deeter|Schneider Downs|BARR Advisory|Elliott Davis|Carr,? Riggs)\b",
    re.IGNORECASE)
_GENERIC = re.compile(r"\b(?:LLP|LLC|PLLC|auditors?|accountants?|assurance|& Co)\b", re.IGNORECASE)
_SIGNED = re.compile(r"^/s/\s*|^signed:?\s+", re.IGNORECASE)
_NOT_A_FIRM = re.compile(r"^(?:to|dear|for|an?\s+member|member)\b|[:;]$", re.IGNORECASE)
_NETWORK = re.compile(r"(?:an?\s+)?member\s+(?:firm\s+)?of\b", re.IGNORECASE)
_DATE_AT_END = re.compile(rf"(?P<when>{DATE})\s*$", re.IGNORECASE)
_PLACE = re.compile(r"[A-Z][\w .'\u2019-]*(?:,\s*[A-Z][\w .'\u2019-]*)?")
_ADDRESS = re.compile(r"\d|\b(?:CPAs?|accountants|assurance|audit)\b", re.IGNORECASE)
_OPINION_START = re.compile(r"\bin our opinion\b|\bopinion\s*$", re.IGNORECASE | re.MULTILINE)


def _cleaned(line: str) -> str:
    return " ".join(_SIGNED.sub("", line.strip()).split())


def firm_in_line(line: str, known_only: bool = False) -> str | None:
    """The firm a signature line names ("Firm LLP", "/s/ Firm LLP", a known firm's name alone), or None."""
    text = _cleaned(line)
    if not text or len(text) > MAX_LINE or _NOT_A_FIRM.search(text) or _NETWORK.match(text):
        return None
    known = bool(KNOWN_FIRMS.search(text))
    if _LEGAL_FORM.fullmatch(text):
        return None if known_only and not known else text
    if not known:
        return None
    # A known firm followed by more on its line (an OCR'd letterhead: "Firm LLP Tel: ...") is cut after its form.
    named = _LEGAL_FORM.match(text)
    if named and KNOWN_FIRMS.search(named.group(0)):
        return named.group(0)
    # A known name without a legal form: a short line that is not a sentence.
    return text if len(text) <= 60 and not text.endswith(".") else None


def _signature(text: str) -> str | None:
    # The signature follows the opinion; an addressee's name at the top of the report is not the firm.
    opinion = list(_OPINION_START.finditer(text))
    tail = text[opinion[-1].end():] if opinion else text
    found = [firm for firm in map(firm_in_line, tail.splitlines()) if firm]
    return found[-1] if found else None


def _letterhead(text: str, heading: re.Match[str] | None) -> str | None:
    """A firm printed above the report's heading, with its address or its calling under it, or a known firm."""
    lines = text[:heading.start()].splitlines() if heading else []
    for index, line in enumerate(lines):
        if firm_in_line(line, known_only=True):
            return _cleaned(line)
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if firm_in_line(line) and _ADDRESS.search(after):
            return _cleaned(line)
    return None


def find_auditor(pages: Sequence[str], report: Sequence[int], metadata: Mapping[str, str],
                 heading: re.Pattern[str]) -> tuple[str | None, str, int | None]:
    """The firm, where it was found (text or metadata) and its page: signature, then letterhead, then author."""
    for number in reversed(report):
        firm = _signature(pages[number - 1])
        if firm:
            return firm, "text", number
    if report:
        text = pages[report[0] - 1]
        firm = _letterhead(text, heading.search(text))
        if firm:
            return firm, "text", report[0]
    author = " ".join(str(metadata.get("Author", "")).split())
    # A document's author is often a person's login ("EricG"); only a name that reads like a firm is taken.
    if author and (KNOWN_FIRMS.search(author) or _GENERIC.search(author)):
        return author, "metadata", None
    return None, "", None


def date_in_line(line: str, day_first: bool = False) -> dt.date | None:
    """The date a signature's date line gives: the date alone, or after a city ("Tampa, Florida, May 3, 2025").

    An ambiguous numeric date is read day first if ``day_first``.
    """
    text = line.strip()
    if len(text) > MAX_LINE:
        return None
    match = _DATE_AT_END.search(text)
    if not match:
        return None
    place = text[:match.start()].rstrip(" ,")
    if place and not _PLACE.fullmatch(place):
        return None
    return parse_date(match.group("when"), day_first)


def find_report_date(pages: Sequence[str], report: Sequence[int], period_end: dt.date | None,
                     day_first: bool = False) -> tuple[dt.date | None, int | None]:
    """The last date line of the auditor's report on or after the period's end, and its page.

    An ambiguous numeric date is read day first if ``day_first``.
    """
    for number in reversed(report):
        for line in reversed(pages[number - 1].splitlines()):
            day = date_in_line(line, day_first)
            if day and (period_end is None or day >= period_end):
                return day, number
    return None, None
