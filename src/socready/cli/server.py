"""Server and admin commands: serve, worker, demo, createuser, audit verify."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

import typer

from socready.cli import django_setup
from socready.cli.output import EXIT_FAILED, console, fail, print_json
from socready.cli.task_worker import worker, worker_alongside

if TYPE_CHECKING:
    from gunicorn._types import _WSGIAppType  # the stubs' name for a WSGI application

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)

HOST_HELP = "Address to listen on (loopback by default)."
DEFAULT_THREADS = 1
MAX_WORKERS = 12


def _serve(host: str, port: int, *, workers: int, threads: int, task_worker: bool = True) -> None:
    """Serve until stopped, with a background task worker alongside unless ``task_worker`` is off."""
    from django.conf import settings
    from django.db import connections

    from socready.storage.uploads import remove_stale_temp_files

    # Half-received uploads of a server that was killed: their process is gone, so they go now.
    removed = remove_stale_temp_files()
    if removed:
        console.print(f"Removed {removed} temporary upload file(s) left by a stopped server.")
    # Scored programs and drawn pages cached by the previous run may come from another release (an upgrade
    # restarts the server): start from an empty shared cache rather than serve them.
    from django.core.cache import caches

    if "shared" in settings.CACHES:
        caches["shared"].clear()
    # Migrations left a connection open; a forked web worker must not share it.
    connections.close_all()
    with worker_alongside(enabled=task_worker):
        if settings.DEBUG:
            from django.core.management import call_command

            call_command("runserver", f"{host}:{port}", use_reloader=False)
        elif sys.platform == "win32":
            _serve_waitress(host, port, threads=threads * workers)
        else:
            _serve_gunicorn(host, port, workers=workers, threads=threads)


def _serve_gunicorn(host: str, port: int, *, workers: int, threads: int) -> None:
    """Pre-forked worker processes, one request at a time each unless threads are asked for.

    See docs/decisions/0001-production-server.md for why.
    """
    from gunicorn.app.base import BaseApplication

    from socready.web.wsgi import application, warm_up

    warm_up()
    options: dict[str, object] = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"], "workers": workers, "threads": threads,
        "worker_class": "sync" if threads == 1 else "gthread", "proc_name": "socready",
        # A busy sync worker is restarted after this many seconds; leave room for a large export or upload.
        "timeout": 120,
        # Its default path is shared by every gunicorn of the user; socready needs no run-time control.
        "control_socket_disable": True,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorn releases lack some settings
                    self.cfg.set(key, value)

        def load(self) -> _WSGIAppType:
            # Django's handler is a WSGI application; its stubs type the response it returns without __iter__.
            return cast("_WSGIAppType", application)

    Server().run()


def _serve_waitress(host: str, port: int, *, threads: int) -> None:
    """One process with threads: the fallback where gunicorn does not run (Windows)."""
    from waitress import serve as waitress_serve

    from socready.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="socready")


def default_workers() -> int:
    """Two web worker processes per CPU this process may run on, plus one, at most ``MAX_WORKERS``.

    More processes than CPUs keep the CPUs busy while some requests wait on the database.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not every platform can tell the affinity
        cpus = os.cpu_count() or 1
    return min(2 * cpus + 1, MAX_WORKERS)


def serve(
    host: str = typer.Option("127.0.0.1", help=HOST_HELP),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(0, min=0,
                                help=f"Web worker processes (0: two per CPU plus one, at most {MAX_WORKERS})."),
    threads: int = typer.Option(DEFAULT_THREADS, min=1, help="Threads in each web worker process (more than one: "
                                "gunicorn's threaded workers)."),
    no_worker: bool = typer.Option(False, "--no-worker",
                                   help="Do not start the background task worker (run `socready worker` elsewhere)."),
) -> None:
    """Apply migrations and serve the web app with a background task worker (Django's dev server when DEBUG)."""
    django_setup.setup(serving=True)
    django_setup.migrate()
    workers = workers or default_workers()
    console.print(f"socready is serving on http://{host}:{port}/")
    _serve(host, port, workers=workers, threads=threads, task_worker=not no_worker)


def demo_guide(no_serve: bool) -> list[str]:
    """Where the demo's data lives, how to start again from nothing and how to stop: said once, plainly."""
    from django.conf import settings

    folder = settings.DATA_DIR
    lines = [f"Data: {folder} (the database, stored evidence and the demo password; set SOCREADY_DATA_DIR "
             "to use another folder).",
             f"Start again from nothing: stop the server, delete {folder}, run the demo again."]
    if not no_serve:
        lines.append("Stop: press Ctrl+C in this terminal.")
    return lines


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
    from socready.demo.organization import ensure_demo

    result = ensure_demo()
    if as_json:
        print_json(result)
    else:
        console.print(f"Demo organization [bold]{result['organization']}[/] (slug [bold]{result['slug']}[/])")
        for person in result["users"]:
            console.print(f"  {person['role']:<12} {person['email']}  password: {person['password']}")
        for line in demo_guide(no_serve):
            console.print(line)
        if not no_serve:
            console.print(f"Open http://{host}:{port}/ and sign in as the owner above.")
    if not no_serve:
        # One person tries the demo: a few processes are plenty and keep a laptop's memory free.
        _serve(host, port, workers=min(3, default_workers()), threads=DEFAULT_THREADS)


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
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Attach the server and admin commands."""
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("demo")(demo)
    app.command("createuser")(createuser)
    app.add_typer(audit_app, name="audit")
