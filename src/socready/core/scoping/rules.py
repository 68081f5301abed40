"""The report and category rules.

SOC 1 for a role in customers' financial reporting, SOC 2 for entrusted data, and the SOC 2 categories that
the organization's commitments make relevant.
"""

from __future__ import annotations

from socready.core.scoping.facts import Fact, Facts, Reason

_ICFR = "the service is part of customers' internal control over financial reporting: "
SOC1_BECAUSE: dict[str, str] = {
    "payroll": "payroll results become customers' salary expense, tax liabilities and cash movements",
    "payment-processing": "payments the service moves become customers' cash, receivable and payable entries",
    "billing-invoicing": "usage and invoices the service computes become customers' revenue and receivables",
    "claims": "claims the service adjudicates and pays become customers' claims expense and liabilities",
    "accounting-erp": "the service keeps customers' books, the ledger their statements are drawn from",
    "tax-calculation": "tax the service calculates becomes customers' tax expense and liabilities",
    "investment-fund-administration": "valuations, NAV and investor balances the service computes appear in "
    "the funds' financial statements",
    "lending": "loan balances, interest and payments the service records become customers' assets and income",
    "revenue-recognition": "the service decides when and how much revenue customers recognize",
    "financial-data-feeds": "prices and rates the service supplies drive valuations in customers' statements",
}
SOC2_BECAUSE: dict[str, str] = {
    "personal": "customers entrust personal information about people to the service",
    "health": "customers entrust health information, among the most sensitive data they hold",
    "cardholder": "payment card data sits in the service's custody",
    "financial-records": "customers entrust financial records to the service",
    "confidential-business": "customers entrust confidential business information to the service",
    "customer-content": "customers store or process their own data in the service",
    "credentials": "the service holds credentials that open customers' systems",
}
_SOC2_REPORTS = ("SOC 2", "SOC 3", "ISAE 3000")
_PERSONAL = ("personal", "health")


def decide_soc1(facts: Facts) -> tuple[bool, tuple[Reason, ...], float]:
    """SOC 1 when the service is part of customers' internal control over financial reporting."""
    reasons = [Reason.on("SOC 1", f, _ICFR + SOC1_BECAUSE[f.value]) for f in facts.financial_impact]
    for ask in facts.asks:
        if ask.report in ("SOC 1", "ISAE 3402"):
            reasons.append(
                Reason.on(
                    "SOC 1",
                    ask.fact,
                    "a prospect asked for a report on controls over "
                    "financial reporting; its auditors will rely on it",
                )
            )
    if reasons:
        return True, tuple(reasons), max(r.confidence for r in reasons)
    if facts.financial_impact_stated_none:
        fact, confidence = Fact("financial_impact: none", "none"), 1.0
    elif facts.financial_impact_ruled_out:
        ruled = facts.financial_impact_ruled_out[0]
        fact, confidence = Fact(f"{ruled.label} ruled out", "none", 0.9, True, ruled.phrases), 0.9
    else:
        fact = Fact("financial_impact: not stated, none found in the description", "none", 0.6, True)
        confidence = 0.6 if facts.described else 0.4
    because = (
        "nothing shows the service initiating, recording, processing or reporting transactions that "
        "reach customers' financial statements"
    )
    return (
        False,
        (Reason("no SOC 1", fact.label, because, confidence, fact.inferred, fact.phrases),),
        confidence,
    )


def decide_soc2(facts: Facts, soc1: bool, soc3: Reason | None) -> tuple[bool, tuple[Reason, ...], float]:
    """SOC 2 when customers entrust data to the service (or ask for it, or a SOC 3 is wanted)."""
    reasons = [Reason.on("SOC 2", f, SOC2_BECAUSE[f.value]) for f in facts.data]
    for ask in facts.asks:
        if ask.report in _SOC2_REPORTS:
            reasons.append(
                Reason.on(
                    "SOC 2",
                    ask.fact,
                    f"a prospect asked for {ask.report}, which rests on "
                    "an examination against the Trust Services Criteria",
                )
            )
    if not facts.data and not facts.data_stated_none and facts.financial_impact:
        base = facts.financial_impact[0]
        implied = Fact(base.label, base.value, round(base.confidence * 0.8, 2), True, base.phrases)
        reasons.append(
            Reason.on(
                "SOC 2",
                implied,
                "a service with a role in customers' financial reporting "
                "also holds their financial and personal records, which customers' security "
                "teams assess separately",
            )
        )
    if facts.uptime and not reasons:
        reasons.append(
            Reason.on(
                "SOC 2",
                facts.uptime[0],
                "customers depend on the service staying up, a commitment a SOC 2 reports on",
            )
        )
    if soc3 is not None:
        reasons.append(
            Reason(
                soc3.conclusion.replace("SOC 3", "SOC 2"),
                soc3.fact,
                "a SOC 3 is issued from a SOC 2 examination",
                soc3.confidence,
                soc3.inferred,
            )
        )
    if reasons:
        return True, tuple(reasons), max(r.confidence for r in reasons)
    if facts.data_stated_none:
        return (
            False,
            (Reason("no SOC 2", "data: none", "the profile says customers entrust no data to the service"),),
            1.0,
        )
    if soc1:
        because = "nothing shows customers entrusting data beyond what the SOC 1 covers"
        return (
            False,
            (Reason("no SOC 2", "data: not stated, none found in the description", because, 0.6, True),),
            0.6,
        )
    # With no facts either way, SOC 2 is what business customers ask service organizations for first.
    confidence = 0.4 if facts.described else 0.3
    return (
        True,
        (
            Reason(
                "SOC 2",
                "no financial-reporting role and no data stated",
                "business customers ask "
                "most service organizations for a SOC 2 first; add details to the profile to confirm",
                confidence,
                True,
            ),
        ),
        confidence,
    )


def decide_categories(facts: Facts) -> tuple[tuple[str, ...], tuple[Reason, ...], float]:
    """Security always; the other categories when the organization's commitments make them relevant."""
    reasons = [
        Reason(
            "Security",
            "every SOC 2 report",
            "the common criteria (Security) are part of every SOC 2 examination",
        )
    ]
    asked = {c: a for a in facts.asks for c in a.categories}
    for category, ask in asked.items():
        if category != "Security":
            reasons.append(Reason.on(category, ask.fact, f"a prospect asked for {category} in the SOC 2"))
    for fact in facts.uptime[:1]:
        reasons.append(
            Reason.on(
                "Availability",
                fact,
                "the organization commits to keeping the system "
                "available, and Availability reports on that commitment",
            )
        )
    for fact in facts.processing:
        reasons.append(
            Reason.on(
                "Processing Integrity",
                fact,
                "the organization commits to processing that "
                "is complete, accurate and timely, which Processing Integrity reports on",
            )
        )
    reasons.extend(_confidentiality(facts))
    reasons.extend(_privacy(facts))
    chosen = {r.conclusion for r in reasons}
    categories = tuple(
        c
        for c in ("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy")
        if c in chosen
    )
    scores = [max(r.confidence for r in reasons if r.conclusion == c) for c in categories]
    return categories, tuple(reasons), round(sum(scores) / len(scores), 2)


def _confidentiality(facts: Facts) -> list[Reason]:
    out = [
        Reason.on(
            "Confidentiality",
            f,
            "the organization has committed to keep customers' information "
            "confidential (contract or NDA), which Confidentiality reports on",
        )
        for f in facts.confidentiality[:1]
    ]
    out += [
        Reason.on(
            "Confidentiality",
            f,
            "customers' confidential business information is held under "
            "their contracts' confidentiality terms",
        )
        for f in facts.data
        if f.value == "confidential-business"
    ]
    personal = [f for f in facts.data if f.value in _PERSONAL]
    if personal and facts.processor:
        out.append(
            Reason.on(
                "Confidentiality",
                facts.processor[0],
                "personal data held on customers' behalf "
                "is their confidential information under the processing agreement",
            )
        )
    return out


def _privacy(facts: Facts) -> list[Reason]:
    personal = [f for f in facts.data if f.value in _PERSONAL]
    out = [
        Reason.on(
            "Privacy",
            f,
            "the organization gives individuals a privacy notice and so answers to "
            "them for how their personal information is used",
        )
        for f in facts.privacy_notice[:1]
    ]
    if personal and facts.controller and not facts.privacy_notice_stated_false:
        out.append(
            Reason.on(
                "Privacy",
                facts.controller[0],
                "the organization collects personal information "
                "directly from individuals, so the Privacy criteria on notice, choice and "
                "access apply",
            )
        )
    if personal and not out:
        basis = facts.processor[0] if facts.processor else personal[0]
        out.append(
            Reason.on(
                "no Privacy",
                basis,
                "the personal data comes from customers, who deal with the "
                "individuals; as their processor the organization is usually covered by "
                "Security and Confidentiality rather than Privacy",
            )
        )
    return out
