"""A prospect's security questionnaire for the demo organization, written in socready's own words."""

from __future__ import annotations

import io
from typing import Any, cast

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from socready.accounts.models import Organization
from socready.questionnaires.services_reading import store_questionnaire

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("GEN-01", "Do you hold a current SOC 2 Type II report covering Security and Availability?"),
    ("GEN-02", "Can you provide a SOC 1 Type II (SSAE 18) report for the payroll service?"),
    ("GEN-03", "Describe the hosting providers your service relies on."),
    ("IAM-01", "Is multi-factor authentication required for administrative access to production?"),
    ("IAM-02", "Are user access rights reviewed at least quarterly?"),
    ("IAM-03", "Is access removed promptly when an employee leaves?"),
    ("CHG-01", "Are changes to production approved and tested before deployment?"),
    ("OPS-01", "Do you monitor systems for security events and respond to alerts?"),
    ("OPS-02", "Are backups performed and restore tests carried out regularly?"),
    ("VUL-01", "Do you run vulnerability scans and remediate findings within defined timeframes?"),
    ("DAT-01", "Is customer data encrypted at rest and in transit?"),
    ("DAT-02", "Can employees copy customer data to USB drives?"),
    ("HR-01", "Do employees complete security awareness training every year?"),
    ("VEN-01", "Do you assess the security of your vendors before engaging them?"),
    ("IR-01", "Do you have a documented incident response plan that is tested?"),
)


def _workbook() -> bytes:
    book = Workbook()
    sheet = cast(Worksheet, book.active)  # a new workbook starts with one empty worksheet
    sheet.title = "Security review"
    sheet.append(["Vendor security review: please answer every question."])
    sheet.append([])
    sheet.append(["Ref", "Question", "Response", "Comments"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F5")
    for ref, question in QUESTIONS:
        sheet.append([ref, question, "", ""])
    sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_demo_questionnaire(org: Organization, user: Any) -> None:
    """Upload the prospect's questionnaire once, so the demo shows asks and drafted answers."""
    if org.questionnaires.exists():
        return
    upload = SimpleUploadedFile("prospect-security-review.xlsx", _workbook(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    store_questionnaire(org, user, upload)
