"""Read questionnaires from Word documents: tables like spreadsheets, paragraphs like text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from socready.core.errors import InputError
from socready.io.archive_limits import ArchiveLimits, check_archive, count_elements
from socready.io.questionnaire.grid import Columns, read_grid
from socready.io.questionnaire.lines import Line, read_lines
from socready.io.questionnaire.model import Question
from socready.io.questionnaire.xlsx import OLE_MAGIC

# A questionnaire document is tens of pages: a few thousand paragraphs and table cells, a few MB of XML.
# python-docx builds a tree of every element (about a kilobyte each), so these keep it to a few hundred MB.
DOCX_LIMITS = ArchiveLimits("a questionnaire", max_parts=2_000, max_part_bytes=64 * 1024 * 1024,
                            max_total_bytes=256 * 1024 * 1024)
# Each table cell holds at least one paragraph, so the paragraph limit is the larger one.
MAX_PARAGRAPHS = 200_000
MAX_TABLE_CELLS = 100_000
_COUNTED = {"p": (MAX_PARAGRAPHS, "paragraphs"), "tc": (MAX_TABLE_CELLS, "table cells")}


def check_docx(path: Path) -> None:
    """Refuse a .docx too large to load (parts, unzipped size, paragraphs, table cells) before it is parsed.

    A file that is not a zip archive is left for python-docx to refuse with its own message.
    """
    file = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        check_archive(archive, file, DOCX_LIMITS)
        xml_parts = [info.filename for info in archive.infolist() if info.filename.lower().endswith(".xml")]
        count_elements(archive, xml_parts, file, _COUNTED)


def read_docx(path: Path) -> list[Question]:
    """Return the questions of a .docx file, located as 'paragraph 12' or 'table 2, row 5'."""
    file = str(path)
    with path.open("rb") as handle:
        if handle.read(8) == OLE_MAGIC:
            raise InputError("the document is password-protected (encrypted) or in the old .doc format; "
                             "save an unprotected .docx copy and try again", file=file)
    check_docx(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(f"not a readable .docx document (damaged or not a zip archive: {exc})",
                         file=file) from exc
    questions: list[Question] = []
    pending: list[Line] = []
    paragraph_number = table_number = 0
    columns: Columns | None = None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraph_number += 1
            style = (block.style.name if block.style is not None else "") or ""
            pending.append(Line(block.text, f"paragraph {paragraph_number}",
                                heading=style.startswith(("Heading", "Title")),
                                list_item=style.startswith("List")))
        elif isinstance(block, Table):
            table_number += 1
            questions.extend(read_lines(pending))
            pending = []
            rows = [[cell.text for cell in row.cells] for row in block.rows]

            def locate(row: int, col: int, number: int = table_number) -> str:
                return f"table {number}, row {row + 1}"

            result = read_grid(rows, locate, columns=columns)
            columns = result.columns
            questions.extend(result.questions)
    questions.extend(read_lines(pending))
    return questions
