"""``socready questionnaire ...``: find the reports prospects ask for, map questions, draft answers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import Progress

from socready.cli import django_setup
from socready.cli.output import EXIT_BAD_INPUT, console, err_console, fail, print_json, print_table, user_errors
from socready.core.questionnaires.answering import Answerer, Draft, summarize
from socready.core.questionnaires.ask_groups import ReportAsk, group_asks
from socready.core.questionnaires.asks import Ask, ProspectAsks, scan_questions, summarize_asks
from socready.core.questionnaires.knowledge import AnswerBook
from socready.core.questionnaires.mapping import default_mapper
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.io.questionnaire import Question, ReadResult
from socready.io.questionnaire.answers import FilledAnswer, from_draft, write_answers
from socready.io.questionnaire.bounded import iter_bounded, read_bounded

questionnaire_app = typer.Typer(help="Customer questionnaires: requested reports, criteria mapping, draft answers.",
                                no_args_is_help=True)

# Below this many files a progress bar is more noise than help.
PROGRESS_FROM = 5
# Drafting takes a few milliseconds a question; long questionnaires show a progress bar.
PROGRESS_QUESTIONS = 100


def _ask_json(ask: Ask) -> dict[str, Any]:
    return {"report": ask.report, "type": ask.type, "categories": list(ask.categories),
            "recency_months": ask.recency_months, "legacy_name": ask.legacy_name, "phrase": ask.phrase,
            "question_id": ask.question_id, "question": ask.question, "location": ask.location,
            "weak": ask.weak, "conditional": ask.conditional}


def _report_json(report: ReportAsk) -> dict[str, Any]:
    return {"report": report.report, "types": list(report.types), "categories": list(report.categories),
            "strength": report.strength, "locations": list(report.locations),
            "places": [{"question_id": p.question_id, "location": p.location, "wording": p.wording,
                        "weak": p.weak, "conditional": p.conditional} for p in report.places]}


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
        return list(iter_bounded(files))
    results: list[ReadResult] = []
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Reading questionnaires", total=len(files))
        for result in iter_bounded(files):
            results.append(result)
            progress.advance(task)
    return results


def _scan_entries(results: Sequence[ReadResult]) -> tuple[dict[str, list[Ask]], list[dict[str, Any]]]:
    """The asks of each questionnaire read, by file, and one JSON entry per file."""
    per_file: dict[str, list[Ask]] = {}
    entries: list[dict[str, Any]] = []
    for result in results:
        asks: list[Ask] = []
        warnings: list[str] = []
        if result.questionnaire is not None:
            asks = scan_questions(result.questionnaire.questions, source=result.file)
            per_file[result.file] = asks
            warnings = list(result.questionnaire.warnings)
        skipped = [{"sheet": part.name, "reason": part.reason}
                   for part in (result.questionnaire.skipped if result.questionnaire else ())]
        entries.append({"file": result.file,
                        "questions": len(result.questionnaire.questions) if result.questionnaire else 0,
                        "reports": [_report_json(r) for r in group_asks(asks)], "skipped": skipped,
                        "asks": [_ask_json(a) for a in asks], "warnings": warnings, "error": result.error})
    return per_file, entries


def _print_skipped(entries: Sequence[dict[str, Any]]) -> None:
    """Name on stderr the parts of each file that were skipped, and why."""
    for entry in entries:
        for part in entry["skipped"]:
            err_console.print(f"{escape(entry['file'])}: skipped '{escape(part['sheet'])}' "
                              f"({escape(part['reason'])})", highlight=False)


def _print_problems(entries: Sequence[dict[str, Any]]) -> None:
    """Print on stderr each file's warnings and its error, if any."""
    for entry in entries:
        for warning in entry["warnings"]:
            err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
        if entry["error"]:
            err_console.print(f"[bold red]error:[/] {escape(entry['error'])}", highlight=False)


def _print_scan(entries: Sequence[dict[str, Any]], summary: ProspectAsks) -> None:
    """Print the reports each file asks for, the skipped parts, the summary, then warnings and errors."""
    rows = [(e["file"], r["report"], ", ".join(r["types"]), r["strength"], ", ".join(r["categories"]),
             ", ".join(r["locations"])) for e in entries for r in e["reports"]]
    print_table("Reports asked for", ["file", "report", "type", "asked", "categories", "where"], rows)
    _print_skipped(entries)
    for line in summary.lines():
        console.print(line, markup=False)
    _print_problems(entries)


@questionnaire_app.command("scan")
def scan(
    files: list[Path] = typer.Argument(..., help="Questionnaire files (.xlsx .csv .docx .pdf .txt .md)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Which reports (SOC 1/2/3, Type I/II, ISO 27001 ...) each questionnaire asks for, and overall."""
    results = _read_all(files, quiet=as_json)
    per_file, entries = _scan_entries(results)
    failed = sum(1 for r in results if r.error)
    summary = summarize_asks(per_file)
    if as_json:
        print_json({"files": entries, "summary": _summary_json(summary, failed)})
    else:
        _print_scan(entries, summary)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@questionnaire_app.command("map")
def map_questions(
    file: Path = typer.Argument(..., help="A questionnaire file."),
    limit: int = typer.Option(5, "--limit", min=1, max=20, help="Criteria and controls per question."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Each question with the criteria and library controls it is about, best first."""
    with user_errors():
        questionnaire = read_bounded(file)
    mapper = default_mapper()
    out: list[dict[str, Any]] = []
    for question in questionnaire.questions:
        mapping = mapper.map(question.text, question_id=question.id, limit=limit, control_limit=limit)
        out.append({"id": question.id, "text": question.text, "location": question.location,
                    "answer": question.answer, "section": question.section,
                    "criteria": list(mapping.criterion_ids), "controls": list(mapping.control_ids),
                    "scores": {r.id: r.score for r in mapping.criteria}})
    for warning in questionnaire.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    if as_json:
        print_json({"file": questionnaire.file, "questions": out, "warnings": list(questionnaire.warnings)})
        return
    print_table(f"{questionnaire.file}: {len(out)} questions", ["id", "location", "question", "criteria", "controls"],
                [(q["id"], q["location"], q["text"], " ".join(q["criteria"]), " ".join(q["controls"][:3]))
                 for q in out])


def _draft_json(draft: Draft) -> dict[str, Any]:
    return {"id": draft.question_id, "text": draft.question, "location": draft.location, "answer": draft.answer,
            "explanation": draft.explanation, "confidence": draft.confidence, "needs_review": draft.needs_review,
            "reason": draft.review_reason or draft.explanation, "review_reason": draft.review_reason,
            "kind": draft.kind, "controls": [c.code for c in draft.controls],
            "control_details": [{"code": c.code, "title": c.title, "status": c.status} for c in draft.controls],
            "evidence": [{"title": e.title, "date": e.date.isoformat(), "control": e.control} for e in draft.evidence]}


def _prospect_answer(draft: Draft, section: str | None) -> FilledAnswer:
    """What the copy to send carries for a draft: the answer and its explanation, never a note.

    From the command line nobody has reviewed the drafts, so only those that needed no review go in;
    the rest stay blank for a person to fill.
    """
    ready = draft.answer is not None and not draft.needs_review
    return FilledAnswer(question_id=draft.question_id, question=draft.question, location=draft.location,
                        answer=draft.answer if ready else None, explanation=draft.explanation if ready else "",
                        section=section)


def _organization_program(slug: str) -> tuple[ProgramSnapshot, AnswerBook]:
    """Start Django and read the organization's program and reviewed answers; an unknown slug ends the command."""
    django_setup.setup()
    django_setup.migrate()
    from socready.accounts.models import Organization
    from socready.questionnaires.services import answer_book
    from socready.snapshot import build_view

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        raise fail(f"--org: no organization with the slug '{slug}'")
    return build_view(org).snapshot, answer_book(org)


def _draft_all(questions: Sequence[Question], snapshot: ProgramSnapshot, book: AnswerBook,
               quiet: bool) -> list[Draft]:
    mapper = default_mapper()
    answerer = Answerer(snapshot, mapper.controls, book=book)

    def one(question: Question) -> Draft:
        return answerer.answer(question, mapper.map(question.text, question_id=question.id, control_limit=8))

    if quiet or len(questions) < PROGRESS_QUESTIONS:
        return [one(q) for q in questions]
    drafts: list[Draft] = []
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("Drafting answers", total=len(questions))
        for question in questions:
            drafts.append(one(question))
            progress.advance(task)
    return drafts


@questionnaire_app.command("answer")
def answer(
    file: Path = typer.Argument(..., help="The questionnaire to answer (.xlsx .csv .docx .pdf .txt .md)."),
    org: str = typer.Option(..., "--org", help="Slug of the organization whose program answers it."),
    out: Path = typer.Option(..., "-o", "--out", help="Where to write the filled copy (or answer workbook)."),
    copy: str = typer.Option("working", "--copy",
                             help="'working': every draft with review notes, for the team; 'prospect': the copy "
                                  "to send, answers needing no review only, in the file's own answer cells."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Draft an answer to every question from the organization's program and write them into a copy."""
    if copy not in ("working", "prospect"):
        raise fail(f"--copy: '{copy}' is not one of: working, prospect")
    with user_errors():
        questionnaire = read_bounded(file)
    snapshot, book = _organization_program(org)
    drafts = _draft_all(questionnaire.questions, snapshot, book, quiet=as_json)
    sections = {q.id: q.section for q in questionnaire.questions}
    internal = copy == "working"
    filled = [from_draft(d, sections.get(d.question_id)) if internal else
              _prospect_answer(d, sections.get(d.question_id)) for d in drafts]
    with user_errors():
        written = write_answers(file, filled, out, internal=internal)
    summary = summarize(drafts)
    counts = {"questions": summary.total, "yes": summary.yes, "no": summary.no, "partial": summary.partial,
              "na": summary.na, "unanswered": summary.unanswered, "needs_review": summary.needs_review}
    for warning in questionnaire.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    if as_json:
        print_json({"file": questionnaire.file, "organization": org, "output": str(written.path),
                    "output_kind": written.kind, "copy": copy, "message": written.message, "summary": counts,
                    "questions": [_draft_json(d) for d in drafts], "warnings": list(questionnaire.warnings)})
        return
    print_table(f"{questionnaire.file}: {summary.total} questions",
                ["id", "location", "answer", "review", "explanation"],
                [(d.question_id, d.location, d.answer or "-", d.review_reason, d.explanation) for d in drafts])
    console.print(f"Yes {summary.yes}, No {summary.no}, Partial {summary.partial}, N/A {summary.na}, "
                  f"no answer {summary.unanswered}; "
                  f"{summary.needs_review} need review.", highlight=False, soft_wrap=True)
    console.print(written.message, highlight=False, soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``questionnaire`` command group to the main app."""
    app.add_typer(questionnaire_app, name="questionnaire")
