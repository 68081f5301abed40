"""The facts of a SOC report, read from the text of its pages.

The rules follow how service auditors lay reports out: the cover names the report and its period, the
independent service auditor's report holds the scope (subservice organizations and their method), the
opinion, the city and date and the firm's signature, a later section lists the complementary user entity
controls, and a Type II report's test tables say "exception noted" where a test failed. Each fact keeps the
page it came from so a reviewer can check it against the document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from socready.core.vendors.dates import DATE, DATE_RE, find_period, numbers_are_day_first, parse_date
from socready.core.vendors.facts import ReportFacts
from socready.core.vendors.listed import cuecs as find_cuecs
from socready.core.vendors.listed import exceptions as find_exceptions
from socready.core.vendors.listed import subservice_organizations
from socready.core.vendors.opinion import classify_opinion
from socready.core.vendors.signature import find_auditor, find_report_date

COVER_PAGES = 4  # the cover, a table of contents and the first pages of the auditor's report
CATEGORY_NAMES = ("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy")

_SOC = re.compile(r"\bSOC\)?\s*([123])\b|\bSystem and Organi[sz]ation Controls?\s*([123])\b"
                  r"|\bService Organi[sz]ation Controls?\s*([123])\b", re.IGNORECASE)
# "SOC for Service Organizations: ICFR" is the AICPA's name for a SOC 1, "...: Trust Services Criteria" for a SOC 2.
_SOC_FOR = re.compile(r"\bSOC for Service Organi[sz]ations:?\s*(?:(?P<icfr>ICFR)|(?P<tsc>Trust Services Criteria)"
                      r"(?P<general>\s+for General Use)?)", re.IGNORECASE)
# "ll" and "l" are how OCR and some fonts give "II" and "I".
_TYPE = re.compile(r"\bType\s*(II|ll|Il|lI|I|l|2|1)\b", re.IGNORECASE)
# Without a type named, the wording tells: operating effectiveness is tested only in a Type II, and a report on
# the suitability of design alone is a Type I.
_IMPLIED_TYPE_II = re.compile(r"\boperated\s+effectively\s+throughout\b|\bdesign\s+and\s+operating\s+"
                              r"effectiveness\b", re.IGNORECASE)
_IMPLIED_TYPE_I = re.compile(r"\bsuitability\s+of\s+(?:the\s+)?design\b", re.IGNORECASE)
_SOC1_STANDARD = re.compile(r"\bAT-C\s*(?:section\s*)?320\b|\bISAE\s*(?:No\.\s*)?3402\b", re.IGNORECASE)
# SSAE 18 holds both AT-C 320 and AT-C 205: alone it is a SOC 1, with the trust services criteria a SOC 2.
_SSAE_18 = re.compile(r"\bSSAE\s*(?:No\.\s*)?18\b", re.IGNORECASE)
_SOC2_STANDARD = re.compile(r"\bAT-C\s*(?:section\s*)?205\b|\bISAE\s*(?:No\.\s*)?3000\b|\bSSAE\s*(?:No\.\s*)?18\b",
                            re.IGNORECASE)
_TRUST_CRITERIA = re.compile(r"\btrust services (?:criteria|principles)\b|\brelevant\s+to\s+(?:the\s+)?(?:Security|"
                             r"Availability|Processing\s+Integrity|Confidentiality|Privacy)\b", re.IGNORECASE)
_STANDARDS = (("SSAE 18", re.compile(r"\bSSAE\s*(?:No\.\s*)?18\b|\bAT-C\s*(?:section\s*)?320\b", re.IGNORECASE)),
              ("ISAE 3402", re.compile(r"\bISAE\s*(?:No\.\s*)?3402\b", re.IGNORECASE)),
              ("ISAE 3000", re.compile(r"\bISAE\s*(?:No\.\s*)?3000\b", re.IGNORECASE)))
_AUDITOR_HEADING = re.compile(
    r"independent service auditor['\u2019]?s(?:\s+assurance)?\s+report|report of independent (?:service )?"
    r"(?:accountants?|auditors?)|independent (?:accountant|auditor)['\u2019]?s report", re.IGNORECASE)
_AS_OF = re.compile(rf"\bas (?:of|at)\s+(?:the\s+)?(?P<when>{DATE})", re.IGNORECASE)
_CATEGORY = "(?:" + "|".join(c.replace(" ", r"\s+") for c in CATEGORY_NAMES) + ")"
# A list of categories, bounded so that a page of repeated names costs no more than a line of them.
_CATEGORY_LIST = rf"{_CATEGORY}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_CATEGORY}){{0,8}}"
# "relevant to Security and Availability", "criteria for the Security, ... and Privacy categories",
# "the common criteria (Security)".
_RELEVANT = re.compile(
    rf"(?:relevant to|criteria (?:relevant to|for))\s+(?:the\s+)?(?P<list>{_CATEGORY_LIST})"
    rf"|(?P<named>{_CATEGORY_LIST})\s+(?:categor(?:y|ies)|principles?|trust\s+services)\b"
    r"|\bcommon\s+criteria\s*\(\s*(?P<common>security)\s*\)", re.IGNORECASE)
_CONTENTS = re.compile(r"^\s*(?:table of )?contents\b", re.IGNORECASE | re.MULTILINE)


Found = tuple[int, re.Match[str]]


def _first(pages: Sequence[str], pattern: re.Pattern[str], limit: int | None = None) -> Found | None:
    for number, text in enumerate(pages[:limit] if limit else pages, start=1):
        match = pattern.search(text)
        if match:
            return number, match
    return None


def _kind_by_standard(pages: Sequence[str]) -> tuple[str | None, int | None]:
    """The kind of a report that names only its standard.

    SSAE 18, AT-C 320 or ISAE 3402 make a SOC 1; AT-C 205 or ISAE 3000 on the trust services criteria a SOC 2.
    """
    soc1 = _first(pages, _SOC1_STANDARD, COVER_PAGES)
    if soc1:
        return "SOC 1", soc1[0]
    soc2 = _first(pages, _SOC2_STANDARD, COVER_PAGES)
    if soc2 and _TRUST_CRITERIA.search("\n".join(pages[:COVER_PAGES])):
        return "SOC 2", soc2[0]
    ssae = _first(pages, _SSAE_18, COVER_PAGES)
    return ("SOC 1", ssae[0]) if ssae else (None, None)


def _report_kind(pages: Sequence[str]) -> tuple[str | None, int | None]:
    found = _first(pages, _SOC, COVER_PAGES)
    if found:
        return f"SOC {next(g for g in found[1].groups() if g)}", found[0]
    named = _first(pages, _SOC_FOR, COVER_PAGES)
    if named:
        match = named[1]
        return ("SOC 1" if match.group("icfr") else "SOC 3" if match.group("general") else "SOC 2"), named[0]
    kind, number = _kind_by_standard(pages)
    if kind:
        return kind, number
    found = _first(pages, _SOC)
    return (f"SOC {next(g for g in found[1].groups() if g)}", found[0]) if found else (None, None)


def _report_type(pages: Sequence[str], kind: str | None) -> tuple[str | None, int | None]:
    if kind == "SOC 3":
        return None, None  # a SOC 3 has no type: it is a general-use report on a period
    found = _first(pages, _TYPE, COVER_PAGES) or _first(pages, _TYPE)
    if found:
        return ("Type II" if found[1].group(1).upper() in ("II", "LL", "IL", "LI", "2") else "Type I"), found[0]
    implied = _first(pages, _IMPLIED_TYPE_II, 12)
    if implied:
        return "Type II", implied[0]
    implied = _first(pages, _IMPLIED_TYPE_I, 12)
    return ("Type I", implied[0]) if implied else (None, None)


def _standards(pages: Sequence[str]) -> str:
    head = "\n".join(pages[:12])
    return "; ".join(name for name, pattern in _STANDARDS if pattern.search(head))


def auditor_report_pages(pages: Sequence[str], image_only: Sequence[int] = ()) -> list[int]:
    """The pages (1-based) of the independent auditor's report.

    They run from its heading to the page before the next section; a report printed as images counts its
    image-only pages before the first page with text.
    """
    start = next(((n, m) for n, m in ((n, _AUDITOR_HEADING.search(t)) for n, t in enumerate(pages[:12], 1))
                  if m and not _CONTENTS.search(pages[n - 1][:300])), None)
    blank = set(image_only)
    if start is None:
        # The heading may only be an image: take the run of image-only pages right after the cover.
        run = []
        for number in range(2, min(len(pages), 12) + 1):
            if number in blank:
                run.append(number)
            elif run:
                break
        return run
    result = [start[0]]
    for number in range(start[0] + 1, len(pages) + 1):
        text = pages[number - 1]
        if number in blank or _AUDITOR_HEADING.search(text[:200]):
            result.append(number)
            continue
        break
    return result


def _categories(pages: Sequence[str], kind: str | None) -> tuple[tuple[str, ...], int | None]:
    if kind == "SOC 1":
        return (), None
    found = _first(pages, _RELEVANT, COVER_PAGES) or _first(pages, _RELEVANT)
    if not found:
        return (), None
    match = found[1]
    listed = " ".join((match.group("list") or match.group("named") or match.group("common")).split()).lower()
    return tuple(c for c in CATEGORY_NAMES if c.lower() in listed), found[0]


def _dates(pages: Sequence[str], report_type: str | None, seen: Callable[[str, int | None], None],
           day_first: bool) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The period (Type II) or the as-of date (Type I) and the pages they were read on."""
    period_start = period_end = as_of = None
    for number, text in enumerate(pages, start=1):
        period = find_period(text, day_first)
        if period:
            period_start, period_end = period[1].start, period[1].end
            seen("period_start", number)
            seen("period_end", number)
            break
    if report_type == "Type I" or period_start is None:
        found = _first(pages, _AS_OF, COVER_PAGES) or _first(pages, _AS_OF)
        if found and report_type != "Type II":
            as_of = parse_date(found[1].group("when"), day_first)
            seen("as_of", found[0])
            if report_type == "Type I":
                period_start = period_end = None
                seen("period_start", None)
                seen("period_end", None)
    return period_start, period_end, as_of


def _ocr_warning(fact_pages: Mapping[str, int], ocr_pages: Sequence[int]) -> list[str]:
    if not ocr_pages:
        return []
    read = sorted(name for name, page in fact_pages.items() if page in ocr_pages)
    listed = ", ".join(str(n) for n in ocr_pages)
    facts = f" ({', '.join(read)})" if read else ""
    return [f"page(s) {listed} are images read by OCR: check the facts taken from them{facts} against the "
            "document, as OCR can misread names, words and figures"]


def _warnings(kind: str | None, auditor: str | None, auditor_source: str | None,
              blank_report: Sequence[int]) -> list[str]:
    """What a reviewer must check by hand: an image-only auditor's report, an auditor from metadata or none."""
    warnings: list[str] = []
    if blank_report:
        listed = ", ".join(str(n) for n in blank_report)
        warnings.append(f"the auditor's report is an image on page(s) {listed} (no text layer): check the "
                        "opinion, the firm and the report date against the document")
    if auditor_source == "metadata":
        warnings.append("the service auditor was taken from the document's properties (author), not its text")
    if auditor is None:
        warnings.append("the service auditor's firm is named neither in the text nor in the document's properties "
                        "(the signature may be an image): enter it from the document")
    if kind is None:
        warnings.append("no report kind (SOC 1, SOC 2, SOC 3, ISAE 3402) was found")
    return warnings


def read_facts(pages: Sequence[str], metadata: Mapping[str, str] | None = None,
               image_only: Sequence[int] = (), ocr_pages: Sequence[int] = (),
               notes: Sequence[str] = ()) -> ReportFacts:
    """Every fact the text of a SOC report gives, with the page each came from.

    ``pages`` holds the pages' text (index 0 is page 1), ``metadata`` the PDF's document information,
    ``image_only`` the pages that carry no text layer, ``ocr_pages`` those of them whose text in ``pages``
    was read by OCR (facts from them are marked "ocr"), and ``notes`` what the caller wants the reviewer
    told (such as why OCR did not run).
    """
    metadata = metadata or {}
    ocr = set(ocr_pages)
    unread = [n for n in image_only if n not in ocr]
    fact_pages: dict[str, int] = {}

    def seen(name: str, page: int | None) -> None:
        if page is not None:
            fact_pages[name] = page
        elif name in ("period_start", "period_end"):
            fact_pages.pop(name, None)

    kind, page = _report_kind(pages)
    seen("report", page)
    report_type, page = _report_type(pages, kind)
    seen("type", page)
    # A UK or European report writes 03/04/2025 for 3 April: the whole report says which way its numbers go.
    day_first = numbers_are_day_first(pages)
    period_start, period_end, as_of = _dates(pages, report_type, seen, day_first)
    report = auditor_report_pages(pages, image_only)
    auditor, auditor_source, page = find_auditor(pages, report, metadata, _AUDITOR_HEADING)
    if page in ocr:
        auditor_source = "ocr"
    seen("service_auditor", page)
    report_date, page = find_report_date(pages, report, period_end or as_of, day_first)
    seen("report_date", page)
    opinion = classify_opinion(pages, [n for n in report if n not in unread])
    if opinion:
        seen("opinion", opinion.page)
    categories, page = _categories(pages, kind)
    seen("categories", page)
    subservice, cuecs, exceptions = subservice_organizations(pages, report), find_cuecs(pages), \
        find_exceptions(pages)
    for name, located in (("subservice_organizations", subservice), ("cuecs", cuecs), ("exceptions", exceptions)):
        if located:
            seen(name, located[0].page or 0)
    warnings = [*_ocr_warning(fact_pages, sorted(ocr)), *notes,
                *_warnings(kind, auditor, auditor_source, [n for n in report if n in unread])]
    return ReportFacts(
        report=kind, type=report_type, standard=_standards(pages), period_start=period_start, period_end=period_end,
        as_of=as_of, service_auditor=auditor, service_auditor_source=auditor_source, report_date=report_date,
        opinion=opinion.opinion if opinion else None, categories=categories, subservice_organizations=subservice,
        cuecs=cuecs, exceptions=exceptions, pages=len(pages), fact_pages=fact_pages,
        image_only_pages=tuple(image_only), warnings=tuple(warnings), ocr_pages=tuple(sorted(ocr)),
        fact_sources={name: "ocr" for name, page in fact_pages.items() if page in ocr},
    )


def looks_like_soc_report(pages: Sequence[str]) -> bool:
    """Whether the text reads as a SOC report at all.

    A report kind or ISAE 3402 must be named, and an auditor's report or a period of controls mentioned.
    """
    head = "\n".join(pages[:COVER_PAGES])
    named = bool(_SOC.search(head) or _SOC_FOR.search(head) or _SOC1_STANDARD.search(head) or _SSAE_18.search(head)
                 or (_SOC2_STANDARD.search(head) and _TRUST_CRITERIA.search(head)))
    if not named:
        return False
    body = "\n".join(pages[:20])
    return bool(_AUDITOR_HEADING.search(body) or re.search(r"\bcontrols?\b", body, re.IGNORECASE)
                or DATE_RE.search(head))
