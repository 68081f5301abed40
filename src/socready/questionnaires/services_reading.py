"""Reading and drafting an uploaded questionnaire in the background, with progress.

The request only stores the upload (after its name and size are checked) with a queued row: a stranger's
file is never parsed inside a web request. The task reads it from the store, in a child process held to
a time limit and a memory cap when it runs in a task worker (``io/sandbox``), finds its asks and drafts
every answer, saving its progress as it goes so the page can show a bar. A file that cannot be read ends
as a failed row with the reason, and its stored copy is removed.
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
from socready.io.questionnaire.bounded import read_bounded
from socready.io.questionnaire.model import SkippedPart
from socready.io.sandbox import QUESTIONNAIRE_SANDBOX, SandboxLimits
from socready.questionnaires.models import DraftAnswer, Questionnaire, ReadState
from socready.questionnaires.services import _ask_dict, _draft_fields, _original, answer_book, clean_name
from socready.snapshot import build_view
from socready.storage.blobs import UploadRefused, blob_store
from socready.storage.references import release_blob
from socready.work import in_worker

FINISHED = (ReadState.READY, ReadState.FAILED)
# Progress is saved at most this many times while drafting, so a large file does not write a row per answer.
_PROGRESS_STEPS = 20


def reading_limits() -> SandboxLimits:
    """The wall-clock limit and memory cap of the child process that reads an uploaded questionnaire."""
    return QUESTIONNAIRE_SANDBOX


def queue_questionnaire(org: Organization, user: Any, upload: UploadedFile[bytes]) -> Questionnaire:
    """Store an uploaded file with a queued row, unread; the caller enqueues its reading and drafting.

    Raises UploadRefused, storing nothing, for a name that is not a questionnaire format, an empty file or
    one over the upload limit. Whether it can be read is found out by the task.
    """
    name = clean_name(upload.name or "")
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRefused(f"{name}: not a questionnaire format socready reads ({', '.join(SUPPORTED_SUFFIXES)})")
    try:
        blob = blob_store().put(upload.chunks(), settings.MAX_UPLOAD_BYTES)
    except UploadRefused as exc:
        raise UploadRefused(f"{name}: {exc}") from None
    if blob.size == 0:
        release_blob(blob.sha256)
        raise UploadRefused(f"{name}: the file is empty")
    return Questionnaire.objects.create(organization=org, file_name=name, sha256=blob.sha256, size=blob.size,
                                        question_count=0, asks=[], warnings=[], uploaded_by=user,
                                        state=ReadState.QUEUED, progress=5)


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
    # A file that failed is not kept: repeated refusals must not fill the disk (the row keeps the reason).
    release_blob(questionnaire.sha256)
    return f"failed: {reason}"


def _step(questionnaire: Questionnaire, state: str, progress: int) -> None:
    questionnaire.state, questionnaire.progress = state, progress
    questionnaire.save(update_fields=["state", "progress"])


def read_questionnaire_file(path: Path) -> tuple[tuple[Question, ...], list[str]]:
    """The questions of a stored file and its warnings; InputError when it cannot be read.

    In a task worker the file is parsed in a child process held to ``reading_limits()``. Elsewhere (tasks run
    inline, the demo) it is read in this process, bounded by the readers' own size and count checks: a
    server process with threads must not fork.
    """
    read = read_bounded(path, limits=reading_limits()) if in_worker() else read_questionnaire(path)
    return read.questions, [*read.warnings, *(_skipped(part) for part in read.skipped)]


def _skipped(part: SkippedPart) -> str:
    return f"Skipped the sheet '{part.name}': {part.reason}."


def _read_stored(questionnaire: Questionnaire) -> tuple[tuple[Question, ...], list[str]]:
    with tempfile.TemporaryDirectory(prefix="socready-q-") as folder:
        local = _original(questionnaire, Path(folder))
        questions, warnings = read_questionnaire_file(local)
    name = questionnaire.file_name
    return questions, [warning.replace(str(local), name) for warning in warnings]


def read_and_draft(questionnaire_id: int) -> str:
    """Read a queued questionnaire, find its asks and draft every answer; return a one-line outcome."""
    # One conditional update claims it: of two workers handed the same questionnaire, only one drafts it.
    if not Questionnaire.objects.filter(pk=questionnaire_id, state=ReadState.QUEUED).update(
            state=ReadState.READING, progress=5):
        return "nothing to do"
    questionnaire = Questionnaire.objects.select_related("organization").get(pk=questionnaire_id)
    try:
        questions, warnings = _read_stored(questionnaire)
    except InputError as exc:
        return _fail(questionnaire, exc.reason)
    except Exception as exc:  # noqa: BLE001 - a damaged stored file must end as a failed row, not a crash
        return _fail(questionnaire, f"cannot be read: {exc.__class__.__name__}")
    if not questions:
        return _fail(questionnaire, "no questions were found in it")
    questionnaire.question_count, questionnaire.warnings = len(questions), warnings
    questionnaire.asks = [_ask_dict(a, questionnaire.file_name) for a in scan_questions(questions)]
    questionnaire.state, questionnaire.progress = ReadState.DRAFTING, 15
    questionnaire.save(update_fields=["question_count", "warnings", "asks", "state", "progress"])
    drafts = _draft(questionnaire, questions, lambda done: _step(
        questionnaire, ReadState.DRAFTING, 15 + int(80 * done / len(questions))))
    with transaction.atomic():
        questionnaire.drafted_at = timezone.now()
        questionnaire.state, questionnaire.progress = ReadState.READY, 100
        questionnaire.save()
        for position, (question, draft) in enumerate(zip(questions, drafts, strict=True), start=1):
            DraftAnswer.objects.create(questionnaire=questionnaire, position=position, question_id=question.id,
                                       text=question.text, location=question.location,
                                       section=(question.section or "")[:300], **_draft_fields(draft))
    return f"drafted {len(drafts)} answers"


def requeue_abandoned(questionnaire_id: int) -> None:
    """Show a questionnaire queued again: the worker drafting it died and its task goes back to the queue."""
    Questionnaire.objects.filter(pk=questionnaire_id, state__in=(ReadState.READING, ReadState.DRAFTING)).update(
        state=ReadState.QUEUED, progress=5)


def fail_abandoned(questionnaire_id: int, reason: str) -> None:
    """Fail a questionnaire whose drafting did not finish (given up, or ended on an error), saying why."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).exclude(state__in=FINISHED).first()
    if questionnaire is not None:
        _fail(questionnaire, reason)


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
