"""The contract a connector package implements; socready's own AWS, GitHub and Okta connectors follow it too.

A connector is a class registered under the entry-point group ``socready.connectors``. socready creates it
with no arguments, reads its ``kind``, ``label``, ``options`` and ``checks``, and calls ``test`` (before a
connection is saved) and ``collect`` (on each run) with a ``ConnectionConfig``. ``collect`` returns the
check results and any populations; it raises ``CollectionError`` when the run cannot finish, and the run is
then recorded as failed with that message, never as a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from socready.core.connectors.checks import CheckDefinition, CheckResult
from socready.core.window import Window

ENTRY_POINT_GROUP = "socready.connectors"


class CollectionError(Exception):
    """A run that cannot finish: bad credentials, an unknown region, an endpoint that does not answer."""


@dataclass(frozen=True)
class OptionSpec:
    """One setting of a connection. ``secret`` ones are stored encrypted and never shown back."""

    name: str
    help: str
    required: bool = False
    secret: bool = False
    default: str = ""


@dataclass(frozen=True)
class ConnectionConfig:
    """What a run is given: the connection's options and decrypted secrets, the window, the limits."""

    name: str
    options: Mapping[str, str]
    secrets: Mapping[str, str]
    today: dt.date
    window: Window | None = None
    timeout_s: float = 30.0
    max_attempts: int = 4

    def option(self, name: str, default: str = "") -> str:
        """An option's value, stripped, or ``default`` when unset."""
        return (self.options.get(name) or default).strip()


@dataclass(frozen=True)
class PopulationRows:
    """Events gathered from a system, imported through the population path (hashed, validated, sampled)."""

    kind: str  # a population kind: "changes", "terminations", ...
    control: str  # the library control the population tests, e.g. "CHG-01"
    source_name: str  # the file name the population is stored under, e.g. "github-acme-merged-prs.csv"
    id_column: str
    date_column: str
    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]
    attribute_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collection:
    """What one run gathered."""

    checks: tuple[CheckResult, ...]
    populations: tuple[PopulationRows, ...] = ()
    account: str = ""  # what was examined, in words ("AWS account 123456789012", "GitHub organization acme")
    notes: tuple[str, ...] = field(default=())


@runtime_checkable
class Connector(Protocol):
    """The class an entry point names."""

    kind: str
    label: str
    options: tuple[OptionSpec, ...]
    checks: tuple[CheckDefinition, ...]

    def test(self, config: ConnectionConfig) -> str:
        """Reach the system with the given settings; return what was reached or raise CollectionError."""
        ...

    def collect(self, config: ConnectionConfig) -> Collection:
        """Run every check (and gather populations); raise CollectionError when the run cannot finish."""
        ...


def check_options(connector: Connector, options: Mapping[str, str], secrets: Mapping[str, str]) -> None:
    """Refuse unknown settings and missing required ones, naming them (raises CollectionError)."""
    known = {o.name: o for o in connector.options}
    unknown = sorted(n for n in {*options, *secrets} if n not in known)
    if unknown:
        raise CollectionError(f"unknown option {', '.join(unknown)} for a {connector.kind} connection "
                              f"(known: {', '.join(known)})")
    missing = [o.name for o in connector.options
               if o.required and not (options.get(o.name) or secrets.get(o.name) or o.default)]
    if missing:
        raise CollectionError(f"option {', '.join(missing)} is required for a {connector.kind} connection")
