"""``socready scope``: which report(s), which SOC 2 categories, which type and window, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from socready.cli.bounded import load_bounded
from socready.cli.output import console, fail, print_json, print_table, user_errors
from socready.core.errors import InputError
from socready.core.scoping.profile import (
    DATA_KINDS,
    FINANCIAL_IMPACTS,
    PERSONAL_DATA_ROLES,
)
from socready.core.scoping.profile_reader import load_profile, profile_from_dict
from socready.core.scoping.recommendation import Recommendation, join_words, recommend

INTERACTIVE_SOURCE = "interactive answers"


def scope(
    profile: Path | None = typer.Argument(
        None, help="Profile YAML (structured, or just name and description)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    interactive: bool = typer.Option(
        False, "--interactive", "-i", help="Answer questions instead of a file."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Decide as of this date, YYYY-MM-DD (default: today)."
    ),
) -> None:
    """Recommend SOC 1, SOC 2 or both, the categories, Type I or II and the window, with reasons."""
    today = _as_of(as_of)
    if interactive == (profile is not None):
        raise fail("give a PROFILE file or --interactive (one of them)")
    with user_errors():
        loaded = load_bounded([profile], load_profile, profile, today=today) if profile else _interview(today)
        rec = recommend(loaded, today=today)
    if as_json:
        print_json(rec.to_dict())
        return
    show(rec)


def register(app: typer.Typer) -> None:
    """Add ``socready scope`` to the app."""
    app.command("scope")(scope)


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"--as-of: '{value}' is not a date (write YYYY-MM-DD)") from None


def show(rec: Recommendation) -> None:
    """Print a recommendation for a person: the answer first, then the reasons and next steps."""
    reports = [name for name, on in (("SOC 1", rec.soc1), ("SOC 2", rec.soc2), ("SOC 3", rec.soc3)) if on]
    title = f"Scoping for {rec.name}" if rec.name else "Scoping"
    console.print(f"[bold]{title}[/]  (confidence {rec.confidence:.0%})")
    console.print(f"Reports: [bold]{join_words(reports) if reports else 'none indicated'}[/]")
    if rec.soc2:
        console.print(f"SOC 2 categories: {join_words(rec.soc2_categories)}")
    for step in rec.plan:
        when = f"as of about {step.as_of.isoformat()}" if step.as_of else ""
        if step.window_months:
            low, high = step.window_months
            when = f"{low}-month window" if low == high else f"{low}-{high} month window"
        console.print(f"Plan: {step.report_type} {when} - {step.note}", highlight=False)
    for item in rec.isae:
        console.print(f"{item['standard']} ({item['counterpart']} counterpart): {item['status']}")
    for report, readers in rec.audiences.items():
        console.print(f"{report} readers: {', '.join(readers)}", highlight=False)
    print_table(
        "Reasons",
        ["conclusion", "fact", "because", "confidence"],
        [(r.conclusion, r.fact, r.because, f"{r.confidence:.2f}") for r in rec.reasons],
    )
    if rec.inferred:
        print_table(
            "Read from the description",
            ["fact", "confidence", "phrases"],
            [(f"{i.fact}: {i.value}", f"{i.confidence:.2f}", "; ".join(i.phrases)) for i in rec.inferred],
        )
    if rec.set_aside:
        print_table(
            "Read from the description but set aside: the profile states these itself",
            ["fact", "confidence", "phrases"],
            [(f"{i.fact}: {i.value}", f"{i.confidence:.2f}", "; ".join(i.phrases)) for i in rec.set_aside],
        )
    if rec.subservice:
        print_table(
            "Subservice organizations",
            ["name", "service", "method", "CSOCs to expect"],
            [(s.name, s.service, s.method, "; ".join(s.csocs)) for s in rec.subservice],
        )
    console.print("[bold]Next steps[/]")
    for number, next_step in enumerate(rec.next_steps, 1):
        console.print(f"  {number}. {next_step}", highlight=False)


# --- the interview -----------------------------------------------------------------------------------


def _interview(today: dt.date) -> Any:
    """Ask the profile questions one by one, re-asking any answer that does not validate."""
    answers: dict[str, Any] = {}

    def ask(key: str, question: str, convert: Callable[[str], Any], default: str = "") -> None:
        while True:
            raw = typer.prompt(question, default=default, show_default=bool(default), err=True).strip()
            if not raw:
                return
            value = convert(raw)
            try:
                profile_from_dict({**answers, key: value}, source=INTERACTIVE_SOURCE, today=today)
            except InputError as exc:
                typer.echo(f"  {exc.reason}; please try again", err=True)
                continue
            answers[key] = value
            return

    ask("name", "Organization or service name", str)
    ask("description", "Describe the service in a few sentences (blank to skip)", str)
    ask(
        "financial_impact",
        f"Financial processes run for customers ({', '.join(FINANCIAL_IMPACTS)}, "
        "or none; comma-separated, blank if unsure)",
        _split,
    )
    ask("data", f"Data customers entrust ({', '.join(DATA_KINDS)}; comma-separated, blank if unsure)", _split)
    ask(
        "personal_data_role",
        f"For personal data, are you the ({'/'.join(PERSONAL_DATA_ROLES)})? blank if none",
        str,
    )
    ask(
        "commitments",
        "Uptime SLA in percent (blank if none)",
        lambda raw: {"uptime_sla_percent": _number(raw)},
    )
    said = {
        "processing_accuracy": _yes_no("Do you commit to complete, accurate and timely processing?"),
        "confidentiality": _yes_no("Do contracts or NDAs oblige you to keep customer data confidential?"),
        "privacy_notice": _yes_no(
            "Do you collect personal data directly from individuals under your own privacy notice?"
        ),
    }
    # A blank answer is "not stated", left out so the description can decide it, as in a profile file.
    answers["commitments"] = {
        **answers.get("commitments", {}),
        **{key: value for key, value in said.items() if value is not None},
    }
    ask(
        "customers",
        "Customer regions (e.g. US, EU, UK, APAC; comma-separated)",
        lambda raw: {"regions": _split(raw)},
    )
    ask(
        "deadlines",
        "Date a report is needed by (YYYY-MM-DD, blank if none)",
        lambda raw: [{"what": "report needed", "date": raw}],
    )
    ask(
        "controls_operating_since",
        "Since when have your controls operated (YYYY-MM-DD, blank if not yet)",
        str,
    )
    public = _yes_no("Do you want a report you can publish on your website?")
    if public is not None:
        answers["wants_public_trust_signal"] = public
    ask(
        "subservice_organizations",
        "Vendors the service relies on, as name:service (e.g. AWS:cloud hosting), comma-separated",
        _vendors,
    )
    return profile_from_dict(answers, source=INTERACTIVE_SOURCE, today=today)


def _yes_no(question: str) -> bool | None:
    """Yes, no, or None for a blank answer: not knowing is not the same as "no"."""
    while True:
        # Questions go to stderr so that --json output on stdout stays machine-readable.
        raw = typer.prompt(f"{question} [y/n, blank if unsure]", default="", show_default=False, err=True)
        answer = str(raw).strip().lower()
        if not answer:
            return None
        if answer in ("y", "yes", "n", "no"):
            return answer.startswith("y")
        typer.echo("  answer y or n, or leave it blank; please try again", err=True)


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _number(raw: str) -> float | str:
    try:
        return float(raw.rstrip("%"))
    except ValueError:
        return raw


def _vendors(raw: str) -> list[dict[str, str]]:
    out = []
    for part in _split(raw):
        name, _, service = part.partition(":")
        out.append({"name": name.strip(), "service": service.strip()})
    return out
