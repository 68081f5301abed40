"""Around the main decision: who reads each report, SOC 3, ISAE, subservice organizations and CUECs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socready.core.scoping.facts import Fact, Facts, Reason

AUDIENCES: dict[str, tuple[str, ...]] = {
    "SOC 1": (
        "user entities' controllers and finance teams",
        "user entities' external auditors",
        "internal audit at user entities",
    ),
    "SOC 2": (
        "customers' security teams",
        "procurement and vendor-risk teams",
        "risk and compliance officers",
        "prospects under NDA",
    ),
    "SOC 3": ("anyone: prospects, the public, the organization's own website visitors",),
}

_HYPERSCALERS = ("aws", "amazon", "azure", "microsoft", "google", "gcp", "oracle", "ibm cloud")

# Controls a subservice organization is expected to run, by the kind of service it provides.
_CSOCS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("hosting", "cloud", "infrastructure", "iaas", "paas", "data center", "colocation"),
        (
            "physical access to data centers is restricted to authorized people",
            "environmental protections (power, cooling, fire suppression) are maintained",
            "hardware and storage media are securely decommissioned",
            "the underlying network and virtualization layer is protected and monitored",
        ),
    ),
    (
        ("payment", "processor", "acquir", "gateway", "bank"),
        (
            "payment instructions received are processed completely and accurately",
            "settlement with card networks and banks is reconciled",
            "cardholder data in its custody is protected to PCI DSS",
        ),
    ),
    (
        ("tax", "payroll"),
        (
            "tax rates and rules are kept current in its calculation engine",
            "tax deposits and filings it makes are complete, accurate and on time",
        ),
    ),
    (
        ("warehouse", "database", "storage", "backup"),
        (
            "stored data is replicated and backups are protected",
            "access to the underlying storage is restricted to authorized people",
        ),
    ),
    (
        ("identity", "sso", "authentication"),
        (
            "authentication services are available and protected against compromise",
            "changes to identity service configuration are controlled",
        ),
    ),
    (
        ("mail", "communications", "sms", "print"),
        ("messages are delivered to the intended recipients and not disclosed",),
    ),
)
_GENERIC_CSOCS = ("the vendor's own access, change and operations controls over the service it provides",)


@dataclass(frozen=True)
class SubserviceAdvice:
    """How to treat one subservice organization in the report, and the CSOCs to expect from it."""

    name: str
    service: str
    method: str
    why: str
    csocs: tuple[str, ...]
    monitoring: tuple[str, ...]


def audiences(soc1: bool, soc2: bool, soc3: bool) -> dict[str, tuple[str, ...]]:
    """Who reads each recommended report."""
    chosen = [name for name, on in (("SOC 1", soc1), ("SOC 2", soc2), ("SOC 3", soc3)) if on]
    return {name: AUDIENCES[name] for name in chosen}


def subservice_advice(facts: Facts) -> tuple[tuple[SubserviceAdvice, ...], tuple[Reason, ...]]:
    """Carve-out or inclusive for each subservice organization, with the CSOCs to expect."""
    advice, reasons = [], []
    for name, service, method, fact in facts.subservices:
        big = any(h in name.lower() for h in _HYPERSCALERS)
        if method:
            why = f"the profile chose the {method} method"
        elif big:
            method, why = (
                "carve-out",
                (
                    "large cloud providers publish their own SOC reports and do not take "
                    "part in customers' examinations, so their controls are carved out"
                ),
            )
        else:
            method, why = (
                "carve-out",
                (
                    "carve-out is the usual choice; inclusive needs the vendor to accept "
                    "testing by your auditor and to give its own written assertion"
                ),
            )
        if method == "inclusive":
            why += "; the vendor's controls will be described and tested in your report"
        advice.append(
            SubserviceAdvice(name, service or "not given", method, why, _csocs(service), _monitoring(method))
        )
        reasons.append(Reason.on(f"{name}: {method}", fact, why))
    return tuple(advice), tuple(reasons)


def _csocs(service: str) -> tuple[str, ...]:
    found: list[str] = []
    for keys, controls in _CSOCS:
        # Word starts only: "processor" must not match the "sso" of single sign-on.
        if any(re.search(rf"\b{re.escape(k)}", service, re.IGNORECASE) for k in keys):
            found.extend(controls)
    return tuple(dict.fromkeys(found)) or _GENERIC_CSOCS


def _monitoring(method: str) -> tuple[str, ...]:
    if method == "inclusive":
        return ("agree the scope and testing access with the vendor", "obtain the vendor's written assertion")
    return (
        "obtain and review the vendor's SOC report every year, including its CUECs",
        "map the vendor's CUECs to your own controls",
        "track the vendor against its SLA and contract",
    )


def cuecs(facts: Facts, soc1: bool, soc2: bool) -> tuple[str, ...]:
    """Typical complementary user entity controls the report will ask customers to operate."""
    out = [
        "customers grant, review and remove their own users' access to the service",
        "customers keep their credentials and API keys secret and enable the offered MFA or SSO",
        "customers tell the organization promptly about security incidents or suspected misuse",
        "customers keep their administrative contacts current",
    ]
    kinds = facts.kinds(facts.financial_impact)
    if soc1:
        out.append("customers review output reports and reconcile them to their own records")
        out.append("customers approve the transactions and master data they submit before sending them")
    if "payroll" in kinds:
        out.append("customers submit complete and accurate employee changes before each payroll cut-off")
    if "payment-processing" in kinds:
        out.append("customers authorize payment instructions and reconcile settlement reports")
    if "claims" in kinds:
        out.append("customers give accurate plan and eligibility data and review adjudication reports")
    if soc2 and facts.kinds(facts.data) & {"personal", "health"}:
        out.append("customers have a lawful basis and give notice for personal data they send to the service")
    return tuple(out)


def soc3_reason(facts: Facts) -> Reason | None:
    """A SOC 3 is worth it when the organization wants a report it may publish."""
    asked = [a for a in facts.asks if a.report == "SOC 3"]
    if facts.public_trust:
        return Reason.on(
            "SOC 3",
            facts.public_trust[0],
            "a SOC 3 is a general-use summary of the same SOC 2 examination that can be "
            "published on a website; it rests on a SOC 2 Type II",
        )
    if asked:
        return Reason.on("SOC 3", asked[0].fact, "a prospect asked for a SOC 3, the general-use report")
    return None


def isae_advice(facts: Facts, soc1: bool) -> tuple[tuple[dict[str, str], ...], tuple[Reason, ...]]:
    """ISAE 3402 / ISAE 3000 when customers outside the US ask for them (or are likely to)."""
    advice: list[dict[str, str]] = []
    reasons: list[Reason] = []
    for standard, counterpart in (("ISAE 3402", "SOC 1"), ("ISAE 3000", "SOC 2")):
        asked = [a for a in facts.asks if a.report == standard]
        if asked:
            advice.append({"standard": standard, "counterpart": counterpart, "status": "recommended"})
            reasons.append(
                Reason.on(
                    standard,
                    asked[0].fact,
                    f"a customer asked for {standard}, the international standard used "
                    f"alongside {counterpart}; one examination can be reported under both",
                )
            )
            continue
        abroad = _outside_us(facts.regions)
        # Non-US buyers of SOC 2-type assurance mostly accept SOC 2 or ISO 27001; only the SOC 1
        # counterpart is commonly demanded unasked, by European user auditors.
        if abroad and soc1 and standard == "ISAE 3402":
            advice.append({"standard": standard, "counterpart": counterpart, "status": "consider"})
            reasons.append(
                Reason.on(
                    f"{standard} (consider)",
                    abroad,
                    f"customers outside the US, and their auditors, often ask for {standard} "
                    f"instead of {counterpart}; ask them before engaging the auditor",
                )
            )
    return tuple(advice), tuple(reasons)


def _outside_us(regions: list[Fact]) -> Fact | None:
    return next((r for r in regions if r.value.upper() not in {"US", "USA", "UNITED STATES"}), None)
