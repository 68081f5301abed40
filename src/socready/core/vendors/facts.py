"""The facts read from a vendor's SOC report, each with the page it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

REPORTS = ("SOC 1", "SOC 2", "SOC 3")
TYPES = ("Type I", "Type II")
OPINIONS = ("unqualified", "qualified", "adverse", "disclaimer")
METHODS = ("carve-out", "inclusive")

# The facts a reviewer confirms one by one, in the order the review screen shows them.
FACT_NAMES = ("report", "type", "standard", "period_start", "period_end", "as_of", "service_auditor",
              "report_date", "opinion", "categories", "subservice_organizations", "cuecs", "exceptions")


@dataclass(frozen=True)
class Subservice:
    """A subservice organization the report names, and how the report treats it."""

    name: str
    method: str  # carve-out | inclusive
    service: str = ""
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: name, method, service and page."""
        return {"name": self.name, "method": self.method, "service": self.service, "page": self.page}


@dataclass(frozen=True)
class Located:
    """A piece of text found in the report and its page (1-based)."""

    text: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: text and page."""
        return {"text": self.text, "page": self.page}


@dataclass(frozen=True)
class ReportFacts:
    """What a SOC report says about itself; ``None`` or empty where the report does not say it."""

    report: str | None = None  # SOC 1 | SOC 2 | SOC 3
    type: str | None = None  # Type I | Type II; None for a SOC 3, which has no type
    standard: str = ""  # the attestation standards named: "SSAE 18", "ISAE 3402", "ISAE 3000" joined by "; "
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    as_of: dt.date | None = None
    service_auditor: str | None = None
    service_auditor_source: str = ""  # text | ocr | metadata: where the firm's name was found
    report_date: dt.date | None = None
    opinion: str | None = None
    categories: tuple[str, ...] = ()
    subservice_organizations: tuple[Subservice, ...] = ()
    cuecs: tuple[Located, ...] = ()
    exceptions: tuple[Located, ...] = ()
    pages: int = 0
    fact_pages: dict[str, int] = field(default_factory=dict)  # fact name -> page it was read from
    image_only_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # image-only pages whose text was read by OCR
    fact_sources: dict[str, str] = field(default_factory=dict)  # fact name -> "ocr" when read from an OCR page

    def to_dict(self) -> dict[str, Any]:
        """The facts as JSON: the keys of ``socready vendor read --json``, dates in ISO form.

        Also where each fact was found (``fact_pages``), the pages with no text and what the reader could
        not settle.
        """
        def iso(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "report": self.report,
            "type": self.type,
            "period_start": iso(self.period_start),
            "period_end": iso(self.period_end),
            "as_of": iso(self.as_of),
            "service_auditor": self.service_auditor,
            "report_date": iso(self.report_date),
            "opinion": self.opinion,
            "categories": list(self.categories),
            "subservice_organizations": [s.to_dict() for s in self.subservice_organizations],
            "cuecs": [c.to_dict() for c in self.cuecs],
            "exceptions": [e.to_dict() for e in self.exceptions],
            "pages": self.pages,
            "standard": self.standard,
            "service_auditor_source": self.service_auditor_source,
            "fact_pages": dict(self.fact_pages),
            "image_only_pages": list(self.image_only_pages),
            "warnings": list(self.warnings),
            "ocr_pages": list(self.ocr_pages),
            "fact_sources": dict(self.fact_sources),
        }


def facts_from_dict(data: dict[str, Any]) -> ReportFacts:
    """Rebuild facts from ``ReportFacts.to_dict()`` output (as stored with a review)."""
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return ReportFacts(
        report=data.get("report"), type=data.get("type"), standard=data.get("standard", ""),
        period_start=day(data.get("period_start")), period_end=day(data.get("period_end")),
        as_of=day(data.get("as_of")), service_auditor=data.get("service_auditor"),
        service_auditor_source=data.get("service_auditor_source", ""), report_date=day(data.get("report_date")),
        opinion=data.get("opinion"), categories=tuple(data.get("categories", ())),
        subservice_organizations=tuple(Subservice(s["name"], s["method"], s.get("service", ""), s.get("page"))
                                       for s in data.get("subservice_organizations", ())),
        cuecs=tuple(Located(c["text"], c.get("page")) for c in data.get("cuecs", ())),
        exceptions=tuple(Located(e["text"], e.get("page")) for e in data.get("exceptions", ())),
        pages=int(data.get("pages", 0)), fact_pages=dict(data.get("fact_pages", {})),
        image_only_pages=tuple(data.get("image_only_pages", ())), warnings=tuple(data.get("warnings", ())),
        ocr_pages=tuple(data.get("ocr_pages", ())), fact_sources=dict(data.get("fact_sources", {})),
    )
