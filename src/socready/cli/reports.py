"""Readiness and export commands over an organization's program: readiness, export."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from socready.cli.organizations import ORG_HELP, find_organization
from socready.cli.output import EXIT_FAILED, console, err_console, fail, print_json, print_table

if TYPE_CHECKING:
    from socready.reports.services import ProgramReadiness

ENGAGEMENT_HELP = "Only this engagement: its id as shown by `socready readiness` and in the web app."
GAPS_SHOWN = 15


def _program(org_slug: str, engagement: str | None) -> ProgramReadiness:
    """Start Django, find the organization and score its program; an unknown org or engagement is bad input."""
    org = find_organization(org_slug, list_known=True)
    from socready.reports.services import EngagementChoiceError, ReportError, program_readiness

    try:
        return program_readiness(org, engagement)
    except EngagementChoiceError as exc:
        raise fail(f"--engagement: {exc}") from None
    except ReportError as exc:
        raise fail(str(exc), EXIT_FAILED) from None


def _print_readiness(program: ProgramReadiness, gaps_shown: int) -> None:
    result = program.readiness
    console.print(f"[bold]{escape(result.organization)}[/]: readiness [bold]{result.overall.value}[/]/100 "
                  f"as of {result.today.isoformat()}", highlight=False)
    gap_counts = {r.engagement.id: sum(r.engagement.id in g.engagements for g in result.gaps)
                  for r in result.by_report}
    print_table("Engagements (use the id with --engagement)", ["id", "engagement", "score", "ready by", "gaps"],
                [(r.engagement.id, program.row(r.engagement.id).label, r.score.value, r.ready_date.isoformat(),
                  gap_counts[r.engagement.id]) for r in result.by_report])
    if result.by_category:
        print_table("SOC 2 categories", ["category", "score"],
                    [(name, score.value) for name, score in result.by_category.items()])
    if result.gaps:
        shown = result.gaps[:gaps_shown]
        print_table(f"Gaps by impact ({len(shown)} of {len(result.gaps)})",
                    ["target", "state", "engagements", "reason", "suggested task"],
                    [(g.target, g.kind, ", ".join(g.engagements), g.reason,
                      g.task.title + (f" (tracked: {g.task.open_task})" if g.task.open_task else ""))
                     for g in shown])
        if len(result.gaps) > len(shown):
            console.print(f"{len(result.gaps) - len(shown)} more gap(s): use --gaps N or --json.")
    if result.ready_date:
        console.print(f"Estimated ready date: [bold]{result.ready_date.isoformat()}[/]", highlight=False)
        for note in result.ready_date_notes:
            console.print(f"  - {note}", highlight=False, markup=False)
    for skipped in program.view.skipped:
        console.print(f"Not scored: {skipped}", highlight=False, markup=False)


def readiness(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    engagement: str | None = typer.Option(None, "--engagement", help=ENGAGEMENT_HELP),
    gaps: int = typer.Option(GAPS_SHOWN, "--gaps", min=0, help="How many gaps the table shows."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Readiness of an organization: overall, by category and report, gaps with tasks, the ready date."""
    program = _program(org, engagement)
    if as_json:
        print_json(program.to_dict())
    else:
        _print_readiness(program, gaps)


def _check_target(path: Path, directory: bool, force: bool) -> None:
    if not path.parent.is_dir():
        raise fail(f"-o {path}: the folder {path.parent} does not exist")
    if directory and path.exists() and not path.is_dir():
        raise fail(f"-o {path}: OSCAL is written to a folder (or a .zip) and this is a file")
    if not directory and path.is_dir():
        raise fail(f"-o {path}: is a folder; give a file name")
    if path.exists() and not force and not (directory and not any(path.iterdir())):
        raise fail(f"-o {path}: already exists; pass --force to replace it")


@contextmanager
def _staged(path: Path, directory: bool) -> Iterator[Path]:
    """A temporary path beside ``path``, moved into place only if the export succeeds.

    So a failed export (a corrupt evidence file, a full disk) leaves no half-written file behind and an
    existing file untouched. A folder export replaces the files of the same name inside the folder.
    """
    staged = path.parent / f".{path.stem}-{secrets.token_hex(4)}.partial{path.suffix}"
    try:
        yield staged
        if directory:
            path.mkdir(exist_ok=True)
            for item in staged.iterdir():
                os.replace(item, path / item.name)
        else:
            os.replace(staged, path)
    finally:
        if staged.is_dir():
            shutil.rmtree(staged, ignore_errors=True)
        elif staged.exists():
            staged.unlink()


def export(
    kind: str = typer.Argument(..., help="report-html, report-pdf, matrix, pbc, description, oscal or bundle."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write, named for the format: report-html "
                                ".html, report-pdf .pdf, matrix .xlsx, pbc .xlsx (or .csv for CSV), description "
                                ".docx, oscal a folder (created) or a .zip, bundle .zip."),
    engagement: str | None = typer.Option(None, "--engagement", help=ENGAGEMENT_HELP),
    force: bool = typer.Option(False, "--force", help="Replace PATH if it exists."),
) -> None:
    """Write one file of the auditor package for an organization (or one of its engagements)."""
    from socready.reports.kinds import BY_KIND, output_problem

    if kind not in BY_KIND:
        raise fail(f"unknown export '{kind}'; choose one of: {', '.join(BY_KIND)}")
    problem = output_problem(BY_KIND[kind], output)
    if problem:
        raise fail(f"-o {output}: {problem}")
    directory = kind == "oscal" and output.suffix.lower() != ".zip"
    _check_target(output, directory, force)
    program = _program(org, engagement)
    from socready.reports.exports import write_export
    from socready.reports.services import ReportError

    title = BY_KIND[kind].title
    try:
        with err_console.status(f"Writing {title} …"), _staged(output, directory) as staged:
            write_export(program, kind, staged)
    except ReportError as exc:  # stored evidence missing or altered: not something -o or --org can fix
        raise fail(str(exc), EXIT_FAILED) from None
    size = sum(p.stat().st_size for p in output.iterdir()) if directory else output.stat().st_size
    extra = f", {len(program.evidence_files)} evidence file(s)" if kind == "bundle" else ""
    console.print(f"Wrote {title} of {program.organization.name} to {output} ({size:,} bytes{extra})",
                  highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the ``socready`` app."""
    app.command("readiness")(readiness)
    app.command("export")(export)
