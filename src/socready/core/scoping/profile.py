"""The scoping profile: what a service organization tells socready about itself (read by ``profile_reader``).

Every field is optional. A field left out is ``None`` (not known) so the scoping engine can tell "not
stated" apart from "stated as empty", and fill the gap from the free-text description instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FINANCIAL_IMPACTS: tuple[str, ...] = (
    "payroll",
    "payment-processing",
    "billing-invoicing",
    "claims",
    "accounting-erp",
    "tax-calculation",
    "investment-fund-administration",
    "lending",
    "revenue-recognition",
    "financial-data-feeds",
)
DATA_KINDS: tuple[str, ...] = (
    "personal",
    "health",
    "cardholder",
    "financial-records",
    "confidential-business",
    "customer-content",
    "credentials",
)
PERSONAL_DATA_ROLES: tuple[str, ...] = ("controller", "processor", "both")
REPORTS: tuple[str, ...] = (
    "SOC 1",
    "SOC 2",
    "SOC 3",
    "ISAE 3402",
    "ISAE 3000",
    "ISO 27001",
    "HITRUST",
    "PCI DSS",
)
REPORT_TYPES: tuple[str, ...] = ("Type I", "Type II")
SUBSERVICE_METHODS: tuple[str, ...] = ("carve-out", "inclusive")

TOP_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "services",
    "financial_impact",
    "data",
    "personal_data_role",
    "commitments",
    "customers",
    "prospect_asks",
    "deadlines",
    "controls_operating_since",
    "existing_reports",
    "wants_public_trust_signal",
    "subservice_organizations",
)
COMMITMENT_FIELDS: tuple[str, ...] = (
    "uptime_sla_percent",
    "processing_accuracy",
    "processing_timeliness",
    "confidentiality",
    "privacy_notice",
)


@dataclass(frozen=True)
class Service:
    """One service the organization offers, in its own words."""

    name: str
    does: str


@dataclass(frozen=True)
class Commitments:
    """What the organization promises customers; each field is None when the profile does not say."""

    uptime_sla_percent: float | None = None
    processing_accuracy: bool | None = None
    processing_timeliness: bool | None = None
    confidentiality: bool | None = None
    privacy_notice: bool | None = None


@dataclass(frozen=True)
class Customers:
    """Who the customers are: industries, regions (US, EU, UK, APAC ...) and segments."""

    industries: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None
    segments: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ProspectAsk:
    """A report a prospect or customer asked for; ``text`` keeps the original words of a free-text ask."""

    source: str
    report: str | None = None
    type: str | None = None
    categories: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A date by which a report is needed, and what needs it."""

    what: str
    date: dt.date


@dataclass(frozen=True)
class Subservice:
    """A vendor whose controls the organization relies on (cloud host, payment processor ...)."""

    name: str
    service: str
    method: str | None = None


@dataclass(frozen=True)
class Profile:
    """Everything the organization stated about itself; None means the profile is silent on that field."""

    name: str | None = None
    description: str | None = None
    services: tuple[Service, ...] = ()
    financial_impact: tuple[str, ...] | None = None
    data: tuple[str, ...] | None = None
    personal_data_role: str | None = None
    commitments: Commitments = Commitments()
    customers: Customers = Customers()
    prospect_asks: tuple[ProspectAsk, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    controls_operating_since: dt.date | None = None
    existing_reports: tuple[str, ...] = ()
    wants_public_trust_signal: bool | None = None
    subservice_organizations: tuple[Subservice, ...] = ()
    source: str = "<profile>"

    def free_text(self) -> str:
        """All the prose in the profile (description and what each service does), for inference."""
        parts = [self.description or ""]
        parts.extend(f"{s.name}: {s.does}" for s in self.services)
        return "\n".join(p for p in parts if p.strip())
