"""Gather the facts scoping decides from: what the profile states, and what its free text implies.

A stated field always wins over the description; a field the profile leaves out is filled from the
free text, with the classifier's confidence and the phrases that triggered it, so every reason can say
whether it rests on a statement or on an inference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from socready.core.scoping.inference import Classification, Inference, classify
from socready.core.scoping.profile import Profile, ProspectAsk

# An average month, for turning day counts into the month figures auditors plan in.
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Fact:
    """One fact a reason can rest on: its citation (``field: value``), confidence, and trigger phrases."""

    label: str
    value: str
    confidence: float = 1.0
    inferred: bool = False
    phrases: tuple[str, ...] = ()

    @classmethod
    def of(cls, inference: Inference, label: str | None = None) -> Fact:
        """Wrap an inference from free text as a fact."""
        return cls(
            label or f"description: {inference.label}",
            inference.value,
            inference.confidence,
            True,
            inference.phrases,
        )


@dataclass(frozen=True)
class Reason:
    """Why scoping concluded something: the conclusion, the fact it rests on, and the explanation."""

    conclusion: str
    fact: str
    because: str
    confidence: float = 1.0
    inferred: bool = False
    phrases: tuple[str, ...] = ()

    @classmethod
    def on(cls, conclusion: str, fact: Fact, because: str) -> Reason:
        """A reason resting on one fact, carrying its confidence and trigger phrases."""
        return cls(conclusion, fact.label, because, fact.confidence, fact.inferred, fact.phrases)


@dataclass(frozen=True)
class Ask:
    """A report a prospect asked for, with the source to cite."""

    source: str
    report: str
    type: str | None
    categories: tuple[str, ...]
    fact: Fact


@dataclass
class Facts:
    """Every fact scoping uses, each a list so several facts can back one conclusion."""

    financial_impact: list[Fact] = field(default_factory=list)
    financial_impact_stated_none: bool = False
    financial_impact_ruled_out: list[Fact] = field(default_factory=list)
    data: list[Fact] = field(default_factory=list)
    data_stated_none: bool = False
    controller: list[Fact] = field(default_factory=list)
    processor: list[Fact] = field(default_factory=list)
    uptime: list[Fact] = field(default_factory=list)
    processing: list[Fact] = field(default_factory=list)
    confidentiality: list[Fact] = field(default_factory=list)
    privacy_notice: list[Fact] = field(default_factory=list)
    privacy_notice_stated_false: bool = False
    regions: list[Fact] = field(default_factory=list)
    public_trust: list[Fact] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)
    existing: list[Fact] = field(default_factory=list)
    deadline_months: float | None = None
    deadline: Fact | None = None
    operating_months: float | None = None
    operating: Fact | None = None
    subservices: list[tuple[str, str, str | None, Fact]] = field(default_factory=list)
    inferred: tuple[Inference, ...] = ()
    set_aside: tuple[Inference, ...] = ()
    described: bool = False

    def kinds(self, facts: list[Fact]) -> set[str]:
        """The distinct values among these facts."""
        return {f.value for f in facts}


def gather(profile: Profile, today: dt.date) -> Facts:
    """Merge stated fields and free-text inferences into one set of citable facts."""
    text = profile.free_text()
    found = classify(text) if text else Classification((), ())
    stated = stated_fields(profile)
    facts = Facts(
        inferred=tuple(i for i in found.facts if not _overruled(i, stated)),
        set_aside=tuple(i for i in found.facts if _overruled(i, stated)),
        described=bool(text),
    )
    _financial(profile, found, facts)
    _data(profile, found, facts)
    _commitments(profile, found, facts)
    _context(profile, found, facts)
    _asks(profile, found, facts)
    _timing(profile, found, facts, today)
    _subservices(profile, found, facts)
    return facts


def stated_fields(profile: Profile) -> frozenset[str]:
    """The facts the profile states itself, named as inferences name them; the description cannot change these.

    A yes/no answer counts as stated whichever way it goes; only a field left out (None) is open to the
    description.
    """
    c = profile.commitments
    stated = {
        "financial_impact": profile.financial_impact is not None,
        "data": profile.data is not None,
        "personal_data_role": profile.personal_data_role is not None,
        "commitments: uptime": c.uptime_sla_percent is not None,
        "commitments: processing": c.processing_accuracy is not None or c.processing_timeliness is not None,
        "commitments: confidentiality": c.confidentiality is not None,
        "commitments: privacy_notice": c.privacy_notice is not None,
        "regions": profile.customers.regions is not None,
        "wants_public_trust_signal": profile.wants_public_trust_signal is not None,
        "deadline_months": bool(profile.deadlines),
        "controls_operating_months": profile.controls_operating_since is not None,
        "subservice": bool(profile.subservice_organizations),
    }
    return frozenset(name for name, given in stated.items() if given)


def _overruled(inference: Inference, stated: frozenset[str]) -> bool:
    key = inference.label if inference.fact == "commitments" else inference.fact
    return key in stated


def _financial(profile: Profile, found: Classification, facts: Facts) -> None:
    if profile.financial_impact is not None:
        facts.financial_impact_stated_none = not profile.financial_impact
        facts.financial_impact = [Fact(f"financial_impact: {k}", k) for k in profile.financial_impact]
        return
    facts.financial_impact = [Fact.of(i) for i in found.values("financial_impact")]
    facts.financial_impact_ruled_out = [
        Fact(f"description: {i.label}", i.value, i.confidence, True, i.negated)
        for i in found.ruled_out
        if i.fact == "financial_impact"
    ]


def _data(profile: Profile, found: Classification, facts: Facts) -> None:
    if profile.data is not None:
        facts.data_stated_none = not profile.data
        facts.data = [Fact(f"data: {k}", k) for k in profile.data]
    else:
        facts.data = [Fact.of(i) for i in found.values("data")]
    if profile.personal_data_role is not None:
        role = profile.personal_data_role
        stated = Fact(f"personal_data_role: {role}", role)
        facts.controller = [stated] if role in ("controller", "both") else []
        facts.processor = [stated] if role in ("processor", "both") else []
        return
    facts.controller = [Fact.of(i) for i in found.values("personal_data_role") if i.value == "controller"]
    facts.processor = [Fact.of(i) for i in found.values("personal_data_role") if i.value == "processor"]


def _commitments(profile: Profile, found: Classification, facts: Facts) -> None:
    c = profile.commitments
    if c.uptime_sla_percent is not None:
        facts.uptime = [Fact(f"commitments.uptime_sla_percent: {c.uptime_sla_percent:g}", "uptime")]
    else:
        facts.uptime = _inferred(found, "commitments", "uptime")
    accuracy = [
        Fact(f"commitments.{name}: true", name)
        for name in ("processing_accuracy", "processing_timeliness")
        if getattr(c, name)
    ]
    stated_processing = c.processing_accuracy is not None or c.processing_timeliness is not None
    facts.processing = accuracy if stated_processing else _inferred(found, "commitments", "processing")
    if c.confidentiality is not None:
        facts.confidentiality = (
            [Fact("commitments.confidentiality: true", "nda")] if c.confidentiality else []
        )
    else:
        facts.confidentiality = _inferred(found, "commitments", "confidentiality")
    if c.privacy_notice is not None:
        facts.privacy_notice_stated_false = not c.privacy_notice
        facts.privacy_notice = (
            [Fact("commitments.privacy_notice: true", "notice")] if c.privacy_notice else []
        )
    else:
        facts.privacy_notice = _inferred(found, "commitments", "privacy_notice")


def _inferred(found: Classification, fact: str, value: str) -> list[Fact]:
    hit = found.get(fact, value)
    return [Fact.of(hit)] if hit else []


def _context(profile: Profile, found: Classification, facts: Facts) -> None:
    if profile.customers.regions is not None:
        facts.regions = [Fact(f"customers.regions: {r}", r) for r in profile.customers.regions]
    else:
        facts.regions = [Fact.of(i) for i in found.values("regions")]
    if profile.wants_public_trust_signal is not None:
        facts.public_trust = (
            [Fact("wants_public_trust_signal: true", "true")] if profile.wants_public_trust_signal else []
        )
    else:
        facts.public_trust = _inferred(found, "wants_public_trust_signal", "true")
    facts.existing = [Fact(f"existing_reports: {r}", r) for r in profile.existing_reports]
    facts.existing += [Fact.of(i) for i in found.values("existing_report")]


def _asks(profile: Profile, found: Classification, facts: Facts) -> None:
    for ask in profile.prospect_asks:
        facts.asks.extend(_ask(ask))
    for hit in found.values("report_asked"):
        report, _, kind = hit.value.partition(" Type ")
        facts.asks.append(Ask("description", report, f"Type {kind}" if kind else None, (), Fact.of(hit)))


def _ask(ask: ProspectAsk) -> list[Ask]:
    where = ask.source if ask.source.startswith("prospect_asks[") else f"prospect ask from {ask.source}"
    if ask.report is not None:
        kind = f" {ask.type}" if ask.type else ""
        cats = f" ({', '.join(ask.categories)})" if ask.categories else ""
        label = f"{where}: {ask.report}{kind}{cats}"
        return [Ask(ask.source, ask.report, ask.type, ask.categories, Fact(label, ask.report))]
    out = []
    for hit in classify(ask.text or "").values("report_asked"):
        report, _, kind = hit.value.partition(" Type ")
        label = f'{where}: "{_clip(ask.text or "")}" asks for {hit.value}'
        fact = Fact(label, report, hit.confidence, True, hit.phrases)
        out.append(Ask(ask.source, report, f"Type {kind}" if kind else None, (), fact))
    return out


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _timing(profile: Profile, found: Classification, facts: Facts, today: dt.date) -> None:
    if profile.deadlines:
        first = min(profile.deadlines, key=lambda d: d.date)
        facts.deadline_months = (first.date - today).days / DAYS_PER_MONTH
        facts.deadline = Fact(f"deadlines: {first.what} by {first.date.isoformat()}", first.date.isoformat())
    else:
        hit = found.get("deadline_months", _only_value(found, "deadline_months"))
        if hit:
            facts.deadline_months = float(hit.value)
            facts.deadline = Fact.of(hit, f"description: report needed within {hit.value} months")
    if profile.controls_operating_since is not None:
        since = profile.controls_operating_since
        facts.operating_months = max(0.0, (today - since).days / DAYS_PER_MONTH)
        facts.operating = Fact(f"controls_operating_since: {since.isoformat()}", since.isoformat())
    else:
        hit = found.get("controls_operating_months", _only_value(found, "controls_operating_months"))
        if hit:
            facts.operating_months = float(hit.value)
            facts.operating = Fact.of(hit, f"description: controls operating for about {hit.value} months")


def _only_value(found: Classification, fact: str) -> str:
    values = found.values(fact)
    return values[0].value if values else ""


def _subservices(profile: Profile, found: Classification, facts: Facts) -> None:
    for i, sub in enumerate(profile.subservice_organizations):
        label = f"subservice_organizations[{i}]: {sub.name} ({sub.service or 'service not given'})"
        facts.subservices.append((sub.name, sub.service, sub.method, Fact(label, sub.name)))
    if profile.subservice_organizations:
        return
    for hit in found.values("subservice"):
        name, _, service = hit.value.partition(" (")
        facts.subservices.append((name, service.rstrip(")"), None, Fact.of(hit)))
