"""The copy to send is the prospect's own workbook with answers in its answer cells and nothing else changed."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from socready.io.questionnaire import read_questionnaire
from socready.io.questionnaire.answers import FilledAnswer, write_answers
from socready.io.questionnaire.xlsx_parts import SheetCells, read_sheet, shared_strings

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
VENDOR_SHEET = "xl/worksheets/sheet2.xml"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _without_cells(xml: bytes, refs: set[str]) -> bytes:
    """The sheet XML with the given cells removed, in canonical form, for comparing the rest."""
    root = ElementTree.fromstring(xml)  # noqa: S314 - the test's own generated workbook
    for row in root.iter(f"{MAIN}row"):
        for cell in list(row):
            if cell.get("r") in refs:
                row.remove(cell)
    return ElementTree.canonicalize(ElementTree.tostring(root))


def _cell(xml: bytes, ref: str) -> ElementTree.Element:
    root = ElementTree.fromstring(xml)  # noqa: S314 - the test's own generated workbook
    return next(c for c in root.iter(f"{MAIN}c") if c.get("r") == ref)


def _vendor_cells(path: Path) -> SheetCells:
    # The workbook carries a 238,000-cell scoring sheet; only the vendor sheet is read back.
    with zipfile.ZipFile(path) as archive:
        return read_sheet(archive, VENDOR_SHEET, shared_strings(archive))


def _answers(path: Path, chosen: dict[str, tuple[str, str]]) -> list[FilledAnswer]:
    questions = read_questionnaire(path).questions
    return [FilledAnswer(q.id, q.text, q.location, *chosen[q.id]) if q.id in chosen else
            FilledAnswer(q.id, q.text, q.location, None) for q in questions]


def test_a_filled_hecvat_like_workbook_differs_from_the_original_only_in_its_answer_cells(
        hecvat_like: Path, tmp_path: Path) -> None:
    out = tmp_path / "to-send.xlsx"
    chosen = {"IAM-01": ("Yes", "Every administrator login needs a second factor."),
              "DATA-01": ("No", ""),
              "DOCU-02": ("Yes", "Approved by the board in March.")}  # their comment cell is already filled
    result = write_answers(hecvat_like, _answers(hecvat_like, chosen), out, internal=False)
    assert (result.written, result.missed) == (3, [])
    before, after = _parts(hecvat_like), _parts(out)
    assert list(before) == list(after)  # the same parts in the same order
    # Every part but the vendor sheet is byte for byte the same: workbook (defined names), styles,
    # the scoring sheet, the hidden lists the drop-down points at.
    assert [name for name in before if before[name] != after[name]] == [VENDOR_SHEET]
    changed = {"C6", "D6", "C8", "C5"}  # IAM-01 answer and comment, DATA-01 answer, DOCU-02 answer
    assert _without_cells(before[VENDOR_SHEET], changed) == _without_cells(after[VENDOR_SHEET], changed)
    # The x14 drop-down, conditional format and column widths are in the compared rest; check them by name.
    for tag in (b"x14:dataValidation ", b"<conditionalFormatting", b"<cols>", b"<dimension"):
        assert after[VENDOR_SHEET].count(tag) == before[VENDOR_SHEET].count(tag) == 1
    assert b"<xm:sqref>C4:C11</xm:sqref>" in after[VENDOR_SHEET]
    # Each answer cell keeps its style; the prospect's own comment in D5 is kept.
    assert _cell(after[VENDOR_SHEET], "C6").get("s") == _cell(before[VENDOR_SHEET], "C6").get("s") == "3"
    sheet = _vendor_cells(out)
    assert (sheet.value(6, 3), sheet.value(6, 4)) == ("Yes", "Every administrator login needs a second factor.")
    assert (sheet.value(8, 3), sheet.value(8, 4)) == ("No", "")
    assert (sheet.value(5, 3), sheet.value(5, 4)) == ("Yes", "We also hold SOC 1 and SOC 3 reports.")
    assert _cell(after[VENDOR_SHEET], "B6").find(f"{MAIN}f") is not None  # the formula is untouched
    # The copy reads back as the same questionnaire.
    assert [q.text for q in read_questionnaire(out).questions] == [
        q.text for q in read_questionnaire(hecvat_like).questions]


def test_the_copy_to_send_never_carries_an_internal_note(hecvat_like: Path, tmp_path: Path) -> None:
    answers = [FilledAnswer(a.question_id, a.question, a.location, a.answer, a.explanation,
                            note="Needs review: low confidence. Confidence 0.41.")
               for a in _answers(hecvat_like, {"IAM-02": ("Partial", "Reviews run twice a year.")})]
    write_answers(hecvat_like, answers, tmp_path / "to-send.xlsx", internal=False)
    text = b"".join(_parts(tmp_path / "to-send.xlsx").values())
    assert b"Needs review" not in text and b"Confidence" not in text and b"socready" not in text


def test_the_working_copy_adds_a_notes_column_styled_like_the_header(hecvat_like: Path, tmp_path: Path) -> None:
    answers = [FilledAnswer(a.question_id, a.question, a.location, a.answer, a.explanation,
                            note="Needs review: check the wording.")
               for a in _answers(hecvat_like, {"IAM-02": ("Partial", "Reviews run twice a year.")})]
    write_answers(hecvat_like, answers, tmp_path / "working.xlsx", internal=True)
    sheet = _vendor_cells(tmp_path / "working.xlsx")
    assert sheet.value(3, 6) == "Notes (socready draft)" and sheet.styles[(3, 6)] == "1"  # the bold header style
    assert sheet.value(7, 6) == "Needs review: check the wording."
    assert sheet.value(7, 3) == "Partial"
