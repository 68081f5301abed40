"""``socready coverage``: which controls cover each in-scope criterion and objective, and what both reports share."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from socready.cli.bounded import load_bounded
from socready.cli.output import console, fail, print_json, print_table, user_errors
from socready.core.catalog.catalog import load_criteria, load_objectives
from socready.core.controls.coverage import Coverage, build_scope, compute_coverage
from socready.core.controls.library import ControlLibrary, apply_customization, default_library


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def load_library_for(controls: Path | None, objectives_override: list[Path]) -> tuple[ControlLibrary, Any, Any]:
    """Return the library (customized if asked) with the criteria and objectives in force.

    The user's files are read in the sandbox, so a hostile one stops with an error naming it.
    """
    return load_bounded([controls, *objectives_override], _load_library, controls, objectives_override)


def _load_library(controls: Path | None, objectives_override: list[Path]) -> tuple[ControlLibrary, Any, Any]:
    criteria = load_criteria()
    objectives = load_objectives(overrides=objectives_override)
    library = default_library()
    if controls is not None:
        library = apply_customization(library, controls, criteria=[c.id for c in criteria],
                                      objectives=[o.id for o in objectives])
    return library, criteria, objectives


def coverage_json(result: Coverage) -> dict[str, Any]:
    """The machine-readable shape of a coverage result."""
    return {
        "scope": {"soc1": result.scope.soc1, "soc2": result.scope.soc2,
                  "soc2_categories": list(result.scope.soc2_categories),
                  "objectives": list(result.scope.objectives)},
        "counts": result.counts(),
        "criteria": [asdict(t) | {"covered": t.covered} for t in result.criteria],
        "objectives": [asdict(t) | {"covered": t.covered} for t in result.objectives],
        "uncovered": {"criteria": list(result.uncovered_criteria),
                      "objectives": list(result.uncovered_objectives)},
        "shared_controls": list(result.shared_controls),
        "shared_evidence": list(result.shared_evidence),
        "not_applicable": [{"id": cid, "reason": reason} for cid, reason in result.not_applicable],
    }


def _print(result: Coverage) -> None:
    rows = [(t.id, "SOC 2", t.title, ", ".join(t.controls) or "[red]none[/]") for t in result.criteria]
    rows += [(t.id, "SOC 1", t.title, ", ".join(t.controls) or "[red]none[/]") for t in result.objectives]
    print_table("Coverage by criterion and objective", ["id", "report", "title", "controls"], rows)
    counts = result.counts()
    uncovered = [*result.uncovered_criteria, *result.uncovered_objectives]
    console.print(f"Uncovered: {', '.join(uncovered) if uncovered else 'none'}")
    print_table("Summary", ["figure", "value"], [(k.replace("_", " "), v) for k, v in counts.items()])


def register(app: typer.Typer) -> None:
    """Attach the ``coverage`` command to the main app."""

    @app.command("coverage")
    def coverage(
        soc1: bool = typer.Option(False, "--soc1", help="Include SOC 1 (all ITGC objectives plus --services)."),
        soc2: bool = typer.Option(False, "--soc2", help="Include SOC 2 with Security only (implied by "
                                                       "--soc2-categories, and the default with no flag)."),
        soc2_categories: str | None = typer.Option(None, "--soc2-categories",
                                                   help='Comma-separated, e.g. "Security,Availability".'),
        services: str | None = typer.Option(None, "--services",
                                            help="SOC 1 business services, e.g. payroll,payments "
                                                 "(implies --soc1)."),
        controls: Path | None = typer.Option(None, "--controls", help="Organization's customization YAML."),
        objectives_override: list[Path] = typer.Option([], "--objectives-override",
                                                       help="SOC 1 objectives override file (repeatable)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    ) -> None:
        """Show what covers each in-scope criterion and objective, the gaps and what both reports share."""
        chosen_services = _split(services)
        with_soc1 = soc1 or bool(chosen_services)
        categories = _split(soc2_categories)
        with_soc2 = soc2 or bool(categories) or not with_soc1
        with user_errors():
            library, criteria, objectives = load_library_for(controls, objectives_override)
            scope = build_scope(objectives, soc1=with_soc1, soc2=with_soc2, soc2_categories=categories,
                                services=chosen_services)
            result = compute_coverage(library, criteria, objectives, scope)
        if not scope.soc1 and not scope.soc2:
            raise fail("nothing in scope: pass --soc1 and/or --soc2-categories")
        if as_json:
            print_json(coverage_json(result))
            return
        _print(result)
