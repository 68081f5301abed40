"""``socready vendor``: read a vendor's SOC report; keep the vendor register; bridge letters; rolling forward."""

from __future__ import annotations

from pathlib import Path

import typer

from socready.cli import vendor_register
from socready.cli.output import console, print_json, print_table, user_errors
from socready.core.vendors.facts import ReportFacts
from socready.io.sandbox import VENDOR_REPORT_SANDBOX, run_bounded
from socready.io.socreport.reader import read_soc_report

vendor_app = typer.Typer(help="Vendors and their SOC reports.", no_args_is_help=True)


def _where(facts: ReportFacts, name: str) -> str:
    page = facts.fact_pages.get(name)
    ocr = " (OCR)" if facts.fact_sources.get(name) == "ocr" else ""
    return f"p. {page}{ocr}" if page else ""


def _show(facts: ReportFacts) -> None:
    data = facts.to_dict()
    rows = [(name, "" if data[name] in (None, []) else data[name], _where(facts, name))
            for name in ("report", "type", "period_start", "period_end", "as_of", "service_auditor", "report_date",
                         "opinion")]
    rows.append(("categories", ", ".join(facts.categories), _where(facts, "categories")))
    rows += [("subservice organization", f"{s.name} ({s.service}), {s.method}", f"p. {s.page}")
             for s in facts.subservice_organizations]
    rows += [("CUEC", c.text, f"p. {c.page}") for c in facts.cuecs]
    rows += [("exception", e.text, f"p. {e.page}") for e in facts.exceptions]
    print_table(f"SOC report facts ({facts.pages} pages)", ["fact", "value", "page"], rows)
    for warning in facts.warnings:
        console.print(f"[yellow]check:[/] {warning}", highlight=False, markup=True)


@vendor_app.command("read")
def read(
    report: Path = typer.Argument(..., help="The vendor's SOC report (PDF with a text layer)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Read a vendor's SOC report: kind, type, period, auditor, opinion, categories, subservice organizations,
    CUECs, exceptions and the page of each."""
    with user_errors():
        # A stranger's PDF, and the OCR of its scanned pages: read in a child process held to a time limit and
        # a memory cap, so a file that hangs or balloons the parser is refused (exit 2) instead of hanging here.
        facts = run_bounded(read_soc_report, report.name, VENDOR_REPORT_SANDBOX, report)
    if as_json:
        print_json(facts.to_dict())
        return
    _show(facts)


def register(app: typer.Typer) -> None:
    """Attach the ``vendor`` commands to the main app."""
    vendor_register.register(vendor_app)
    app.add_typer(vendor_app, name="vendor")
