"""Entry point of the ``socready`` command: one Typer app that each command module registers into."""

from __future__ import annotations

import importlib

import typer

from socready import __version__

app = typer.Typer(
    name="socready",
    help="SOC 1 / SOC 2 readiness: scope the report, map one control set to both, prove it, hand it over.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module exposes ``register(app)``; listing them here keeps start-up explicit and import errors loud.
COMMAND_MODULES: tuple[str, ...] = (
    "socready.cli.catalog",
    "socready.cli.coverage",
    "socready.cli.questionnaire",
    "socready.cli.scope",
    "socready.cli.sample",
    "socready.cli.server",
    "socready.cli.reports",
    "socready.cli.connectors",
    "socready.cli.vendors",
    "socready.cli.backup",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"socready {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """SOC 1 / SOC 2 readiness from the command line."""


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def main() -> None:
    """Run the command line."""
    app()
