"""Server and admin commands: serve, demo, createuser, audit verify."""

from __future__ import annotations

import typer

from socready.cli import django_setup
from socready.cli.output import console, fail, print_json

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)

HOST_HELP = "Address to listen on (loopback by default)."


def _serve(host: str, port: int, threads: int) -> None:
    from django.conf import settings

    if settings.DEBUG:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return
    from waitress import serve as waitress_serve

    from socready.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="socready")


def serve(
    host: str = typer.Option("127.0.0.1", help=HOST_HELP),
    port: int = typer.Option(8000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Worker threads of the production server."),
) -> None:
    """Apply migrations and serve the web app (waitress; Django's dev server when SOCREADY_DEBUG=1)."""
    django_setup.setup(serving=True)
    django_setup.migrate()
    console.print(f"socready is serving on http://{host}:{port}/")
    _serve(host, port, threads)


def demo(
    no_serve: bool = typer.Option(False, "--no-serve", help="Create or refresh the demo organization and exit."),
    host: str = typer.Option("127.0.0.1", help=HOST_HELP),
    port: int = typer.Option(8000, help="Port to listen on."),
    as_json: bool = typer.Option(False, "--json", help="Print the sign-in details as JSON."),
) -> None:
    """Create (idempotently) the demo organization, print how to sign in, then serve."""
    django_setup.demo_secret_key()
    django_setup.setup(serving=not no_serve)
    django_setup.migrate()
    from socready.programs.demo import ensure_demo

    result = ensure_demo()
    if as_json:
        print_json(result)
    else:
        console.print(f"Demo organization [bold]{result['organization']}[/] (slug [bold]{result['slug']}[/])")
        for person in result["users"]:
            console.print(f"  {person['role']:<12} {person['email']}  password: {person['password']}")
        if not no_serve:
            console.print(f"Open http://{host}:{port}/ and sign in as the owner above.")
    if not no_serve:
        _serve(host, port, 8)


def createuser(
    email: str = typer.Option(..., prompt=True, help="The person's email (their sign-in name)."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    staff: bool = typer.Option(False, "--staff", help="May use the Django admin."),
    organization: str = typer.Option("", "--org", help="Slug of an organization to join (created if new)."),
    role: str = typer.Option("owner", help="Role in that organization: owner, admin, contributor, auditor."),
) -> None:
    """Create a user for a real install, optionally as a member of an organization."""
    django_setup.setup()
    django_setup.migrate()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from socready.accounts.services import add_member, create_user

    try:
        validate_password(password)
        user = create_user(email=email, password=password, staff=staff)
        if organization:
            add_member(user, organization, role)
    except (ValidationError, ValueError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        raise fail("; ".join(messages)) from None
    console.print(f"Created {user.email}" + (f" ({role} of {organization})" if organization else ""))


@audit_app.command("verify")
def audit_verify(as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """Check the audit trail's hash chain; report the first broken link."""
    django_setup.setup()
    from socready.audit.chain import verify_chain

    report = verify_chain()
    if as_json:
        print_json({"ok": report.ok, "checked": report.checked, "broken_id": report.broken_id,
                    "reason": report.reason})
    elif report.ok:
        console.print(f"Audit trail intact: {report.checked} events checked.")
    else:
        console.print(f"[bold red]Audit trail broken[/] at event {report.broken_id}: {report.reason} "
                      f"({report.checked} events before it check out).")
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Attach the server and admin commands."""
    app.command("serve")(serve)
    app.command("demo")(demo)
    app.command("createuser")(createuser)
    app.add_typer(audit_app, name="audit")
