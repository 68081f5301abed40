"""Write the questionnaire fixtures used by tests/unit/questionnaire.

Every question here was written for socready's tests; the layouts imitate the common shapes of vendor
questionnaires (a higher-education style workbook, a large shared-assessment style workbook, a short
vendor-assessment CSV, a Word form, a PDF and plain text) without copying any of them.

Run: .venv/bin/python tests/data/questionnaires/make_fixtures.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import docx
from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2024, 1, 1)


def _save(book: Workbook, name: str) -> None:
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.save(HERE / name)


def hecvat_like() -> None:
    """Several sheets, a merged title, instructions, merged section rows, ids like DOCU-01."""
    book = Workbook()
    intro = book.active
    intro.title = "Instructions"
    intro.append(["About this assessment"])
    intro.append(["Please complete every tab. Answer Yes or No and explain in the comments column."])
    sheets = {
        "Documentation": ("DOCU", [
            ("Company documents", None),
            ("Do you hold a current SOC 2 Type II report covering the Security and Availability criteria?",
             "Yes"),
            ("Please attach the report and, if the period ended over three months ago, a bridge letter.",
             "Attached"),
            ("Is your information security policy approved by management and reviewed every year?", "Yes"),
            ("Product security", None),
            ("Describe how you separate one institution's data from another's.", "Per-tenant schemas"),
        ]),
        "Application": ("APPL", [
            ("Authentication", None),
            ("Does the application support single sign-on through SAML or OpenID Connect?", "Yes"),
            ("Is multi-factor authentication enforced for administrator logins?", "Yes"),
            ("Change control", None),
            ("Are code changes peer reviewed and tested before they reach production?", "Yes"),
        ]),
    }
    for title, (prefix, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([f"{title} questions"])
        sheet.merge_cells("A1:E1")
        sheet.append(["Instructions: select an answer from the drop-down list for each question."])
        sheet.merge_cells("A2:E2")
        sheet.append([])
        sheet.append(["Qstn ID", "Question", "Vendor Answer", "Additional Information", "Guidance"])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        number = 0
        for text, answer in rows:
            if answer is None:
                sheet.append([text])
                sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
                continue
            number += 1
            sheet.append([f"{prefix}-{number:02d}", text, answer, "", "Explain any compensating controls."])
    hidden = book.create_sheet("Lists")
    hidden.append(["Yes"])
    hidden.sheet_state = "hidden"
    _save(book, "hecvat_like.xlsx")


def sig_like() -> None:
    """A category column merged down the rows, ids like A.1 and A&A-01.2, legacy report names."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Assessment"
    sheet.append(["Supplier risk questionnaire", "", "", "", "Version 3"])
    sheet.append([])
    sheet.append(["Category", "Ques Num", "Question/Request", "Response", "Comments"])
    rows = [
        ("Assurance", "A.1", "Provide your most recent SSAE 18 SOC 1 Type 2 report issued within the last "
         "12 months.", "Yes", "Under NDA"),
        ("Assurance", "A.2", "Is your organization certified to ISO/IEC 27001?", "No", ""),
        ("Assurance", "A&A-01.2", "Have you received an SAS 70 or SSAE 16 report in the past?", "No", ""),
        ("Access", "B.1", "Are user access rights reviewed at least quarterly?", "Yes", ""),
        ("Access", "B.2.1", "How quickly are accounts disabled when staff leave?", "Same day", ""),
        ("Operations", "C.1", "Is your security operations center (SOC) staffed around the clock?", "Yes", ""),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("A4:A6")
    sheet.merge_cells("A7:A8")
    _save(book, "sig_like.xlsx")


def vsa_like() -> None:
    """A short CSV with a title line, numbered ids, a section line and a negation."""
    rows = [
        ["Vendor assessment - cloud services", "", "", ""],
        ["#", "Question", "Answer", "Explanation"],
        ["", "1. Assurance", "", ""],
        ["1.1", "Do you have a SOC 2 Type 1 or Type 2 report dated within the last 12 months?", "Yes", ""],
        ["1.2", "We do not require a SOC 1 report; confirm whether a SOC 3 is publicly available.", "No", ""],
        ["1.3", "Does your 24x7 SOC monitoring cover production?", "Yes", "Outsourced"],
        ["", "2. Data protection", "", ""],
        ["2.1", "Is customer data encrypted at rest and in transit?", "Yes", "AES-256 and TLS 1.2+"],
        ["2.2", "How long are backups retained and where are they stored?", "35 days", ""],
    ]
    with (HERE / "vsa_like.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def no_header_csv() -> None:
    """Ids and questions with no header row at all."""
    rows = [
        ["Q1", "Do you run vulnerability scans at least monthly?"],
        ["Q2", "Is there a documented incident response plan that is tested every year?"],
        ["Q3", "Do you review the security of your subprocessors before signing with them?"],
    ]
    with (HERE / "no_header.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def word_form() -> None:
    """Headings, numbered paragraphs with answers, and a question table continued in a second table."""
    document = docx.Document()
    document.core_properties.created = FIXED
    document.add_heading("Security review for new suppliers", level=1)
    document.add_paragraph("This form helps our procurement team assess your controls.")
    document.add_heading("Assurance reports", level=2)
    document.add_paragraph("4.1 Do you have an ISAE 3402 Type II report for the hosting service?")
    document.add_paragraph("Answer: Yes, issued by our auditors last March.")
    document.add_paragraph("4.2 Describe any penetration test carried out by an independent firm in the "
                           "past year.")
    document.add_paragraph("Does your team provide 24x7 SOC monitoring of our tenant?")
    document.add_heading("Operations", level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["ID", "Question", "Response"], strict=True):
        cell.text = text
    for ident, text in [("OPS-01", "How are emergency changes approved and recorded?"),
                        ("OPS-02", "Are restores from backup tested at least once a year?")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = ident, text
    document.add_paragraph("")
    more = document.add_table(rows=0, cols=3)
    cells = more.add_row().cells
    cells[0].text, cells[1].text, cells[2].text = "OPS-03", "Is capacity monitored with alerts on thresholds?", "Yes"
    document.save(str(HERE / "supplier_form.docx"))


def pdf_form() -> None:
    """A two-page PDF: numbered questions in text on page 1, a question table on page 2."""
    from weasyprint import HTML

    html = """
    <html><body style="font-family: sans-serif; font-size: 11pt">
    <h1>Third-party risk review</h1>
    <p>Please answer each question below.</p>
    <p>1. Do you hold a SOC 2 Type II report that includes the Confidentiality category?</p>
    <p>2. Are you HITRUST certified or PCI DSS compliant for card data?</p>
    <p>3. Describe how administrator access to production is approved, reviewed and removed when no
    longer needed.</p>
    <div style="page-break-before: always"></div>
    <style>td, th { border: 1px solid black; padding: 4px }</style>
    <table style="border-collapse: collapse">
      <tr><th>Ref</th><th>Question</th><th>Answer</th></tr>
      <tr><td>5.1</td><td>How often are firewall rules reviewed?</td><td>Quarterly</td></tr>
      <tr><td>5.2</td><td>Are laptops protected with full disk encryption?</td><td>Yes</td></tr>
    </table>
    </body></html>
    """
    HTML(string=html).write_pdf(HERE / "risk_review.pdf")


def markdown_form() -> None:
    """Markdown headings, numbered items with answers, a guidance line and a table."""
    text = """# Partner security checklist

Fill in the answers below and return the file to your account manager.

## Reports

1. Is a SOC 3 report or a FedRAMP authorization available for the platform?
   Answer: SOC 3 on our trust page.
2. Please provide the most recent SOC 2 report, ideally Type II.
   Guidance: a Type I is acceptable for services live less than a year.

## Privacy

| ID | Question | Answer |
|----|----------|--------|
| PRV-1 | How do individuals ask for their personal data to be deleted? | Web form |
| PRV-2 | Do you publish a privacy notice? | Yes |
"""
    (HERE / "checklist.md").write_text(text, encoding="utf-8")


def plain_text() -> None:
    """Free text: ids like A&A-01.2, a question wrapped over two lines, a vendor answer naming a SOC 1."""
    text = """Security questions for hosting partners

A&A-01.2 Do you have a current SOC report from an independent auditor, or a SAS 70 for
older services?
Response: We have a SOC 1 Type II and a SOC 2 Type II.

Is data at rest encrypted with keys you manage?

DOCU-03 Describe how you dispose of failed disks.
"""
    (HERE / "hosting_questions.txt").write_text(text, encoding="utf-8")


def bad_files() -> None:
    """Files a reader must refuse with a clear reason."""
    (HERE / "bad").mkdir(exist_ok=True)
    (HERE / "bad" / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    # An encrypted workbook is an OLE compound file; its first eight bytes are what readers check.
    (HERE / "bad" / "protected.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (HERE / "bad" / "empty.csv").write_bytes(b"")
    (HERE / "bad" / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00binary")
    (HERE / "bad" / "notes.rtf").write_text("{\\rtf1 Do you have a SOC 2?}", encoding="utf-8")
    (HERE / "bad" / "broken.pdf").write_bytes(b"%PDF-1.7\nthis file was cut short")
    (HERE / "bad" / "broken.docx").write_bytes(b"not a zip at all")


def main() -> None:
    """Write every fixture."""
    hecvat_like()
    sig_like()
    vsa_like()
    no_header_csv()
    word_form()
    pdf_form()
    markdown_form()
    plain_text()
    bad_files()


if __name__ == "__main__":
    main()
