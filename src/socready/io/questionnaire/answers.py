"""Write drafted answers into a copy of a questionnaire; the original file is never opened for writing.

Spreadsheets (.xlsx, .xlsm, .csv, .tsv) and Word documents get their answers where the questions are:
in the answer column next to each question, or under a question written as a paragraph. PDF, text and
Markdown files cannot be written back, so their answers go to a new workbook with one row per question.
The copy is written to a temporary file beside the target and moved into place when complete, so a
failure leaves no half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socready.core.errors import InputError
from socready.core.questionnaires.answering import Draft
from socready.io.exports.safe_cells import neutralize
from socready.io.questionnaire.reader import SUPPORTED_SUFFIXES

# Formats whose layout cannot be written back; they get an answer workbook instead.
SHEET_ONLY = (".pdf", ".txt", ".md", ".markdown")
ANSWER_HEADER = "Answer (draft)"
NOTES_HEADER = "Notes (socready draft)"
# A copy meant for the prospect holds reviewed answers and, in the added column, only explanations.
PROSPECT_ANSWER_HEADER = "Answer"
PROSPECT_NOTES_HEADER = "Comments"


@dataclass(frozen=True)
class FilledAnswer:
    """What to write for one question: the answer, the explanation for the customer and an internal note."""

    question_id: str
    question: str
    location: str
    answer: str | None
    explanation: str = ""
    note: str = ""
    section: str | None = None


@dataclass
class WrittenCopy:
    """The file written, whether it is a filled copy or a separate answer sheet, and what was not placed."""

    path: Path
    kind: str  # "copy" or "answer sheet"
    written: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One line for a person: where the answers went."""
        answers = f"{self.written} answer{'' if self.written == 1 else 's'}"
        if self.kind == "answer sheet":
            return (f"{self.path}: this format cannot be filled in, so {answers} went to a separate answer "
                    "workbook with one row per question")
        missed = f"; {len(self.missed)} question(s) could not be placed" if self.missed else ""
        return f"{self.path}: {answers} written into a copy of the questionnaire{missed}"


def review_note(draft: Draft, *, reviewed: bool = False) -> str:
    """The internal note for a draft: review reason (or reviewed), then confidence."""
    if reviewed:
        return "Reviewed."
    head = f"Needs review: {draft.review_reason}." if draft.needs_review else "Drafted from the program."
    return head if draft.answer is None else f"{head} Confidence {draft.confidence:.2f}."


def from_draft(draft: Draft, section: str | None = None) -> FilledAnswer:
    """Turn a core draft into what the writers put in the file."""
    return FilledAnswer(question_id=draft.question_id, question=draft.question, location=draft.location,
                        answer=draft.answer, explanation=draft.explanation, note=review_note(draft), section=section)


def printable(value: str) -> str:
    """The text without control characters (other than newline and tab), which XML cannot hold."""
    return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)


def safe_text(value: str) -> str:
    """Text a spreadsheet will show as text: no leading formula character, no control characters."""
    return neutralize(printable(value))


def notes_text(item: FilledAnswer, *, with_explanation: bool) -> str:
    """The notes cell: the explanation (when it has no column of its own) and the internal note."""
    parts = [item.explanation] if with_explanation and item.explanation else []
    if item.note:
        parts.append(item.note)
    return safe_text(" ".join(parts))


Writer = Callable[..., tuple[int, list[str]]]


def _writer(suffix: str) -> Writer:
    # Imported here so a CSV run does not load python-docx, and the other way round.
    if suffix in (".xlsx", ".xlsm"):
        from socready.io.questionnaire.answers_xlsx import write_xlsx
        return write_xlsx
    if suffix in (".csv", ".tsv"):
        from socready.io.questionnaire.answers_csv import write_csv
        return write_csv
    if suffix == ".docx":
        from socready.io.questionnaire.answers_docx import write_docx
        return write_docx
    from socready.io.questionnaire.answers_sheet import write_answer_sheet
    return write_answer_sheet


def output_path(source: Path | str, out: Path | str) -> Path:
    """Where the answers of ``source`` will go when asked for ``out``: an .xlsx for formats kept read-only."""
    target = Path(out)
    if Path(source).suffix.lower() in SHEET_ONLY and target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    return target


def write_answers(source: Path | str, answers: Sequence[FilledAnswer], out: Path | str, *,
                  internal: bool = True) -> WrittenCopy:
    """Write the answers into a copy of ``source`` at ``out`` (or an answer workbook); return what was done.

    ``internal`` copies carry a notes column (Word comments in a .docx) for the people reviewing the
    drafts. A copy for the prospect (``internal=False``) has none: the caller passes only what may be
    sent, and the writers add a column only for explanations that have nowhere else to go.
    Raises InputError naming the file when the source cannot be read or the target is the source itself.
    """
    source, target = Path(source), output_path(source, out)
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"unsupported file type '{suffix or '(none)'}'", file=str(source))
    if not source.is_file():
        raise InputError("no such file", file=str(source))
    if suffix not in SHEET_ONLY and target.suffix.lower() != suffix:
        raise InputError(f"the filled copy must keep the questionnaire's format; name it with '{suffix}'",
                         file=str(target))
    if target.exists() and target.resolve() == source.resolve():
        raise InputError("the output would overwrite the questionnaire itself; choose another file name",
                         file=str(target))
    if not target.parent.is_dir():
        raise InputError("the folder for the output does not exist", file=str(target))
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".socready-", suffix=target.suffix)
    os.close(handle)
    temp = Path(temp_name)
    try:
        written, missed = _writer(suffix)(source, answers, temp, internal=internal)
        temp.chmod(0o644)  # the temporary file was private; the answered copy is an ordinary file
        os.replace(temp, target)
    except InputError:
        temp.unlink(missing_ok=True)
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file must end in a message, not a traceback
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write the answers: {exc.__class__.__name__}: {exc}", file=str(source)) from exc
    kind = "answer sheet" if suffix in SHEET_ONLY else "copy"
    return WrittenCopy(path=target, kind=kind, written=written, missed=missed)
