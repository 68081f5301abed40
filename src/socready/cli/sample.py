"""``socready sample``: validate a population file and draw a reproducible sample from it."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import typer

from socready.cli.output import err_console, fail, print_json, print_table, user_errors
from socready.core.sampling.draw import parse_frequency, parse_risk
from socready.core.window import Window, early_sampling
from socready.io.population import DEFAULT_MAX_BYTES, PopulationSpec, date_format_problem
from socready.io.population_sample import sample_population
from socready.io.sandbox import POPULATION_SANDBOX, run_bounded


def sample(
    population: Path = typer.Argument(..., help="Population file: .csv, .xlsx or .parquet."),
    frequency: str = typer.Option(..., "--frequency", help="annual, semi-annual, quarterly, monthly, weekly, "
                                                            "daily, continuous, per-event or automated."),
    risk: str = typer.Option("moderate", "--risk", help="low, moderate or high."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for the selection; a new one is chosen and "
                                                         "printed when omitted."),
    period: str | None = typer.Option(None, "--period", help="Observation window START..END; rows dated "
                                                             "outside it are refused, and a window not yet half "
                                                             "run by today is warned about."),
    id_column: str = typer.Option("id", "--id-column", help="Column holding the item id."),
    date_column: str | None = typer.Option(None, "--date-column", help="Column holding the item date."),
    attribute: list[str] = typer.Option([], "--attribute", help="Extra column to show for sampled rows "
                                                                "(repeatable)."),
    date_format: str | None = typer.Option(None, "--date-format", help="strptime format of the dates, "
                                                                       "e.g. %d/%m/%Y (default: ISO)."),
    spread_months: bool = typer.Option(False, "--spread-months", help="Spread the sample over the months."),
    size: int | None = typer.Option(None, "--size", min=1, help="Override the sample size."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse larger files."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Draw a reproducible sample from a population, sized by control frequency and risk."""
    try:
        freq, level = parse_frequency(frequency), parse_risk(risk)
        window = Window.parse(period) if period else None
    except ValueError as exc:
        raise fail(str(exc)) from None
    if (window or spread_months) and not date_column:
        raise fail("--period and --spread-months need --date-column")
    if date_format is not None:
        problem = date_format_problem(date_format)
        if problem:
            raise fail(f"--date-format: {problem}")
        if not date_column:
            raise fail("--date-format needs --date-column")
    chosen_seed = seed if seed is not None else secrets.randbelow(1_000_000_000)
    spec = PopulationSpec(id_column, date_column, tuple(attribute), window, date_format, max_bytes=max_bytes)
    with user_errors():
        # A stranger's file: read in a child process held to a time limit and a memory cap.
        drawn = run_bounded(sample_population, str(population), POPULATION_SANDBOX, population, spec,
                            frequency=freq, risk=level, seed=chosen_seed, spread_months=spread_months, size=size)
    if window is not None:
        _warn_if_early(window)
    if as_json:
        print_json(drawn.to_dict())
        return
    record, result = drawn.population.record, drawn.sample
    print_table(f"Sample of {result.size} from {record.rows} rows of {record.source_name} "
                f"(seed {result.seed}, {result.size_basis})",
                ["#", "id", "row", "date", *attribute],
                [(n, c.id, c.row, c.date.isoformat() if c.date else "", *(v for _, v in c.attributes))
                 for n, c in enumerate(drawn.rows, start=1)])
    typer.echo(f"population sha256 {record.sha256}, imported {record.imported_at}, method {result.method}")


def _warn_if_early(window: Window) -> None:
    """Say on stderr when the window has not run long enough for a draw to represent it (as the web's draw page).

    The file can hold no event after today, so today stands for its export day, as the upload day does on the web.
    """
    early = early_sampling(window, dt.date.today())
    if early is not None:
        err_console.print(f"warning: too early to be representative. {early.message()}", style="yellow",
                          highlight=False, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach the ``sample`` command to the main app."""
    app.command("sample")(sample)
