"""The demo's vendor register: the cloud host as a carve-out subservice organization with a reviewed SOC 2 report,
and the bank-data provider still waiting for its report.

Both companies are fictional. The host's report is written here, rendered to PDF and read by the same reader a
real upload goes through, so the review screen, the CUECs in the program, the risk its exception raises and the
coverage gap are what a user would see with their own vendor's report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from socready.accounts.models import Organization
from socready.core.vendors.cuecs import CuecChoice
from socready.core.vendors.facts import facts_from_dict
from socready.vendors.models import Conclusion, Criticality, SubserviceMethod, Vendor
from socready.vendors.services import confirm_review, upload_report

HOST = "Nimbus Harbor Cloud"
BANK_DATA = "Tollgate Bank Data"
HOST_FIRM = "Marlowe Quay LLP"


def _day(value: dt.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _report_html(start: dt.date, end: dt.date, signed: dt.date) -> str:
    period = f"{_day(start)} to {_day(end)}"
    rows = [("CC6.1", "Console sign-in needs a second factor.", "Inspected the sign-in policy.",
             "No exceptions noted."),
            ("CC6.2", "New operator accounts are approved.", "Inspected 25 new accounts.", "No exceptions noted."),
            ("CC7.2", "Security alerts are triaged within a day.", "Inspected 40 alerts.",
             "Exception noted: 2 of 40 alerts were triaged after three days."),
            ("A1.2", "Backups are copied to a second region daily.", "Inspected 25 days of logs.",
             "No exceptions noted.")]
    table = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in rows)
    sections = [
        f"<h1>{HOST}, Inc.</h1><p>System and Organization Controls (SOC 2) Type 2 Report</p>"
        "<p>Report on the Nimbus Harbor Hosting Platform relevant to Security and Availability</p>"
        f"<p>For the period {period}</p><p><small>A fictional report written for the socready demo.</small></p>",
        f"<h2>Independent Service Auditor's Report</h2><p>To the Management of {HOST}, Inc.</p>"
        f"<p><b>Scope</b></p><p>We have examined the description of the Nimbus Harbor Hosting Platform throughout the "
        f"period {period} and the suitability of design and operating effectiveness of its controls, based on the "
        "trust services criteria relevant to Security and Availability.</p>"
        "<p>The description names complementary user entity controls that customers must operate. We did not test "
        "them.</p><p><b>Opinion</b></p><p>In our opinion, in all material respects, the description presents the "
        "platform as designed and implemented throughout the period, and the controls stated in it were suitably "
        f"designed and operated effectively throughout the period {period}.</p>"
        f"<p>{HOST_FIRM}</p><p>Seattle, Washington</p><p>{_day(signed)}</p>",
        "<h2>Complementary User Entity Controls</h2><p>Customers are responsible for the following controls.</p>"
        "<p>1. Customers review who can sign in to their hosting console every quarter and remove leavers.</p>"
        "<p>2. Customers turn on encryption for the storage volumes that hold their data.</p>"
        "<p>3. Customers keep their own copy of data they cannot afford to lose in one region.</p>",
        "<h2>Section 4: Tests of Controls and Results</h2><table><tr><th>Control</th><th>Control activity</th>"
        f"<th>Test performed</th><th>Result</th></tr>{table}</table>"]
    style = ("@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 10pt } "
             "section { break-after: page } td { border: 1px solid #888; padding: 3px; vertical-align: top }")
    body = "".join(f"<section>{part}</section>" for part in sections)
    return (f'<html><head><meta charset="utf-8"><title>{HOST} SOC 2 Type 2</title>'
            f"<style>{style}</style></head><body>{body}</body></html>")


def _report_pdf(start: dt.date, end: dt.date, signed: dt.date) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=_report_html(start, end, signed)).write_pdf())


def add_demo_vendors(org: Organization, owner: Any, period_start: dt.date | None, today: dt.date) -> None:
    """Register the demo's two vendors and review the host's report, which ends two months into our period."""
    if Vendor.objects.filter(organization=org).exists():
        return
    host = Vendor.objects.create(
        organization=org, name=HOST, services="Cloud hosting of the payroll platform and its databases",
        data_shared="Employees' personal and bank details, payroll runs", criticality=Criticality.CRITICAL,
        owner=owner, subservice=SubserviceMethod.CARVE_OUT,
        csocs="Physical access to the data centres is restricted to authorised staff\n"
              "Hardware is disposed of so that no data can be read from it")
    Vendor.objects.create(
        organization=org, name=BANK_DATA, services="Bank account verification before the first salary payment",
        data_shared="Employees' bank account numbers", criticality=Criticality.HIGH, owner=owner,
        subservice=SubserviceMethod.CARVE_OUT,
        csocs="Verification results are returned only to the requesting customer")
    if period_start is None:
        return
    end = period_start + dt.timedelta(days=59)
    start = end - dt.timedelta(days=364)
    signed = min(end + dt.timedelta(days=21), today)
    upload = SimpleUploadedFile(f"{HOST.lower().replace(' ', '-')}-soc2-type2.pdf", _report_pdf(start, end, signed),
                                content_type="application/pdf")
    report = upload_report(host, owner, upload)
    confirm_review(report, owner, facts_from_dict(report.read_facts), Conclusion.RELY_WITH_FOLLOW_UP,
                   "Clean opinion; one late alert triage is followed up. Their period ends two months into ours: "
                   "we will ask for their next report.",
                   {2: CuecChoice("task"),
                    3: CuecChoice("not_applicable", "Our own backup control already copies every database to a "
                                                      "second provider.")})
