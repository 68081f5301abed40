"""The filled copies of a questionnaire, made in the background as files of the reports app's export jobs.

Filling a large workbook takes seconds, so the page queues the copy and shows its progress and then the
download (``reports.jobs``), as it does for the report PDF and the bundle.
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from socready.accounts.models import Organization, User
from socready.core.errors import InputError
from socready.io.exports.bundle import safe_name
from socready.questionnaires.models import Questionnaire
from socready.questionnaires.services import filled_copy
from socready.reports.jobs import JobKind, Progress, create_job, register_job_kind
from socready.reports.models import ExportJob
from socready.storage.blobs import CorruptBlob

# The copy name in a URL, and the kind of job that makes it.
COPIES = {"working": "questionnaire-working", "prospect": "questionnaire-prospect"}


class CopyRefused(Exception):
    """Why a copy could not be made, in words for the job's page."""


def _questionnaire(job: ExportJob) -> Questionnaire | None:
    if not job.subject.isdigit():
        return None
    return Questionnaire.objects.filter(pk=int(job.subject), organization_id=job.organization_id).first()


def _make(job: ExportJob, folder: Path, progress: Progress) -> tuple[Path, str]:
    questionnaire = _questionnaire(job)
    if questionnaire is None:
        raise CopyRefused("the questionnaire was removed before its copy was made")
    progress(20, "Filling in the answers")
    try:
        data, name, _ = filled_copy(questionnaire, for_prospect=job.kind == COPIES["prospect"])
    except CorruptBlob:
        raise CopyRefused("the stored questionnaire does not match its recorded SHA-256; ask an administrator "
                          "to restore it from backup") from None
    except InputError as exc:
        raise CopyRefused(f"the filled copy could not be written: {exc.reason}") from None
    progress(80, "Writing the file")
    path = folder / safe_name(name, fallback="questionnaire-copy")
    path.write_bytes(data)
    return path, path.name


def _back(job: ExportJob, slug: str) -> tuple[str, str]:
    questionnaire = _questionnaire(job)
    if questionnaire is None:
        return "Questionnaires", reverse("questionnaire-list", kwargs={"slug": slug})
    return questionnaire.file_name, reverse("questionnaire-detail", kwargs={"slug": slug, "pk": questionnaire.pk})


def register() -> None:
    """Make questionnaire copies a kind of background file (called from ``AppConfig.ready``)."""
    register_job_kind(JobKind(COPIES["working"], "Questionnaire, working copy", _make, (CopyRefused,), _back))
    register_job_kind(JobKind(COPIES["prospect"], "Questionnaire, copy to send", _make, (CopyRefused,), _back))


def queue_copy(org: Organization, user: User, questionnaire: Questionnaire, copy: str) -> ExportJob:
    """Record the request for one copy of a questionnaire; the caller queues ``make_export`` with its id."""
    return create_job(org, user, COPIES[copy], None, subject=str(questionnaire.pk))
