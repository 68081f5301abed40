"""Read questionnaires from PDF files: tables with pdfplumber, and the text around them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from socready.core.errors import InputError
from socready.io.questionnaire.grid import Columns, read_grid
from socready.io.questionnaire.lines import Line, read_lines
from socready.io.questionnaire.model import Question
from socready.io.questionnaire.pdf_limits import check_pdf_streams

# A questionnaire is tens of pages; a several-hundred-page PDF is a policy manual or a report.
MAX_PAGES = 300


def read_pdf(path: Path) -> list[Question]:
    """Return the questions of a PDF, located as 'page 3' or 'page 3, table 1, row 4'."""
    file = str(path)
    check_pdf_streams(path, file)
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as exc:
        raise InputError("the PDF is password-protected; save an unprotected copy and try again",
                         file=file) from exc
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise InputError(f"not a readable PDF (damaged or not a PDF: {exc.__class__.__name__})",
                         file=file) from exc
    questions: list[Question] = []
    columns: Columns | None = None
    lines: list[Line] = []
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError(f"the PDF has {len(pdf.pages)} pages; the limit is {MAX_PAGES}", file=file)
        try:
            for page in pdf.pages:
                number = page.page_number
                tables = page.find_tables()
                rest: Any = page
                for table in tables:
                    rest = rest.outside_bbox(table.bbox)
                for text in (rest.extract_text() or "").splitlines():
                    lines.append(Line(text, f"page {number}"))
                if not tables:
                    continue
                # Questions written before a table come first in reading order.
                questions.extend(read_lines(lines))
                lines = []
                for table_index, table in enumerate(tables, start=1):
                    rows = [[cell or "" for cell in row] for row in table.extract()]

                    def locate(row: int, col: int, page_no: int = number, t: int = table_index) -> str:
                        return f"page {page_no}, table {t}, row {row + 1}"

                    result = read_grid(rows, locate, columns=columns)
                    columns = result.columns
                    questions.extend(result.questions)
        except PDFPasswordIncorrect as exc:
            raise InputError("the PDF is password-protected; save an unprotected copy and try again",
                             file=file) from exc
    questions.extend(read_lines(lines))
    return questions
