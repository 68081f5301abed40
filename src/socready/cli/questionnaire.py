"""``socready questionnaire ...``: find the reports prospects ask for, and map questions to criteria."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress

from socready.cli.output import console, err_console, print_json, print_table, user_errors
from socready.core.asks import Ask, ProspectAsks, scan_questions, summarize_asks
from socready.core.question_mapping import default_mapper
from socready.io.questionnaire import ReadResult, iter_questionnaires, read_questionnaire

questionnaire_app = typer.Typer(help="Customer questionnaires: requested reports and criteria mapping.",
                                no_args_is_help=True)

# Below this many files a progress bar is more noise than help.
PROGRESS_FROM = 5


def _ask_json(ask: Ask) -> dict[str, Any]:
    return {"report": ask.report, "type": ask.type, "categories": list(ask.categories),
            "recency_months": ask.recency_months, "legacy_name": ask.legacy_name, "phrase": ask.phrase,
            "question_id": ask.question_id, "question": ask.question, "location": ask.location}


def _summary_json(summary: ProspectAsks, failed: int) -> dict[str, Any]:
    return {
        "files_read": summary.files_total,
        "files_failed": failed,
        "reports": [{"report": c.report, "type": c.type, "label": c.label, "files": len(c.files),
                     "file_names": list(c.files)} for c in summary.counts],
        "report_files": summary.report_totals(),
        "categories": dict(summary.categories),
        "recency_months": summary.recency_months,
        "soc1": summary.soc1,
        "soc2": summary.soc2,
        "soc2_categories": list(summary.soc2_categories),
        "report_type": summary.report_type,
        "lines": summary.lines(),
    }


def _read_all(files: Sequence[Path], quiet: bool) -> list[ReadResult]:
    if len(files) < PROGRESS_FROM or quiet:
        return list(iter_questionnaires(files))
    results: list[ReadResult] = []
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Reading questionnaires", total=len(files))
        for result in iter_questionnaires(files):
            results.append(result)
            progress.advance(task)
    return results


@questionnaire_app.command("scan")
def scan(
    files: list[Path] = typer.Argument(..., help="Questionnaire files (.xlsx .csv .docx .pdf .txt .md)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Which reports (SOC 1/2/3, Type I/II, ISO 27001 ...) each questionnaire asks for, and overall."""
    results = _read_all(files, quiet=as_json)
    per_file: dict[str, list[Ask]] = {}
    entries: list[dict[str, Any]] = []
    for result in results:
        asks: list[Ask] = []
        warnings: list[str] = []
        if result.questionnaire is not None:
            asks = scan_questions(result.questionnaire.questions, source=result.file)
            per_file[result.file] = asks
            warnings = list(result.questionnaire.warnings)
        entries.append({"file": result.file,
                        "questions": len(result.questionnaire.questions) if result.questionnaire else 0,
                        "asks": [_ask_json(a) for a in asks], "warnings": warnings, "error": result.error})
    failed = sum(1 for r in results if r.error)
    summary = summarize_asks(per_file)
    if as_json:
        print_json({"files": entries, "summary": _summary_json(summary, failed)})
    else:
        rows = [(e["file"], a["report"], a["type"] or "", ", ".join(a["categories"]), a["question_id"],
                 a["location"], a["question"]) for e in entries for a in e["asks"]]
        print_table("Reports asked for", ["file", "report", "type", "categories", "id", "location", "question"],
                    rows)
        for line in summary.lines():
            console.print(line)
        for entry in entries:
            for warning in entry["warnings"]:
                err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
            if entry["error"]:
                err_console.print(f"[bold red]error:[/] {entry['error']}", highlight=False)
    if failed:
        raise typer.Exit(2)


@questionnaire_app.command("map")
def map_questions(
    file: Path = typer.Argument(..., help="A questionnaire file."),
    limit: int = typer.Option(5, "--limit", min=1, max=20, help="Criteria and controls per question."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Each question with the criteria and library controls it is about, best first."""
    with user_errors():
        questionnaire = read_questionnaire(file)
    mapper = default_mapper()
    out: list[dict[str, Any]] = []
    for question in questionnaire.questions:
        mapping = mapper.map(question.text, question_id=question.id, limit=limit, control_limit=limit)
        out.append({"id": question.id, "text": question.text, "location": question.location,
                    "answer": question.answer, "section": question.section,
                    "criteria": list(mapping.criterion_ids), "controls": list(mapping.control_ids),
                    "scores": {r.id: r.score for r in mapping.criteria}})
    for warning in questionnaire.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if as_json:
        print_json({"file": questionnaire.file, "questions": out, "warnings": list(questionnaire.warnings)})
        return
    print_table(f"{questionnaire.file}: {len(out)} questions", ["id", "location", "question", "criteria", "controls"],
                [(q["id"], q["location"], q["text"], " ".join(q["criteria"]), " ".join(q["controls"][:3]))
                 for q in out])


def register(app: typer.Typer) -> None:
    """Add the ``questionnaire`` command group to the main app."""
    app.add_typer(questionnaire_app, name="questionnaire")
