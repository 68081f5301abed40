"""Write answers to a new workbook, one row per question, for formats that cannot be filled in (PDF, text)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from socready.io.questionnaire.answers import FilledAnswer, safe_text

COLUMNS = (("ID", 12), ("Where in the file", 18), ("Section", 20), ("Question", 60), ("Answer", 12),
           ("Explanation", 60), ("Notes", 40))


def write_answer_sheet(source: Path, answers: Sequence[FilledAnswer], out: Path, *,
                       internal: bool = True) -> tuple[int, list[str]]:
    """Write every question with its answer to a new .xlsx; return how many answers it holds.

    A prospect's sheet (``internal=False``) has no Notes column.
    """
    columns = COLUMNS if internal else COLUMNS[:-1]
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Answers"
    sheet.append([safe_text(f"Answers to {source.name}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([title for title, _ in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for item in answers:
        values = (item.question_id, item.location, item.section or "", item.question, item.answer or "",
                  item.explanation, item.note)
        sheet.append([safe_text(value) for value in values[:len(columns)]])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet.freeze_panes = "A3"
    book.save(out)
    return sum(1 for item in answers if item.answer is not None), []
