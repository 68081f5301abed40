"""``socready catalog ...``: list the reference catalogs."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from socready.cli.bounded import load_bounded
from socready.cli.output import fail, print_json, print_table, user_errors
from socready.core.catalog.catalog import load_criteria, load_description_criteria, load_objectives, normalize_category

catalog_app = typer.Typer(help="Reference catalogs: criteria, SOC 1 objectives, DC 200.", no_args_is_help=True)

OVERRIDE_HELP = "A YAML file laid over the shipped catalog (repeatable)."


@catalog_app.command("criteria")
def criteria(
    category: str | None = typer.Option(None, "--category", help="Only this category, e.g. Availability."),
    override: list[Path] = typer.Option([], "--override", help=OVERRIDE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """The AICPA Trust Services Criteria (2017), with socready's own titles."""
    with user_errors():
        items = load_bounded(override, load_criteria, overrides=override)
    if category:
        try:
            wanted = normalize_category(category)
        except ValueError as exc:
            raise fail(f"--category: {exc}") from None
        items = tuple(c for c in items if c.category == wanted)
    if as_json:
        print_json([asdict(c) for c in items])
        return
    print_table(f"Trust Services Criteria ({len(items)})", ["id", "category", "series", "title"],
                [(c.id, c.category, f"{c.series} {c.series_title}", c.title) for c in items])


@catalog_app.command("objectives")
def objectives(
    override: list[Path] = typer.Option([], "--override", help=OVERRIDE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """SOC 1 control objective templates (IT general controls and business processes)."""
    with user_errors():
        items = load_bounded(override, load_objectives, overrides=override)
    if as_json:
        print_json([asdict(o) for o in items])
        return
    print_table(f"SOC 1 control objectives ({len(items)})", ["id", "area", "service", "title"],
                [(o.id, o.area, o.service or "", o.title) for o in items])


@catalog_app.command("description-criteria")
def description_criteria(
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """DC 200 description criteria for a SOC 2 system description."""
    with user_errors():
        items = load_description_criteria()
    if as_json:
        print_json([asdict(d) for d in items])
        return
    print_table("DC 200 description criteria", ["id", "title", "Type II only"],
                [(d.id, d.title, "yes" if d.type2_only else "") for d in items])


def register(app: typer.Typer) -> None:
    """Attach the ``catalog`` group to the main app."""
    app.add_typer(catalog_app, name="catalog")


@catalog_app.command("controls")
def controls(
    report: str | None = typer.Option(None, "--report", help="Only controls serving soc1 or soc2."),
    custom: Path | None = typer.Option(None, "--controls", help="Organization's customization YAML."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """The unified control library, each control with its SOC 2 criteria and SOC 1 objectives."""
    from socready.cli.coverage import load_library_for

    if report is not None and report not in ("soc1", "soc2"):
        raise fail(f"--report: '{report}' is not soc1 or soc2")
    with user_errors():
        library, _, _ = load_library_for(custom, [])
    items = library.for_report(report) if report else library.controls
    if as_json:
        print_json([asdict(c) | {"applicable": c.applicable} for c in items])
        return
    print_table(f"Control library ({len(items)})", ["id", "title", "frequency", "criteria", "objectives"],
                [(c.id, c.title, c.frequency, ", ".join(c.criteria), ", ".join(c.objectives)) for c in items])
