"""One person is named the same way in every export, and the way the app's pages name them."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from openpyxl import load_workbook

from socready.evidence.models import EvidenceRequest, RequestComment
from socready.reports.exports import write_export
from socready.reports.services import program_readiness
from tests.integration.conftest import Personas
from tests.integration.test_reports_snapshot import Program, make_program

NAME = "Bob Builder"
EMAIL = "bob@example.test"


@pytest.fixture
def bundle(personas: Personas, settings, tmp_path: Path) -> zipfile.ZipFile:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    bob = personas.bob
    bob.first_name, bob.last_name = "Bob", "Builder"
    bob.save()
    program: Program = make_program(personas)  # Bob owns control AC-1 and is the assignee of request EV-AC-1
    RequestComment.objects.create(request=EvidenceRequest.objects.get(code="EV-AC-1"), author=bob,
                                  text="Sign-off attached")
    path = write_export(program_readiness(program.org), "bundle", tmp_path / "bundle.zip")
    return zipfile.ZipFile(path)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _sheet_column(data: bytes, sheet: str, key: str, column: str) -> str:
    rows = list(load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows(values_only=True))
    header = list(rows[0])
    row = next(r for r in rows[1:] if r[0] == key)
    return str(row[header.index(column)])


def _pdf_owner(data: bytes, control: str) -> str:
    """The Owner cell of ``control`` in the PDF report's controls table (a cell may wrap over lines)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                header = [_squeeze(c or "") for c in table[0]]
                if "Owner" in header and "Missing" in header:
                    row = next((r for r in table[1:] if r[0] == control), None)
                    if row is not None:
                        return _squeeze(row[header.index("Owner")] or "")
    return ""


def _texts(bundle: zipfile.ZipFile) -> dict[str, str]:
    """Every export in the bundle as plain text (cells, paragraphs, page text, JSON as written)."""
    out: dict[str, str] = {}
    for name in bundle.namelist():
        data = bundle.read(name)
        if name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(data), read_only=True)
            out[name] = "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c)
        elif name.endswith(".docx"):
            document = Document(io.BytesIO(data))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            out[name] = "\n".join([p.text for p in document.paragraphs] + cells)
        elif name.endswith(".pdf"):
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                out[name] = "\n".join(page.extract_text() or "" for page in pdf.pages)
        elif not name.startswith("evidence/"):
            out[name] = data.decode("utf-8")
    return out


def test_a_control_owner_and_assignee_is_named_by_display_name_in_every_export(bundle: zipfile.ZipFile) -> None:
    assert _sheet_column(bundle.read("control-matrix.xlsx"), "All controls", "AC-1", "Owner") == NAME
    assert _sheet_column(bundle.read("pbc-list.xlsx"), "PBC", "EV-AC-1", "Assignee") == NAME
    assert NAME in _sheet_column(bundle.read("pbc-list.xlsx"), "PBC", "EV-AC-1", "Latest comment")
    pbc_csv = {row["Request"]: row for row in csv.DictReader(io.StringIO(bundle.read("pbc-list.csv").decode()))}
    assert pbc_csv["EV-AC-1"]["Assignee"] == NAME
    texts = _texts(bundle)
    assert re.search(rf"<td>AC-1</td><td>[^<]*</td><td>{NAME}</td>", texts["readiness-report.html"])
    assert _pdf_owner(bundle.read("readiness-report.pdf"), "AC-1") == NAME
    catalog = json.loads(texts["oscal/catalog.json"])
    owners = [p["value"] for g in catalog["catalog"]["groups"] for c in g["controls"] for p in c["props"]
              if p["name"] == "owner" and c["id"] == "ac-1"]
    assert owners == [NAME]
    # No export names the person another way (by e-mail), the system description included.
    assert [name for name, text in texts.items() if EMAIL in text] == []
