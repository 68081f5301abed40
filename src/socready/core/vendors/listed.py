"""What a SOC report lists: subservice organizations and their method, CUECs, and the exceptions of its tests.

Subservice organizations are named in the auditor's report, in prose ("X uses Y for hosting services
(subservice organization)") or in a table whose rows end with the method. CUECs follow a heading (its wording
varies) as numbered items, bullets or sentences whose subject is the user entity. An exception is a test
result saying "exception noted" or "deviation noted"; "no exceptions noted" is not one. Patterns run on one
line or one bounded passage at a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from socready.core.vendors.facts import Located, Subservice

_USES = re.compile(r"\buses\s+(?P<list>.{3,600}?)\s*\((?:the\s+)?(?P<inclusive>inclusive\s+)?subservice"
                   r"\s+organi[sz]ations?\)", re.IGNORECASE | re.DOTALL)
# A name may hold its legal form after a comma ("Stripe, Inc."); items are otherwise split at commas.
_LEGAL_TAIL = r",\s*(?:Inc|LLC|L\.L\.C|Ltd|Limited|Co|Corp|LLP|plc|GmbH|N\.V|B\.V|S\.A|AG)\b\.?"
_USE_ITEM = re.compile(rf"(?P<name>[A-Z0-9](?:{_LEGAL_TAIL}|[^,;])*?)\s+(?:for|to provide)\s+(?P<service>[^,;]+?)"
                       r"\s+services?\b", re.DOTALL)
_INCLUSIVE = re.compile(r"\binclusive\s+method\b|\bpresented\s+using\s+the\s+inclusive\b|\bincluded?s?\s+the\s+"
                        r"(?:relevant\s+)?controls\s+of\b|\bincluded\s+in\s+the\s+scope\b", re.IGNORECASE)
_CARVE_OUT = re.compile(r"\bcarve[- ]out\b|\bcarved[- ]out\b|\bdid not include the services provided by the "
                        r"subservice|\bexcluded\s+from\s+the\s+scope\b|\bdoes not (?:disclose|include) the actual "
                        r"controls", re.IGNORECASE)
# "X uses Amazon Web Services (AWS), a subservice organization, to provide cloud hosting services."
_USES_ONE = re.compile(rf"\buses\s+(?P<name>[A-Z](?:{_LEGAL_TAIL}|[^,;()\n]){{1,80}}?)\s*"
                       r"(?:\([^()]{1,40}\)\s*)?,?\s+(?:as\s+)?an?\s+(?P<inclusive>inclusive\s+)?subservice\s+"
                       r"organi[sz]ation,?\s+(?:for|to\s+provide)\s+"
                       r"(?P<service>[^.;]{3,120}?)(?:\s+services?)?[.;]", re.IGNORECASE)
_TABLE_HEAD = re.compile(r"\bsubservice\s+organi[sz]ations?\b", re.IGNORECASE)
_TABLE_ROW = re.compile(r"(?P<row>\S.*?)\s+(?P<method>carve[- ]?outs?|carved[- ]out|inclusive|excluded|included)\.?",
                        re.IGNORECASE)
MAX_ROW = 160
_CUEC_HEADING = re.compile(
    r"^\s*(?:[A-Z]\.\s*|\d+(?:\.\d+)*\.?\s*|section \w+[:.]?\s*)?(?:complementary\s+user\s+entity\s+controls?"
    r"(?:\s+considerations)?|user\s+entity\s+(?:responsibilities|control\s+considerations))\s*(?:\(CUECs?\))?\s*$",
    re.IGNORECASE | re.MULTILINE)
_NUMBERED = re.compile(r"^\s*(?:CUEC[- ]?)?(\d{1,3})[.)]?\s+(?=[A-Z])", re.MULTILINE)
_SECTION_END = re.compile(r"^\s*(?:[A-Z]\.|section\s+\w+|[IVX]+\.)\s+[A-Z]|proprietary and confidential|^\s*\d+\s*$"
                          r"|^[^\n]*\|\s*\d+\s*$|^\s*page\s+\d+(?:\s+of\s+\d+)?\s*$", re.IGNORECASE | re.MULTILINE)
_BULLET = re.compile(r"^\s*[\u2022\u25cf\u25aa\u25e6\u2023\u2043\uf0b7\uf0a7\uf0d8\u27a2\u2013*-]\s*")
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z])")
# Without numbers or bullets, a CUEC is a sentence about what the user entity (customer, client) does.
_USER_SUBJECT = re.compile(r"^(?:the\s+)?(?:user\s+entit(?:y|ies)|customers?|clients?|subscribers?)\b(?!.*\b(?:"
                           r"following|below|listed)\b)", re.IGNORECASE)
_EXCEPTION = re.compile(r"\b(?:exceptions?|deviations?) noted(?:\s*[:.\u2013\u2014-]\s*(?P<what>\S.*)|\s*\.?\s*$)",
                        re.IGNORECASE)
_CONTROL_ID = re.compile(r"^\s*([A-Z]{1,4}\d+(?:\.\d+)+|[A-Z]{1,4}-\d+(?:\.\d+)*|\d+(?:\.\d+)+)\s")
_NO_EXCEPTION = re.compile(r"\bno\s+(?:relevant\s+)?(?:exceptions?|deviations?) noted\b", re.IGNORECASE)
_NO_BEFORE = re.compile(r"\bno(?:\s+relevant)?\s*$", re.IGNORECASE)
_NOTHING = re.compile(r"^(?:none|n/?a)\b", re.IGNORECASE)


def _method(text: str, inclusive_named: bool) -> str:
    inclusive = inclusive_named or bool(_INCLUSIVE.search(text))
    return "inclusive" if inclusive and not _CARVE_OUT.search(text) else "carve-out"


def _from_prose(text: str, number: int) -> tuple[Subservice, ...]:
    match = _USES.search(text)
    if not match:
        return ()
    listed = " ".join(match.group("list").split())
    method = _method(text, bool(match.group("inclusive")))
    found = []
    for item in _USE_ITEM.finditer(listed):
        name = re.sub(r"^(?:and|the)\s+", "", item.group("name").strip(), flags=re.IGNORECASE)
        found.append(Subservice(name=name, method=method, service=item.group("service").strip(), page=number))
    return tuple(found)


def _from_sentences(text: str, number: int) -> tuple[Subservice, ...]:
    """Subservice organizations each named in its own sentence ("uses X, a subservice organization, to ...")."""
    found = []
    for match in _USES_ONE.finditer(" ".join(text.split())):
        method = _method(text, bool(match.group("inclusive")))
        found.append(Subservice(name=match.group("name").strip(), method=method,
                                service=" ".join(match.group("service").split()), page=number))
    return tuple(found)


def _split_row(row: str) -> tuple[str, str]:
    """A table row's name and service, read from its cells run together.

    The service starts at the capitalised word before the first lower-case one ("Rackspace US, Inc. Data center
    hosting"), else it is the last word.
    """
    words = row.split()
    lower = next((i for i, w in enumerate(words) if i > 1 and w[:1].islower()), None)
    cut = lower - 1 if lower is not None else len(words) - 1
    if cut < 1:
        return row, ""
    return " ".join(words[:cut]), " ".join(words[cut:])


def _from_table(text: str, number: int) -> tuple[Subservice, ...]:
    """Rows under a header naming subservice organizations, each ending with its method."""
    lines = text.splitlines()
    head = next((i for i, line in enumerate(lines) if _TABLE_HEAD.search(line) and len(line) <= MAX_ROW), None)
    if head is None:
        return ()
    found: list[Subservice] = []
    for index, line in enumerate(lines[head + 1:]):
        match = _TABLE_ROW.fullmatch(line.strip()) if len(line) <= MAX_ROW else None
        # The rows follow the header (its cells may wrap over a line or two) and end at the first other line.
        if not match and (found or index >= 3):
            break
        if not match:
            continue
        name, service = _split_row(match.group("row"))
        method = "inclusive" if match.group("method").lower().startswith("incl") else "carve-out"
        found.append(Subservice(name=name, method=method, service=service, page=number))
    return tuple(found)


def subservice_organizations(pages: Sequence[str], report: Sequence[int]) -> tuple[Subservice, ...]:
    """The subservice organizations, read first from the auditor's report pages, then from the rest."""
    order = list(report) + [n for n in range(1, len(pages) + 1) if n not in report]
    for number in order:
        text = pages[number - 1]
        found = _from_prose(text, number) or _from_sentences(text, number) or _from_table(text, number)
        if found:
            return found
    return ()


def _section(text: str) -> str:
    stop = _SECTION_END.search(text)
    return text[:stop.start()] if stop else text


def _numbered_items(text: str) -> list[str]:
    starts = list(_NUMBERED.finditer(text))
    items = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        items.append(" ".join(_section(text[match.end():end]).split()))
    return [i for i in items if len(i) > 8]


def _bulleted_items(text: str) -> list[str]:
    """Items that start with a bullet, else sentences whose subject is the user entity."""
    body = _section(text)
    lines = body.splitlines()
    if any(_BULLET.match(line) and len(line.strip()) > 8 for line in lines):
        items: list[list[str]] = []
        for line in lines:
            if _BULLET.match(line):
                items.append([_BULLET.sub("", line)])
            elif items:
                items[-1].append(line)
        return [t for t in (" ".join(" ".join(i).split()) for i in items) if len(t) > 8]
    plain = " ".join(_BULLET.sub("", line) for line in lines)
    return [s.strip() for s in _SENTENCE_END.split(" ".join(plain.split())) if _USER_SUBJECT.match(s.strip())]


def cuecs(pages: Sequence[str]) -> tuple[Located, ...]:
    """The complementary user entity controls after their heading, with their page."""
    # The section heading may also appear in a table of contents: take the last heading that lists items.
    for number in range(len(pages), 0, -1):
        text = pages[number - 1]
        headings = list(_CUEC_HEADING.finditer(text))
        if not headings:
            continue
        body = text[headings[-1].end():]
        found = [Located(item, number) for item in (_numbered_items(body) or _bulleted_items(body))]
        if found:
            return tuple(found)
    return ()


def _exception_at(lines: Sequence[str], index: int) -> str | None:
    """The exception a result line states, its wrapped rest joined, or None when the line states none."""
    line = lines[index]
    match = _EXCEPTION.search(line)
    before = line[:match.start()] if match else ""
    previous = lines[index - 1] if index else ""
    if not match or _NO_EXCEPTION.search(line) or _NO_BEFORE.search(before) or (
            not before.strip() and _NO_BEFORE.search(previous)):
        return None
    what = (match.group("what") or "").strip()
    # A bare "Exception noted" must open its cell (or follow a sentence): a heading "Response to Exceptions Noted"
    # is no result.
    if not what and before.strip() and not before.rstrip().endswith((".", ":", ";")):
        return None
    for following in lines[index + 1:index + 4]:
        if what.endswith((".", ";")) or _CONTROL_ID.match(following) or _EXCEPTION.search(following):
            break
        what = f"{what} {following.strip()}".strip()
    if _NOTHING.match(what):
        return None
    return what or match.group(0).strip().rstrip(".")


def exceptions(pages: Sequence[str]) -> tuple[Located, ...]:
    """Results saying "exception noted", with the wrapped rest of the cell and the row's control id.

    A test table's result cell wraps over several lines; its text runs until the sentence ends. The control id
    is the nearest line above that starts with one (CC8.1, A1.2, CO-3, 4.1 ...).
    """
    found = []
    for number, text in enumerate(pages, start=1):
        lines = text.splitlines()
        for index in range(len(lines)):
            what = _exception_at(lines, index)
            if what is None:
                continue
            control = next((m.group(1) for m in (_CONTROL_ID.match(x) for x in reversed(lines[:index + 1])) if m), "")
            found.append(Located(f"{control}: {what}" if control else what, number))
    return tuple(found)
