"""Type I or Type II, and how long the observation window should be, from deadlines and control maturity.

The arithmetic, in months: a Type II window must close about ``REPORT_LAG`` months before the report is
needed (fieldwork and issuing the report take that long), and controls that are not yet operating need
about ``BUILD_TIME`` months of readiness work before a window can start. What is left is the longest
window that can end in time; when fewer than ``MIN_WINDOW`` months are left, a Type I (design as of a
date) meets the deadline and a Type II follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from socready.core.months import months_spanned, window_from_next_month
from socready.core.scoping.facts import DAYS_PER_MONTH, Fact, Facts, Reason

REPORT_LAG = 2
BUILD_TIME = 2
MIN_WINDOW = 3
MAX_WINDOW = 12
# Auditors and readers expect round windows; pick the longest of these that fits.
STANDARD_WINDOWS = (3, 6, 9, 12)
# A deadline this close or closer is urgent: the plan has to serve it first.
URGENT_MONTHS = 6


# The window planned when the recommendation names none: long enough to show operation, short enough to
# reach a first report within the year.
DEFAULT_WINDOW_MONTHS = 6


def window_months(start: dt.date, end: dt.date) -> int:
    """Whole months a window spans (see ``months.months_spanned``)."""
    return months_spanned(start, end)


def planned_window(months: int | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The Type II window to propose: from the first of next month, ``months`` long (the default if unset)."""
    return window_from_next_month(months or DEFAULT_WINDOW_MONTHS, today)


def period_problem(start: dt.date, end: dt.date) -> str | None:
    """Why a Type II observation period cannot be used, or None: it must end after it starts and run 3-12 months."""
    if end <= start:
        return "The period must end after it starts."
    months = window_months(start, end)
    if not MIN_WINDOW <= months <= MAX_WINDOW:
        return f"A Type II period runs {MIN_WINDOW} to {MAX_WINDOW} months; this one is {months}."
    return None


@dataclass(frozen=True)
class PlanStep:
    """One report in the plan: its type, the as-of date (Type I) or window length range (Type II)."""

    report_type: str
    as_of: dt.date | None = None
    window_months: tuple[int, int] | None = None
    note: str = ""


@dataclass(frozen=True)
class TypeDecision:
    """The report type to aim for now, the window, the plan of reports and the reasons."""

    report_type: str
    observation_window_months: int | None
    plan: tuple[PlanStep, ...]
    reasons: tuple[Reason, ...]
    confidence: float


def decide_type(facts: Facts, today: dt.date) -> TypeDecision:
    """Choose Type I now then Type II, or straight to Type II, and size the observation window."""
    operating = facts.operating_months
    operating_fact = facts.operating or Fact("controls_operating_since: not given", "unknown", 0.5)
    months = operating if operating is not None else 0.0
    confidence = min(operating_fact.confidence, facts.deadline.confidence if facts.deadline else 1.0)
    running = [f for f in facts.existing if "type ii" in f.value.lower() or "type 2" in f.value.lower()]
    if running:
        return _renewal(running[0], confidence)
    asked_type_one = [a for a in facts.asks if a.type == "Type I"]
    if facts.deadline_months is None:
        return _no_deadline(months, operating_fact, asked_type_one, confidence)
    assert facts.deadline is not None
    build = BUILD_TIME if months < 1 else 0
    # Whole months: planning is done in months, and 8.97 should not lose a 9-month window.
    available = round(months + facts.deadline_months - REPORT_LAG - build)
    if available >= MIN_WINDOW and not (asked_type_one and facts.deadline_months <= URGENT_MONTHS):
        window = max(w for w in STANDARD_WINDOWS if w <= min(available, MAX_WINDOW))
        because = (
            f"about {months:.0f} months of operating controls plus {facts.deadline_months:.0f} months "
            f"until the deadline leave room for a {window}-month window that closes "
            f"{REPORT_LAG} months before the report is due"
        )
        reasons: tuple[Reason, ...] = (
            Reason.on("Type II", facts.deadline, because),
            Reason.on(
                f"{window}-month observation window", operating_fact, _maturity(months, operating is not None)
            ),
        )
        plan: tuple[PlanStep, ...] = (
            PlanStep("Type II", window_months=(window, window), note="first period; renew every 12 months"),
        )
        return TypeDecision("Type II", window, plan, reasons, confidence)
    as_of = today + dt.timedelta(days=round(min(build, max(facts.deadline_months - 1, 0)) * DAYS_PER_MONTH))
    because = (
        f"the report is needed in about {facts.deadline_months:.0f} months, too soon for a Type II "
        f"window of at least {MIN_WINDOW} months to run and be reported on; a Type I shows the "
        "design of the controls as of one date"
    )
    steps = [
        Reason.on("Type I now", facts.deadline, because),
        Reason.on(
            "Type II next, 3-6 month window",
            operating_fact,
            "customers who accept a Type I first usually expect a Type II soon after; a first "
            "window of 3 to 6 months starting at the Type I date keeps that gap short",
        ),
    ]
    if asked_type_one:
        steps.append(Reason.on("Type I now", asked_type_one[0].fact, "a prospect asked for a Type I"))
    plan = (
        PlanStep("Type I", as_of=as_of, note="design of controls as of this date"),
        PlanStep("Type II", window_months=(3, 6), note="window starts at the Type I date"),
    )
    return TypeDecision("Type I", None, plan, tuple(steps), confidence)


def _renewal(existing: Fact, confidence: float) -> TypeDecision:
    because = "a Type II is already in place; back-to-back 12-month periods keep the report current"
    plan = (PlanStep("Type II", window_months=(12, 12), note="starts the day after the last period ended"),)
    return TypeDecision(
        "Type II", 12, plan, (Reason.on("Type II, 12-month window", existing, because),), confidence
    )


def _no_deadline(
    months: float, operating_fact: Fact, asked_type_one: Sequence[object], confidence: float
) -> TypeDecision:
    no_deadline = Fact("deadlines: none given", "none")
    if months >= 6:
        window = 12 if months >= 12 else 6
        because = (
            f"controls have operated for about {months:.0f} months and no deadline presses, so the "
            "first report can test operation over a full window"
        )
        reasons = (
            Reason.on("Type II", operating_fact, because),
            Reason.on(
                f"{window}-month observation window",
                no_deadline,
                "with no deadline, a 6 to 12 month window gives readers the most assurance",
            ),
        )
        plan = (PlanStep("Type II", window_months=(6, 12), note="renew every 12 months"),)
        return TypeDecision("Type II", window, plan, reasons, confidence)
    because = (
        "no deadline presses, so the time a Type I would take is better spent running the controls "
        "and going straight to a Type II"
    )
    reasons = (
        Reason.on("Type II", no_deadline, because),
        Reason.on(
            "6-month observation window",
            operating_fact,
            _maturity(months, operating_fact.value != "unknown")
            + "; a first window of 3 to 6 months is common and accepted",
        ),
    )
    plan = (
        PlanStep(
            "Type II", window_months=(3, 6), note="start the window once every control has run at least once"
        ),
    )
    return TypeDecision("Type II", 6, plan, reasons, confidence * (0.8 if asked_type_one else 1.0))


def _maturity(months: float, known: bool = True) -> str:
    if not known:
        return "when controls started operating is not given, so this assumes they are not yet operating"
    if months < 1:
        return "controls are not yet operating, so the window can only start once they are"
    return f"controls have operated for about {months:.0f} months"
