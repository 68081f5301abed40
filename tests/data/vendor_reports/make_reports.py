"""Write the vendor SOC report PDFs the tests read: fictional companies and firms, wording of our own.

Run from the checkout root: ``.venv/bin/python tests/data/vendor_reports/make_reports.py [osprey ...]``. The
PDFs are committed beside this script; tests/unit/vendors/test_reading_reports.py lists the facts each must give.
"""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

HERE = Path(__file__).resolve().parent

STYLE = """
@page { size: A4; margin: 2cm; @bottom-center { content: "Confidential | " counter(page); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 20pt; } h2 { font-size: 13pt; } .break { page-break before: always; break-before: page; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #777; padding: 3px; vertical-align: top; }
.signature { margin-top: 1.5em; }
img.full { width: 100%; }
"""


def page(content: str) -> str:
    return f'<section class="break">{content}</section>'


def image_page(lines: list[str]) -> str:
    """A page that is only a picture of text, as a scanned signature page is."""
    picture = Image.new("RGB", (1240, 1400), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=30)
    y = 80
    for line in lines:
        draw.text((80, y), line, fill="black", font=font)
        y += 48
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    return page(f'<img class="full" alt="" src="data:image/png;base64,{data}">')


def write(name: str, title: str, author: str, sections: list[str]) -> Path:
    html = (f'<html><head><meta charset="utf-8"><title>{title}</title><meta name="author" content="{author}">'
            f"<style>{STYLE}</style></head><body>{''.join(sections)}</body></html>")
    target = HERE / name
    HTML(string=html).write_pdf(target)
    return target


def test_rows(rows: list[tuple[str, str, str, str]]) -> str:
    body = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in rows)
    return ("<table><tr><th>Control</th><th>Control activity</th><th>Test performed</th><th>Result</th></tr>"
            f"{body}</table>")


def larkspur_type2_qualified() -> Path:
    """SOC 2 Type II, qualified opinion, exceptions in the test tables, a carve-out host, a CUEC table."""
    cover = """<h1>Larkspur Cloud Hosting, Inc.</h1>
<p>System and Organization Controls (SOC 2) Type 2 Report</p>
<p>Report on the Larkspur Managed Hosting Platform relevant to Security, Availability, and Confidentiality</p>
<p>For the period November 1, 2023 to October 31, 2024</p>"""
    report1 = """<h2>Independent Service Auditor's Report</h2>
<p>To the Board of Larkspur Cloud Hosting, Inc.</p>
<p><b>Scope</b></p>
<p>We were engaged to examine the description of the Larkspur Managed Hosting Platform throughout the period
November 1, 2023 to October 31, 2024 and the suitability of design and operating effectiveness of the controls
stated in it, based on the trust services criteria relevant to Security, Availability, and Confidentiality.
Our examination was performed under the attestation standards of the AICPA (AT-C section 205).</p>
<p>Larkspur uses Amazon Web Services for infrastructure hosting services (subservice organization). The
description leaves out the controls of the subservice organization (the carve-out method) and names the
complementary subservice organization controls Larkspur expects of it. Our examination did not include the
services provided by the subservice organization.</p>
<p>The description also names complementary user entity controls that customers must run for the controls
at Larkspur to meet the criteria. We did not test those customer controls.</p>
<p><b>Basis for Qualified Opinion</b></p>
<p>Larkspur states that every production change is approved before release. In 3 of the 25 changes we
sampled, approval was recorded after the release. The control did not operate effectively throughout the
period to meet criterion CC8.1.</p>"""
    report2 = """<h2>Independent Service Auditor's Report (continued)</h2>
<p><b>Opinion</b></p>
<p>In our opinion, except for the matter described in the Basis for Qualified Opinion paragraph, in all
material respects the description presents the platform as designed and implemented throughout the period,
the controls stated in it were suitably designed, and they operated effectively throughout the period
November 1, 2023 to October 31, 2024.</p>
<div class="signature"><p>Fenwick &amp; Doyle LLP</p>
<p>Portland, Oregon</p><p>December 6, 2024</p></div>"""
    cuecs = """<h2>Section 3: Description of the System</h2>
<p>Larkspur runs hosting for software companies from two regions.</p>
<h2>Complementary User Entity Controls</h2>
<p>Customers are responsible for the following controls.</p>
<table><tr><th>#</th><th>Customer control</th></tr>
<tr><td>1</td><td>Customers review the accounts with access to their hosting console every quarter and remove those
no longer needed.</td></tr>
<tr><td>2</td><td>Customers encrypt data they classify as confidential before they upload it.</td></tr>
<tr><td>3</td><td>Customers report suspected security incidents to Larkspur support within 24 hours.</td></tr>
</table>"""
    tests = page("<h2>Section 4: Tests of Controls and Results</h2>" + test_rows([
        ("CC6.1", "Console access needs multi-factor sign-in.", "Inspected the sign-in settings.",
         "No exceptions noted."),
        ("CC6.2", "New accounts are approved by a manager.", "Inspected 25 new accounts.", "No exceptions noted."),
        ("CC8.1", "Changes are approved before release.", "Inspected 25 changes.",
         "Exception noted: 3 of 25 changes were approved after release."),
        ("A1.2", "Backups are copied to a second region each day.", "Inspected 25 days of backup logs.",
         "Exception noted: 1 of 25 days had no backup copy."),
        ("C1.1", "Confidential data is kept in encrypted stores.", "Inspected storage settings.",
         "No exceptions noted."),
    ]))
    return write("larkspur_soc2_type2_qualified.pdf", "Larkspur SOC 2 Type 2 Report", "Report Production Team",
                 [cover, page(report1), page(report2), page(cuecs), tests])


def bluefin_type1_inclusive() -> Path:
    """SOC 1 Type I as of a day-first date, an inclusive subservice organization, an image-only signature page."""
    cover = """<h1>Bluefin Payroll Services Ltd</h1>
<p>Service Organisation Controls (SOC 1) Type I Report</p>
<p>Report on the description of the payroll processing system and the suitability of the design of controls
as of 30 June 2024</p>
<p>Prepared under ISAE 3402 and SSAE 18</p>"""
    report1 = """<h2>Independent Service Auditor's Assurance Report</h2>
<p>To the Directors of Bluefin Payroll Services Ltd</p>
<p><b>Scope</b></p>
<p>We have examined the description of the payroll processing system of Bluefin as of 30 June 2024 and the
suitability of the design of the controls it names to achieve the control objectives stated in it.</p>
<p>Bluefin uses Harbor Print Services for payslip printing services (inclusive subservice organization). The
description includes the relevant controls of Harbor Print Services, presented using the inclusive method.</p>
<p><b>Opinion</b></p>
<p>In our opinion, in all material respects, the description fairly presents the payroll processing system as
designed as of 30 June 2024, and the controls in it were suitably designed as of that date.</p>"""
    signature = image_page(["Okafor Lindqvist LLP", "Chartered Accountants", "Leeds, United Kingdom",
                            "14 August 2024"])
    objectives = """<h2>Section 3: Control Objectives and Controls</h2>
<p>Control objective 1: Payroll changes are authorised before they are processed.</p>
<p>Control objective 2: Payments are made in full and on time.</p>
<h2>Complementary User Entity Controls</h2>
<p>1. Client employers approve the payroll register before each pay run.</p>
<p>2. Client employers tell Bluefin about leavers before the next pay run cut-off.</p>"""
    return write("bluefin_soc1_type1.pdf", "Bluefin SOC 1 Type I", "Okafor Lindqvist LLP",
                 [cover, page(report1), signature, page(objectives)])


def osprey_type2_scanned() -> Path:
    """SOC 2 Type II whose whole auditor's report is scanned: a qualified opinion and the firm only as images.

    The document's author is a person's login, so the firm, the report date and the opinion can come only from
    OCR of pages 2 and 3.
    """
    cover = """<h1>Osprey Ledger Inc.</h1>
<p>SOC 2 Type II Report relevant to Security and Confidentiality</p>
<p>For the period January 1, 2024 to December 31, 2024</p>"""
    scope = image_page([
        "Independent Service Auditor's Report", "", "To the Management of Osprey Ledger Inc.", "",
        "Scope", "We have examined the description of the", "Osprey billing system for the period",
        "January 1, 2024 to December 31, 2024 and the", "design and operation of its controls.", "",
        "Basis for Qualified Opinion", "Osprey did not remove the access of 4 of", "20 leavers within its stated",
        "time, and no control compensated for it."])
    opinion = image_page([
        "Qualified Opinion", "In our opinion, except for the matter", "described in the Basis for Qualified",
        "Opinion paragraph, in all material respects,", "the controls operated effectively", "throughout the period.",
        "", "Tern & Avery LLP", "Portland, Oregon", "February 14, 2025"])
    cuecs = """<h2>Section 4: Complementary User Entity Controls</h2>
<p>1. Customers approve each user they add to the billing console.</p>
<p>2. Customers review invoices for unexpected charges every month.</p>"""
    return write("osprey_soc2_type2_scanned.pdf", "Osprey SOC 2 Type II", "jbell",
                 [cover, scope, opinion, page(cuecs)])


def not_a_report() -> Path:
    """A PDF about something else."""
    return write("not_a_report.pdf", "Quarterly newsletter", "Marketing",
                 ["<h1>Garden club newsletter</h1><p>Tomatoes did well this summer; the autumn fair is in "
                  "October.</p>"])


def encrypted() -> Path:
    """A hand-built PDF locked with a user password (Standard security handler, revision 2)."""
    # /U is random rather than derived from an empty password, so opening without the password fails.
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'01' * 16}> <{'01' * 16}>] >>"
            f"\nstartxref\n{xref}\n%%EOF\n").encode()
    target = HERE / "encrypted.pdf"
    target.write_bytes(bytes(out))
    return target


def truncated(source: Path) -> Path:
    """The first third of a real report: what an interrupted download leaves."""
    data = source.read_bytes()
    target = HERE / "truncated.pdf"
    target.write_bytes(data[: len(data) // 3])
    return target


def main(names: list[str]) -> int:
    """Write every report, or only those whose file name starts with one of ``names``."""
    makers = {"larkspur": larkspur_type2_qualified, "bluefin": bluefin_type1_inclusive,
              "osprey": osprey_type2_scanned, "not_a_report": not_a_report, "encrypted": encrypted,
              "truncated": lambda: truncated(HERE / "larkspur_soc2_type2_qualified.pdf")}
    for name, make in makers.items():
        if not names or name in names:
            print(make().relative_to(HERE.parents[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
