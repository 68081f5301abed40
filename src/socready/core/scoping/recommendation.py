"""Scoping: which report(s) an organization needs, which SOC 2 categories, which type, and why.

``recommend(profile)`` returns a ``Recommendation`` whose every conclusion carries reasons naming the fact
it rests on. SOC 1 and SOC 2 answer different questions for different readers (financial reporting vs.
the handling of customers' data); the engine treats them as peers and may recommend both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from socready.core.catalog.catalog import CATEGORIES
from socready.core.scoping.extras import (
    SubserviceAdvice,
    audiences,
    cuecs,
    isae_advice,
    soc3_reason,
    subservice_advice,
)
from socready.core.scoping.facts import Fact, Facts, Reason, gather
from socready.core.scoping.inference import Inference
from socready.core.scoping.profile import Profile
from socready.core.scoping.rules import decide_categories, decide_soc1, decide_soc2
from socready.core.scoping.timing import PlanStep, decide_type

# Which SOC 1 objective templates in the catalog fit each financial role.
OBJECTIVE_SERVICES: dict[str, str] = {
    "payroll": "payroll",
    "payment-processing": "payments",
    "billing-invoicing": "billing",
    "claims": "claims",
    "investment-fund-administration": "fund-administration",
    "lending": "lending",
}


@dataclass(frozen=True)
class Recommendation:
    """The scoping answer: reports, categories, type and window, with reasons and confidence."""

    name: str | None
    soc1: bool
    soc2: bool
    soc2_categories: tuple[str, ...]
    report_type: str
    observation_window_months: int | None
    plan: tuple[PlanStep, ...]
    soc3: bool
    isae: tuple[dict[str, str], ...]
    audiences: dict[str, tuple[str, ...]]
    subservice: tuple[SubserviceAdvice, ...]
    cuecs: tuple[str, ...]
    soc1_objective_services: tuple[str, ...]
    next_steps: tuple[str, ...]
    reasons: tuple[Reason, ...]
    inferred: tuple[Inference, ...]
    # Read from the description, but the profile states that field itself, so the statement decided.
    set_aside: tuple[Inference, ...]
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, tuples as lists)."""
        data = asdict(self)
        data["plan"] = [
            {
                **asdict(s),
                "as_of": s.as_of.isoformat() if s.as_of else None,
                "window_months": list(s.window_months) if s.window_months else None,
            }
            for s in self.plan
        ]
        data["subservice"] = {
            "organizations": [asdict(s) for s in self.subservice],
            "cuecs": list(self.cuecs),
        }
        del data["cuecs"]
        result: dict[str, Any] = _lists(data)
        return result

    def texts(self) -> list[str]:
        """Every sentence the recommendation shows a reader, for wording checks."""
        out = [r.because for r in self.reasons] + [r.conclusion for r in self.reasons]
        out += list(self.next_steps) + list(self.cuecs) + [s.note for s in self.plan]
        out += [s.why for s in self.subservice] + [c for s in self.subservice for c in s.csocs + s.monitoring]
        out += [a for group in self.audiences.values() for a in group]
        return out


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def recommend(profile: Profile, *, today: dt.date | None = None) -> Recommendation:
    """Decide the reports, categories, type and window for a profile, each with its reasons."""
    today = today or dt.date.today()
    facts = gather(profile, today)
    soc1, soc1_reasons, soc1_conf = decide_soc1(facts)
    soc3 = soc3_reason(facts)
    soc2, soc2_reasons, soc2_conf = decide_soc2(facts, soc1, soc3)
    categories, category_reasons, category_conf = decide_categories(facts) if soc2 else ((), (), 1.0)
    timing = decide_type(facts, today)
    isae, isae_reasons = isae_advice(facts, soc1)
    subservice, subservice_reasons = subservice_advice(facts)
    reasons = (
        *soc1_reasons,
        *soc2_reasons,
        *category_reasons,
        *timing.reasons,
        *((soc3,) if soc3 and soc2 else ()),
        *isae_reasons,
        *subservice_reasons,
        *_other_asks(facts),
    )
    decided = [soc1_conf, soc2_conf, category_conf, timing.confidence]
    confidence = round(sum(decided) / len(decided), 2)
    services = (
        tuple(
            dict.fromkeys(
                OBJECTIVE_SERVICES[f.value] for f in facts.financial_impact if f.value in OBJECTIVE_SERVICES
            )
        )
        if soc1
        else ()
    )
    rec = Recommendation(
        name=profile.name,
        soc1=soc1,
        soc2=soc2,
        soc2_categories=categories,
        report_type=timing.report_type,
        observation_window_months=timing.observation_window_months,
        plan=timing.plan,
        soc3=bool(soc3) and soc2,
        isae=isae,
        audiences=audiences(soc1, soc2, bool(soc3) and soc2),
        subservice=subservice,
        cuecs=cuecs(facts, soc1, soc2) if soc1 or soc2 else (),
        soc1_objective_services=services,
        next_steps=(),
        reasons=reasons,
        inferred=facts.inferred,
        set_aside=facts.set_aside,
        confidence=confidence,
    )
    return _with_next_steps(rec, facts)


def _other_asks(facts: Facts) -> tuple[Reason, ...]:
    out = []
    for ask in facts.asks:
        if ask.report in ("ISO 27001", "HITRUST", "PCI DSS"):
            out.append(
                Reason.on(
                    f"{ask.report} (separate)",
                    ask.fact,
                    f"{ask.report} is a separate assessment, not a SOC report; much of the "
                    "same control set and evidence can serve it",
                )
            )
    return tuple(out)


def _with_next_steps(rec: Recommendation, facts: Facts) -> Recommendation:
    steps = [*_report_steps(rec), *_follow_up_steps(rec, facts)]
    return Recommendation(**{**_shallow(rec), "next_steps": tuple(steps)})


def _report_steps(rec: Recommendation) -> list[str]:
    """The steps that set up the reports: objectives, criteria, one control set, the date or window."""
    steps: list[str] = []
    if rec.soc1:
        which = ", ".join(rec.soc1_objective_services) or "your financial processes"
        steps.append(
            f"Adopt the SOC 1 objective templates for {which} and the IT general control objectives "
            "(socready catalog objectives), then adapt them: management defines its own objectives."
        )
    if rec.soc2:
        steps.append(
            f"Scope the SOC 2 to {join_words(rec.soc2_categories)}; socready catalog criteria "
            "lists the criteria of each category."
        )
    if rec.soc1 and rec.soc2:
        steps.append(
            "Build one control set mapped to both reports, so each control and its evidence serve "
            "both examinations."
        )
    first = rec.plan[0]
    if first.report_type == "Type I" and first.as_of:
        steps.append(
            f"Agree a Type I as-of date around {first.as_of.isoformat()} with the CPA firm, and plan "
            "the Type II window that starts right after it."
        )
    elif rec.observation_window_months:
        steps.append(
            f"Agree a {rec.observation_window_months}-month observation window with the CPA firm and "
            "collect evidence from its first day."
        )
    return steps


def _follow_up_steps(rec: Recommendation, facts: Facts) -> list[str]:
    """The steps around the reports: vendors' reports, ISAE 3402, the CPA firm, facts to confirm."""
    steps: list[str] = []
    if rec.subservice:
        names = join_words([s.name for s in rec.subservice])
        steps.append(f"Obtain the current SOC reports of {names} and map their CUECs to your own controls.")
    if any(i["status"] == "consider" for i in rec.isae):
        steps.append(
            "Ask customers outside the US whether their auditors need ISAE 3402; one examination can "
            "be reported under both standards."
        )
    if rec.soc1 or rec.soc2:
        steps.append("Choose a licensed CPA firm early: only a CPA firm can issue a SOC report.")
    else:
        steps.append("No SOC report is indicated yet; revisit when a customer asks for one.")
    if rec.confidence < 0.75:
        steps.append(
            "Confirm the inferred facts (or state them in the profile) to firm up this recommendation."
        )
    if facts.deadline is None and facts.asks:
        steps.append("Ask the prospects when they need the report, so the type and window can be planned.")
    return steps


def join_words(words: Sequence[str]) -> str:
    """Join words as a reader would: "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _shallow(rec: Recommendation) -> dict[str, Any]:
    return {name: getattr(rec, name) for name in rec.__dataclass_fields__}


__all__ = ["CATEGORIES", "Fact", "Recommendation", "Reason", "recommend"]
