"""Drafting the answers of an uploaded questionnaire in the background, with progress.

The upload is read at once (a fraction of a second even for a HECVAT Full), so a file that cannot be
read is refused with the reason and nothing is stored. A readable one is stored with its asks and a
queued row; the task reads it again from the store and drafts every answer, saving its progress as it
goes so the page can show a bar. Should the stored file fail the second reading, the row is marked
failed with the reason.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.errors import InputError
from socready.core.questionnaires.answering import Answerer, Draft
from socready.core.questionnaires.asks import scan_questions
from socready.core.questionnaires.mapping import default_mapper
from socready.io.questionnaire import SUPPORTED_SUFFIXES, Question, read_questionnaire
from socready.questionnaires.models import DraftAnswer, Questionnaire, ReadState
from socready.questionnaires.services import _ask_dict, _draft_fields, _original, answer_book, clean_name
from socready.snapshot import build_view
from socready.storage.blobs import UploadRefused, blob_store, spool

FINISHED = (ReadState.READY, ReadState.FAILED)
# Progress is saved at most this many times while drafting, so a large file does not write a row per answer.
_PROGRESS_STEPS = 20


def queue_questionnaire(org: Organization, user: Any, upload: UploadedFile[bytes]) -> Questionnaire:
    """Read an uploaded file, then store it with its asks and a queued row; the caller enqueues the drafting.

    Raises UploadRefused, storing nothing, for a file that is not a questionnaire format, cannot be read
    or holds no questions.
    """
    name = clean_name(upload.name or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRefused(f"{name}: not a questionnaire format socready reads ({', '.join(SUPPORTED_SUFFIXES)})")
    with tempfile.TemporaryDirectory(prefix="socready-q-") as folder:
        temp, _ = spool(upload.chunks(), settings.MAX_UPLOAD_BYTES, Path(folder))
        local = temp.rename(Path(folder) / f"upload{suffix}")
        try:
            read = read_questionnaire(local)
        except InputError as exc:
            raise UploadRefused(f"{name}: {exc.reason}") from None
        if not read.questions:
            raise UploadRefused(f"{name}: no questions were found in it")
        with local.open("rb") as handle:
            blob = blob_store().put(iter(lambda: handle.read(1024 * 1024), b""), settings.MAX_UPLOAD_BYTES)
        warnings = [w.replace(str(local), name) for w in read.warnings]
    skipped = [f"Skipped the sheet '{part.name}': {part.reason}." for part in read.skipped]
    return Questionnaire.objects.create(
        organization=org, file_name=name, sha256=blob.sha256, size=blob.size, question_count=len(read.questions),
        asks=[_ask_dict(a, name) for a in scan_questions(read.questions)], warnings=warnings + skipped,
        uploaded_by=user, state=ReadState.QUEUED, progress=5)


def store_questionnaire(org: Organization, user: Any, upload: UploadedFile[bytes]) -> Questionnaire:
    """Read, store and draft one questionnaire at once (the demo, benches): the queued path, run inline.

    Raises UploadRefused, storing nothing, for a file that cannot be read or holds no questions.
    """
    questionnaire = queue_questionnaire(org, user, upload)
    read_and_draft(questionnaire.pk)
    questionnaire.refresh_from_db()
    return questionnaire


def _fail(questionnaire: Questionnaire, reason: str) -> str:
    questionnaire.state, questionnaire.error, questionnaire.progress = ReadState.FAILED, reason, 0
    questionnaire.save(update_fields=["state", "error", "progress"])
    return f"failed: {reason}"


def _step(questionnaire: Questionnaire, state: str, progress: int) -> None:
    questionnaire.state, questionnaire.progress = state, progress
    questionnaire.save(update_fields=["state", "progress"])


def read_and_draft(questionnaire_id: int) -> str:
    """Read a queued questionnaire, find its asks and draft every answer; return a one-line outcome."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).select_related("organization").first()
    if questionnaire is None or questionnaire.state in FINISHED:
        return "nothing to do"
    _step(questionnaire, ReadState.READING, 5)
    with tempfile.TemporaryDirectory(prefix="socready-q-") as folder:
        try:
            local = _original(questionnaire, Path(folder))
            read = read_questionnaire(local)
        except InputError as exc:
            return _fail(questionnaire, exc.reason)
        except Exception as exc:  # noqa: BLE001 - a damaged stored file must end as a failed row, not a crash
            return _fail(questionnaire, f"cannot be read: {exc.__class__.__name__}")
    if not read.questions:
        return _fail(questionnaire, "no questions were found in it")
    _step(questionnaire, ReadState.DRAFTING, 15)
    drafts = _draft(questionnaire, read.questions, lambda done: _step(
        questionnaire, ReadState.DRAFTING, 15 + int(80 * done / len(read.questions))))
    with transaction.atomic():
        questionnaire.question_count = len(read.questions)
        questionnaire.drafted_at = timezone.now()
        questionnaire.state, questionnaire.progress = ReadState.READY, 100
        questionnaire.save()
        for position, (question, draft) in enumerate(zip(read.questions, drafts, strict=True), start=1):
            DraftAnswer.objects.create(questionnaire=questionnaire, position=position, question_id=question.id,
                                       text=question.text, location=question.location,
                                       section=(question.section or "")[:300], **_draft_fields(draft))
    return f"drafted {len(drafts)} answers"


def _draft(questionnaire: Questionnaire, questions: tuple[Question, ...],
           report: Callable[[int], None]) -> list[Draft]:
    org = questionnaire.organization
    mapper = default_mapper()
    answerer = Answerer(build_view(org).snapshot, mapper.controls, book=answer_book(org))
    every = max(1, len(questions) // _PROGRESS_STEPS)
    drafts: list[Draft] = []
    for number, question in enumerate(questions, start=1):
        drafts.append(answerer.answer(question, mapper.map(question.text, question_id=question.id, control_limit=8)))
        if number % every == 0:
            report(number)
    return drafts
