"""Shared output helpers: JSON on stdout, readable Rich tables, errors on stderr with a non-zero exit."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from socready.core.errors import InputError

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

# Exit statuses, the same for every command. Bad input is anything the person running the command can
# correct in what they typed or gave: an option, a file, an organization or engagement that does not
# exist. A failure is work that could not be finished for another reason: stored evidence that fails its
# hash, a broken audit trail, a program whose stored rows contradict each other.
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def print_json(data: Any) -> None:
    """Write machine-readable output to stdout, and nothing else."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows as a Rich table on stdout."""
    # Cells and titles hold names from files and the database: plain Text, never Rich markup.
    table = Table(title=Text(title), show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if value is None else str(value)) for value in row))
    console.print(table)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print an error on stderr and return the Exit to raise (bad input unless ``code`` says otherwise)."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn bad-input errors into a one-line message and exit status 2, without a traceback."""
    try:
        yield
    except InputError as exc:
        raise fail(str(exc)) from None
    except FileNotFoundError as exc:
        raise fail(f"{exc.filename}: no such file") from None
