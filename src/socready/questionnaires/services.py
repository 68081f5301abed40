"""Storing uploaded questionnaires, drafting and redrafting their answers, and writing the filled copy.

A file is read before anything is stored: one that cannot be read (damaged, encrypted, unsupported)
is refused with the reason and leaves no row and no stored blob behind.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path, PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.questionnaires.answering import Answerer, Draft
from socready.core.questionnaires.ask_groups import group_asks
from socready.core.questionnaires.asks import Ask, ProspectAsks, summarize_asks
from socready.core.questionnaires.knowledge import AnswerBook
from socready.core.questionnaires.knowledge import KnownAnswer as Known
from socready.core.questionnaires.mapping import default_mapper
from socready.io.questionnaire import Question
from socready.io.questionnaire.answers import FilledAnswer, WrittenCopy, write_answers
from socready.questionnaires.models import DraftAnswer, KnownAnswer, Questionnaire, ReadState
from socready.snapshot import build_view
from socready.storage.blobs import UploadRefused, blob_store, copy_verified
from socready.storage.references import release_blob
from socready.storage.uploads import check_upload_limits, clean_file_name


def clean_name(name: str) -> str:
    """A questionnaire's file name, safe to store and offer back (see ``clean_file_name``)."""
    return clean_file_name(name, fallback="questionnaire")


def check_uploads(files: Sequence[UploadedFile[bytes]]) -> None:
    """Refuse an empty selection or an upload breaking the count or size limits, naming the file and limit.

    An empty or unreadable file is refused later on its own, so the other files of the upload still go in.
    """
    if not files:
        raise UploadRefused("choose one or more questionnaire files")
    check_upload_limits(files)


def _ask_dict(ask: Ask, file_name: str) -> dict[str, Any]:
    return {**asdict(ask), "categories": list(ask.categories), "source": file_name}


def _ask(data: dict[str, Any]) -> Ask:
    return Ask(**{**data, "categories": tuple(data.get("categories", ()))})


def _draft_fields(draft: Draft) -> dict[str, Any]:
    return {"answer": draft.answer or "", "explanation": draft.explanation, "confidence": draft.confidence,
            "review_reason": draft.review_reason, "kind": draft.kind,
            "controls": [asdict(c) for c in draft.controls],
            "evidence": [{**asdict(e), "date": e.date.isoformat()} for e in draft.evidence]}


def question_key(text: str) -> str:
    """The form a question is stored under in the answer book: lower case, spaces collapsed."""
    return " ".join(text.lower().split())[:500]


def answer_book(org: Organization) -> AnswerBook:
    """The organization's reviewed answers, ready to be matched against new questions."""
    rows = KnownAnswer.objects.filter(organization=org).only("question", "answer", "explanation", "controls",
                                                             "source")
    return AnswerBook(Known(r.question, r.answer or None, r.explanation, tuple(r.controls), r.source) for r in rows)


def remember_reviewed(row: DraftAnswer, user: Any) -> KnownAnswer:
    """Keep a reviewed answer in the organization's answer book (replacing an older one for the question)."""
    known, _ = KnownAnswer.objects.update_or_create(
        organization_id=row.questionnaire.organization_id, key=question_key(row.text),
        defaults={"question": row.text, "answer": row.answer, "explanation": row.explanation,
                  "controls": [c["code"] for c in row.controls if isinstance(c, dict) and "code" in c],
                  "source": row.questionnaire.file_name, "reviewed_by": user, "updated_at": timezone.now()})
    return known


def draft_all(org: Organization, questions: Sequence[Question]) -> list[Draft]:
    """Draft an answer to every question from the organization's program and its reviewed answers."""
    mapper = default_mapper()
    answerer = Answerer(build_view(org).snapshot, mapper.controls, book=answer_book(org))
    return [answerer.answer(q, mapper.map(q.text, question_id=q.id, control_limit=8)) for q in questions]


def remove_questionnaire(questionnaire: Questionnaire) -> None:
    """Delete a questionnaire and its answers, then its stored file unless another row still uses it.

    A prospect's questionnaire can be confidential; once removed from socready it should not linger in
    the store. The file goes only after the deletion commits, so a rolled-back deletion keeps it.
    """
    sha256 = questionnaire.sha256
    with transaction.atomic():
        questionnaire.delete()
        transaction.on_commit(lambda: release_blob(sha256))


def _original(questionnaire: Questionnaire, folder: Path) -> Path:
    """Copy the stored original (hash checked) into ``folder`` under its own extension."""
    return copy_verified(blob_store(), questionnaire.sha256, folder / f"original{questionnaire.suffix}")


def redraft(questionnaire: Questionnaire) -> int:
    """Draft again from today's program every answer no person has edited or reviewed; return how many."""
    rows = {a.question_id: a for a in questionnaire.answers.filter(edited=False, reviewed=False)}
    if not rows:
        return 0
    questions = [Question(id=a.question_id, text=a.text, location=a.location) for a in rows.values()]
    changed = 0
    with transaction.atomic():
        for draft in draft_all(questionnaire.organization, questions):
            row = rows[draft.question_id]
            fields = _draft_fields(draft)
            if any(getattr(row, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                row.updated_at = timezone.now()
                row.save()
                changed += 1
        questionnaire.drafted_at = timezone.now()
        questionnaire.save(update_fields=["drafted_at"])
    return changed


def filled_answer(row: DraftAnswer) -> FilledAnswer:
    """What the filled copy shows for one answer row, with the internal note for the reviewer."""
    if row.reviewed:
        # The copy goes to a prospect: it says a person reviewed the answer, never who (no staff addresses).
        note = "Reviewed."
    elif row.review_reason:
        note = f"Needs review: {row.review_reason}."
    else:
        note = "Drafted from the program."
    if row.answer and not row.reviewed:
        note += f" Confidence {row.confidence:.2f}."
    return FilledAnswer(question_id=row.question_id, question=row.text, location=row.location,
                        answer=row.answer or None, explanation=row.explanation, note=note,
                        section=row.section or None)


def prospect_answer(row: DraftAnswer) -> FilledAnswer:
    """What the copy sent to the prospect shows: a reviewed answer and its explanation, else nothing."""
    reviewed = row.reviewed
    return FilledAnswer(question_id=row.question_id, question=row.text, location=row.location,
                        answer=(row.answer or None) if reviewed else None,
                        explanation=row.explanation if reviewed else "", section=row.section or None)


def filled_copy(questionnaire: Questionnaire, *, for_prospect: bool = False) -> tuple[bytes, str, WrittenCopy]:
    """Write the stored original with the current answers; return the bytes, the download name and the result.

    The working copy carries every draft and the review notes; the copy for the prospect only the answers
    a person has reviewed, with no notes, so internal status never reaches the customer by accident.

    Raises CorruptBlob when the stored original no longer matches its hash, InputError if it cannot be filled.
    """
    rows = list(questionnaire.answers.select_related("reviewed_by"))
    stem = PurePath(questionnaire.file_name).stem or "questionnaire"
    with tempfile.TemporaryDirectory(prefix="socready-q-") as folder:
        source = _original(questionnaire, Path(folder))
        answers = [prospect_answer(r) if for_prospect else filled_answer(r) for r in rows]
        written = write_answers(source, answers, Path(folder) / f"filled{source.suffix}", internal=not for_prospect)
        data = written.path.read_bytes()
    suffix = written.path.suffix
    return data, f"{stem}-{'reviewed-answers' if for_prospect else 'answered'}{suffix}", written


def organization_asks(org: Organization) -> ProspectAsks:
    """Add up the asks of every questionnaire the organization has uploaded and socready has read."""
    # A file still queued has not been read (its asks are not known yet); one that failed never will be.
    files = list(Questionnaire.objects.filter(organization=org).exclude(
        state__in=(ReadState.QUEUED, ReadState.READING, ReadState.FAILED)).only("file_name", "asks"))
    per_file: dict[str, list[Ask]] = {}
    for item in files:
        per_file.setdefault(item.file_name, []).extend(_ask(a) for a in item.asks)
    return summarize_asks(per_file, files_total=len(per_file))


def per_file_labels(asks: Iterable[dict[str, Any]]) -> list[str]:
    """The reports one file asks for, once each, as labels such as 'SOC 2 Type II' or 'ISO 27001 (example)'."""
    grouped = group_asks(_ask(a) for a in asks)
    notes = {"weak": " (example)", "conditional": " (if applicable)", "asked": ""}
    return [f"{r.report}{' ' + ' or '.join(r.types) if r.types else ''}{notes[r.strength]}" for r in grouped]
