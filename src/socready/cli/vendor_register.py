"""``socready vendor add|list|review|bridge-letter|roll-forward``: the vendor register and the period's end.

Django is set up only when one of these runs, so ``socready vendor read`` stays a quick offline command; the
app's modules are imported inside the commands for that reason, as in ``socready.cli.reports``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from socready.cli.organizations import ORG_HELP, find_organization
from socready.cli.output import console, fail, print_json, print_table

if TYPE_CHECKING:
    from socready.accounts.models import Organization
    from socready.programs.models import Engagement



def _engagement(org: Organization, engagement_id: str) -> Engagement:
    from socready.programs.models import Engagement

    found = Engagement.objects.filter(organization=org, pk=int(engagement_id)).first() \
        if engagement_id.isdigit() else None
    if found is None:
        known = ", ".join(f"{e.pk} ({e.label})" for e in Engagement.objects.filter(organization=org))
        raise fail(f"--engagement: no engagement '{engagement_id}' in {org.slug}"
                   + (f"; known: {known}" if known else ""))
    return found


def add(
    name: str = typer.Option(..., "--name", help="The vendor's name."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    services: str = typer.Option("", "--services", help="Services we use from it."),
    data: str = typer.Option("", "--data", help="Data we share with it."),
    criticality: str = typer.Option("medium", "--criticality", help="low, medium, high or critical."),
    subservice: str = typer.Option("", "--subservice", help="carve-out or inclusive when it is a subservice "
                                                            "organization of our system."),
    review_months: int = typer.Option(12, "--review-months", min=1, max=36, help="How often its report is "
                                                                                 "reviewed."),
) -> None:
    """Add a vendor to the register."""
    organization = find_organization(org)
    from socready.vendors.models import Criticality, SubserviceMethod, Vendor

    if criticality not in Criticality.values:
        raise fail(f"--criticality: '{criticality}' is not one of {', '.join(Criticality.values)}")
    if subservice not in SubserviceMethod.values:
        raise fail(f"--subservice: '{subservice}' is not carve-out or inclusive")
    if Vendor.objects.filter(organization=organization, name=name).exists():
        raise fail(f"--name: {name} is already in the register of {org}")
    vendor = Vendor.objects.create(organization=organization, name=name, services=services, data_shared=data,
                                   criticality=criticality, subservice=subservice, review_months=review_months)
    console.print(f"Added {vendor.name} (id {vendor.pk}) to the register of {org}.", highlight=False, markup=False)


def list_vendors(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """The register, with how each vendor's reports cover each Type II engagement."""
    organization = find_organization(org)
    from socready.programs.models import Engagement, ReportType
    from socready.vendors.models import Vendor
    from socready.vendors.services import read_reports, vendor_coverage

    engagements = list(Engagement.objects.filter(organization=organization, report_type=ReportType.TYPE2))
    rows: list[dict[str, Any]] = []
    for vendor in Vendor.objects.filter(organization=organization).prefetch_related("reports"):
        coverage = {str(e.pk): c.verdict for e in engagements if (c := vendor_coverage(vendor, e))}
        rows.append({"id": vendor.pk, "name": vendor.name, "criticality": vendor.criticality,
                     "subservice": vendor.subservice or None, "reports": len(read_reports(vendor)),
                     "coverage": coverage})
    if as_json:
        print_json(rows)
        return
    print_table(f"Vendors of {org}", ["id", "vendor", "criticality", "subservice", "reports", "coverage"],
                [(r["id"], r["name"], r["criticality"], r["subservice"] or "", r["reports"],
                  "; ".join(f"engagement {k}: {v}" for k, v in r["coverage"].items())) for r in rows])


def review(
    report: Path = typer.Argument(..., help="The vendor's SOC report (PDF)."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    vendor: str = typer.Option(..., "--vendor", help="The vendor's name in the register."),
    conclusion: str = typer.Option("", "--conclusion", help="rely, follow_up or cannot_rely: confirms the facts "
                                                            "as read and records the review; without it the report "
                                                            "waits for review in the web app."),
    note: str = typer.Option("", "--note", help="Why, for the conclusion."),
    cuec: list[str] = typer.Option([], "--cuec", help="What CUEC N becomes: N=control (the default), N=task or "
                                                      "N=na:reason. Repeat for each CUEC."),
) -> None:
    """Store a vendor's report as evidence with the facts read from it; with --conclusion, record the review."""
    from socready.core.vendors.cuecs import parse_cuec_choice

    try:
        choices = dict(parse_cuec_choice(text) for text in cuec)
    except ValueError as exc:
        raise fail(f"--cuec: {exc}") from None
    if choices and not conclusion:
        raise fail("--cuec: give --conclusion too; the CUECs are placed when the review is recorded")
    organization = find_organization(org)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from socready.core.errors import InputError
    from socready.core.vendors.facts import facts_from_dict
    from socready.storage.blobs import UploadRefused
    from socready.vendors.models import Conclusion, Vendor
    from socready.vendors.services import confirm_review, upload_report

    row = Vendor.objects.filter(organization=organization, name=vendor).first()
    if row is None:
        raise fail(f"--vendor: no vendor named '{vendor}' in the register of {org}")
    if conclusion and conclusion not in Conclusion.values:
        raise fail(f"--conclusion: '{conclusion}' is not one of {', '.join(Conclusion.values)}")
    try:
        upload = SimpleUploadedFile(report.name, report.read_bytes(), content_type="application/pdf")
    except OSError as exc:
        raise fail(f"{report.name}: cannot be read: {exc.strerror}") from None
    # One transaction: a --cuec the report cannot take (a number past its last CUEC) stores nothing.
    with transaction.atomic():
        try:
            stored = upload_report(row, None, upload)
        except (InputError, UploadRefused) as exc:
            raise fail(str(exc) if str(exc).startswith(report.name) else f"{report.name}: {exc}") from None
        if conclusion:
            try:
                confirm_review(stored, None, facts_from_dict(stored.read_facts), conclusion, note, choices)
            except InputError as exc:
                raise fail(f"--cuec: {exc.reason}") from None
    console.print(f"Stored {report.name} (sha256 {stored.sha256}) for {row.name}: "
                  + ("reviewed." if conclusion else "waiting for review in the web app."), highlight=False,
                  markup=False)


def bridge_letter(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    engagement: str = typer.Option(..., "--engagement", help="The engagement whose report the letter bridges."),
    through: str = typer.Option(..., "--through", help="The last day the letter covers (YYYY-MM-DD)."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to write: a .docx or .pdf path."),
    statement: str = typer.Option("", "--statement", help="Management's statement (default: the standard draft)."),
) -> None:
    """Write a bridge letter from the engagement's period end to --through, with the changes recorded since."""
    if output.suffix.lower() not in (".docx", ".pdf"):
        raise fail(f"--output: {output.name} must end in .docx or .pdf")
    try:
        day = dt.date.fromisoformat(through)
    except ValueError:
        raise fail(f"--through: '{through}' is not a date (YYYY-MM-DD)") from None
    organization = find_organization(org)
    from socready.io.exports.bridge_letter import write_bridge_letter_docx, write_bridge_letter_pdf
    from socready.vendors.services_periods import bridge_letter as build

    try:
        letter = build(_engagement(organization, engagement), day, statement)
    except ValueError as exc:
        raise fail(f"--through: {exc}") from None
    (write_bridge_letter_pdf if output.suffix.lower() == ".pdf" else write_bridge_letter_docx)(letter, output)
    console.print(f"Wrote {output} ({letter.gap_days} days, {len(letter.changes)} control changes).",
                  highlight=False, markup=False)


def roll_forward(
    org: str = typer.Option(..., "--org", help=ORG_HELP),
    engagement: str = typer.Option(..., "--engagement", help="The finished engagement."),
) -> None:
    """Start the next period's engagement from a finished one, which becomes read-only."""
    organization = find_organization(org)
    from socready.vendors.services_periods import RollForwardRefused
    from socready.vendors.services_periods import roll_forward as start_next

    try:
        rolled = start_next(_engagement(organization, engagement), None)
    except RollForwardRefused as exc:
        raise fail(f"--engagement: {exc}") from None
    console.print(f"Started {rolled.target.label} (id {rolled.target.pk}); {rolled.source.label} is now read-only.",
                  highlight=False, markup=False)


def register(vendor_app: typer.Typer) -> None:
    """Attach the register commands to ``socready vendor``."""
    vendor_app.command("add")(add)
    vendor_app.command("list")(list_vendors)
    vendor_app.command("review")(review)
    vendor_app.command("bridge-letter")(bridge_letter)
    vendor_app.command("roll-forward")(roll_forward)
