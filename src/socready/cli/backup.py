"""``socready backup``, ``socready restore`` and ``socready evidence verify``: the data, kept and checked."""

from __future__ import annotations

from pathlib import Path

import typer

from socready.cli import django_setup
from socready.cli.output import EXIT_FAILED, console, fail, print_json

evidence_app = typer.Typer(help="Stored evidence files.", no_args_is_help=True)


def backup(
    target: Path = typer.Argument(..., help="A new or empty folder to write the backup into."),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest as JSON on stdout."),
) -> None:
    """Copy the database and every stored file into TARGET, with a manifest of hashes and row counts."""
    django_setup.setup()
    from socready.storage.backup import BackupError, create_backup

    try:
        manifest = create_backup(target)
    except BackupError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(manifest)
    else:
        rows = sum(manifest["tables"].values())
        console.print(f"Backed up {rows:,} rows in {len(manifest['tables'])} tables and "
                      f"{len(manifest['blobs']):,} stored files to {target}.", highlight=False)
    if manifest["blobs_left_out"]:
        raise fail(f"{len(manifest['blobs_left_out'])} stored file(s) no longer match their hash and were left "
                   f"out: {', '.join(manifest['blobs_left_out'][:5])}", code=EXIT_FAILED)


def restore(
    source: Path = typer.Argument(..., help="A folder written by `socready backup`."),
    force: bool = typer.Option(False, "--force", help="Replace the data already in the data directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest as JSON on stdout."),
) -> None:
    """Restore a backup into SOCREADY_DATA_DIR (or the configured database); refuses existing data unless forced."""
    django_setup.setup()
    from socready.storage.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(source, force=force)
    except BackupError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(manifest)
        return
    console.print(f"Restored {sum(manifest['tables'].values()):,} rows and {len(manifest['blobs']):,} stored files "
                  f"from {source} (backup of {manifest['created_at']}); row counts match the manifest.",
                  highlight=False)


@evidence_app.command("verify")
def evidence_verify(as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout.")) -> None:
    """Hash every stored evidence file and report any whose content no longer matches."""
    django_setup.setup()
    from socready.storage.backup import verify_blobs

    result = verify_blobs()
    if as_json:
        print_json({"ok": result.ok, "checked": result.checked, "bytes": result.bytes, "bad": result.bad})
    elif result.ok:
        console.print(f"All {result.checked:,} stored files match their SHA-256 ({result.bytes:,} bytes).")
    else:
        console.print(f"[bold red]{len(result.bad)} of {result.checked:,} stored files do not match their SHA-256:[/] "
                      + ", ".join(result.bad[:20]), highlight=False)
    if not result.ok:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Attach backup, restore and evidence verify."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.add_typer(evidence_app, name="evidence")
