"""Read questionnaires from PDF files: tables with pdfplumber, and the text around them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.page import Page
from pdfplumber.table import Table

from socready.core.errors import InputError
from socready.io.questionnaire.grid import Columns, Locate, read_grid
from socready.io.questionnaire.lines import Line, read_lines
from socready.io.questionnaire.model import Question
from socready.io.questionnaire.pdf_limits import check_pdf_streams, page_content_bytes

# A questionnaire is tens of pages; a several-hundred-page PDF is a policy manual or a report.
MAX_PAGES = 300
# Laying a page out costs about 7 seconds per MB of content (a real 10-page form holds 1 MB); pages that all
# draw one large stream pass the stream checks but would take minutes.
MAX_CONTENT_BYTES = 16 * 1024 * 1024


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
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError(f"the PDF has {len(pdf.pages)} pages; the limit is {MAX_PAGES}", file=file)
        try:
            return _read_pages(pdf.pages, file)
        except PDFPasswordIncorrect as exc:
            raise InputError("the PDF is password-protected; save an unprotected copy and try again",
                             file=file) from exc


def _read_pages(pages: Sequence[Page], file: str) -> list[Question]:
    """The questions of the pages in reading order: text around the tables, then each table's rows."""
    questions: list[Question] = []
    columns: Columns | None = None
    lines: list[Line] = []
    content = 0
    for page in pages:
        content += page_content_bytes(page.page_obj)
        if content > MAX_CONTENT_BYTES:
            raise InputError(f"the pages up to page {page.page_number} hold {content:,} bytes of content, more than "
                             f"the limit of {MAX_CONTENT_BYTES:,} for a questionnaire", file=file)
        tables = page.find_tables()
        lines.extend(_text_outside(page, tables))
        if not tables:
            continue
        # Questions written before a table come first in reading order.
        questions.extend(read_lines(lines))
        lines = []
        for table_index, table in enumerate(tables, start=1):
            rows = [[cell or "" for cell in row] for row in table.extract()]
            result = read_grid(rows, _table_locator(page.page_number, table_index), columns=columns)
            columns = result.columns
            questions.extend(result.questions)
    questions.extend(read_lines(lines))
    return questions


def _text_outside(page: Page, tables: Sequence[Table]) -> list[Line]:
    """The lines of a page's text outside its tables."""
    rest: Any = page
    for table in tables:
        rest = rest.outside_bbox(table.bbox)
    return [Line(text, f"page {page.page_number}") for text in (rest.extract_text() or "").splitlines()]


def _table_locator(page_number: int, table_number: int) -> Locate:
    def locate(row: int, col: int) -> str:
        return f"page {page_number}, table {table_number}, row {row + 1}"

    return locate
