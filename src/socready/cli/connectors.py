"""Connector commands: ``socready connectors add|list`` and ``socready collect``."""

from __future__ import annotations

import os
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import typer

from socready.cli import django_setup
from socready.cli.organizations import ORG_HELP, find_organization
from socready.cli.output import EXIT_FAILED, console, fail, print_json, print_table

if TYPE_CHECKING:
    from socready.connectors.models import Run

# Where each provider's own tools look for a token, so a connection can take it from the environment.
ENVIRONMENT_SECRETS = {("github", "token"): ("GITHUB_TOKEN", "GH_TOKEN"),
                       ("okta", "api_token"): ("OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN")}
ENDPOINT_OPTIONS = ("endpoint_url", "api_url", "org_url")

connectors_app = typer.Typer(help="Connections that collect evidence from systems.", no_args_is_help=True)


def _key_values(options: list[str]) -> dict[str, str]:
    """--option KEY=VALUE pairs as a dict; a pair without '=' or a key is refused by name."""
    values: dict[str, str] = {}
    for pair in options:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--option {pair!r}: write KEY=VALUE")
        values[key.strip()] = value
    return values


def _settings(kind: str, endpoint_url: str | None, regions: list[str], options: list[str]) -> dict[str, str]:
    """The option values given on the command line, with secrets the environment holds for this provider."""
    from socready.connectors.registry import connector

    plugin = connector(kind)
    names = [o.name for o in plugin.options]
    values = _key_values(options)
    if endpoint_url:
        target = next((n for n in ENDPOINT_OPTIONS if n in names), None)
        if target is None:
            raise fail(f"--endpoint-url: a {kind} connection has no endpoint option")
        values[target] = endpoint_url
    if regions:
        if "regions" not in names:
            raise fail(f"--region: a {kind} connection has no regions")
        values["regions"] = ",".join(regions)
    for option in plugin.options:
        if option.secret and option.name not in values:
            found = next((os.environ[v] for v in ENVIRONMENT_SECRETS.get((kind, option.name), ()) if os.environ.get(v)),
                         None)
            if found is not None:
                values[option.name] = found
    return values


@connectors_app.command("add")
def add(
    kind: str = typer.Argument(..., help="The connector: aws, github, okta, or one a package installed."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    name: str = typer.Option(..., "--name", help="A name for the connection, unique in the organization."),
    endpoint_url: str | None = typer.Option(None, "--endpoint-url", help="The system's address (API or endpoint)."),
    region: list[str] = typer.Option([], "--region", help="An AWS region to examine (repeat for several)."),
    option: list[str] = typer.Option([], "--option", help="KEY=VALUE for any option of the connector (repeat)."),
    schedule_hours: int = typer.Option(24, "--schedule-hours", min=0, help="Hours between runs; 0: by hand only."),
    test: bool = typer.Option(True, "--test/--no-test", help="Reach the system before saving (the default)."),
) -> None:
    """Add a connection, tested first; credentials come from options or the provider's usual environment."""
    organization = find_organization(org)
    from socready.connectors import services, tasks
    from socready.connectors.registry import UnknownConnector
    from socready.core.connectors.plugin import CollectionError

    try:
        stored = services.split_settings(kind, _settings(kind, endpoint_url, region, option))
        connection = services.create_connection(organization, None, kind=kind, name=name, stored=stored,
                                                 schedule_hours=schedule_hours, test_first=test)
    except UnknownConnector as exc:
        raise fail(f"KIND: {exc}") from None
    except CollectionError as exc:
        raise fail(f"{kind} connection {name!r} not saved: {exc}") from None
    tasks.schedule(connection)
    console.print(f"Added {connection.kind} connection [bold]{connection.name}[/] to {organization.slug}.",
                  highlight=False)


@connectors_app.command("list")
def list_connections(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """The organization's connections with their latest run (never their secrets)."""
    organization = find_organization(org)
    from socready.connectors.health import latest_runs
    from socready.connectors.models import Connection

    latest = {r.connection_id: r for r in latest_runs(organization)}
    rows = [{"name": c.name, "kind": c.kind, "options": c.options, "schedule_hours": c.schedule_hours,
             "next_run_at": c.next_run_at.isoformat() if c.next_run_at else None,
             "last_run": {"status": latest[c.pk].status, "at": latest[c.pk].created_at.isoformat(),
                          "error": latest[c.pk].error} if c.pk in latest else None}
            for c in Connection.objects.filter(organization=organization)]
    if as_json:
        print_json({"connections": rows})
        return
    print_table(f"Connections of {organization.slug}", ["name", "kind", "schedule", "last run", "status"],
                [(r["name"], r["kind"], f"{r['schedule_hours']} h" if r["schedule_hours"] else "by hand",
                  r["last_run"]["at"] if r["last_run"] else "never", r["last_run"]["status"] if r["last_run"] else "")
                 for r in rows])


@connectors_app.command("rotate-key")
def rotate_key(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would be re-encrypted."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Re-encrypt every connection's credentials with the first key of SOCREADY_CONNECTOR_KEY.

    Put the new key first and keep the old ones after it (comma separated), run this, then drop the old
    keys. Exits 1 when a connection's credentials open with none of the keys (they are left as they were).
    """
    django_setup.setup()
    django_setup.migrate()
    from socready.connectors.crypto import rotate_credentials

    rotation = rotate_credentials(dry_run=dry_run)

    def names(connections: list[Any]) -> list[str]:
        return [f"{c.organization.slug}/{c.name}" for c in connections]

    if as_json:
        print_json({"dry_run": dry_run, "rotated": names(rotation.rotated), "without_credentials":
                    names(rotation.empty), "unreadable": names(rotation.unreadable)})
    else:
        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        console.print(f"{verb} the credentials of {len(rotation.rotated)} connection(s) with the first key; "
                      f"{len(rotation.empty)} hold none.", highlight=False)
        for name in names(rotation.unreadable):
            console.print(f"  {name}: no configured key opens its credentials; add the key that sealed them "
                          "and run again, or enter them again", highlight=False, markup=False)
    if rotation.unreadable:
        raise typer.Exit(EXIT_FAILED)


def run_json(run: Run) -> dict[str, Any]:
    """One run in the shape ``socready collect --json`` prints."""
    return {
        "connector": run.connection.name, "kind": run.connection.kind,
        "status": "ok" if run.status == "ok" else "failed", "error": run.error,
        "checks": [{"id": c.check_id, "title": c.title, "status": c.status, "failing": c.failing,
                    "controls": c.controls} for c in run.checks.all()],
        "evidence": [run.evidence_id] if run.evidence_id else [],
    }


def collect(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    connector_name: str | None = typer.Option(None, "--connector", help="Only the connection of this name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Run the organization's connections now; exit 1 when any run failed (its error says why)."""
    organization = find_organization(org)
    from socready.connectors import services
    from socready.connectors.models import Connection

    connections = Connection.objects.filter(organization=organization, enabled=True)
    if connector_name is not None:
        connections = connections.filter(name=connector_name)
        if not connections.exists():
            raise fail(f"--connector: no connection named '{connector_name}' in {organization.slug}")
    runs = []
    for connection in connections:
        with console.status(f"collecting {connection.name}…") if not as_json else nullcontext():
            runs.append(services.execute(services.queue_run(connection, "command line")))
    if as_json:
        print_json({"runs": [run_json(r) for r in runs]})
    else:
        for run in runs:
            checks = list(run.checks.all())
            failing = [c for c in checks if c.status != "pass"]
            console.print(f"[bold]{run.connection.name}[/] ({run.connection.kind}): {run.status}"
                          + (f" — {run.error}" if run.error else f", {len(failing)} of {len(checks)} checks failing"),
                          highlight=False, markup=True)
            for check in failing:
                console.print(f"  {check.status}: {check.finding or check.title}", highlight=False, markup=False)
    if any(r.status != "ok" for r in runs):
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add ``connectors`` and ``collect`` to the main command."""
    app.add_typer(connectors_app, name="connectors")
    app.command("collect")(collect)
