"""Background exports: queue one, make it in the task worker with its progress recorded, keep the file by hash.

The PDF and the bundle take seconds to make; the page that asks for one shows a progress bar and offers the
file when it is ready, instead of holding a request open. Apps above reports that have slow files of their
own (questionnaire copies) register a ``JobKind`` and share the queue, the progress page and the download.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socready.accounts.models import Organization, User
from socready.reports.exports import download_name, export_kind, write_export
from socready.reports.kinds import BY_KIND
from socready.reports.models import ExportJob, JobState
from socready.reports.services import ReportError, program_readiness
from socready.storage.blobs import blob_store

log = logging.getLogger(__name__)
BACKGROUND_KINDS = ("report-pdf", "bundle")
FINISHED = (JobState.DONE, JobState.FAILED)
CHUNK = 1024 * 1024

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobKind:
    """One kind of file made in the background.

    ``make(job, folder, progress)`` writes the file into ``folder`` and returns its path and download name,
    reporting progress (percent below 90, phase) as it goes. The messages of ``refusals`` are shown as the
    reason a job failed; any other error is logged and reported in general words. ``back(job, slug)`` gives
    the label and address the job's page leads back to.
    """

    kind: str
    title: str
    make: Callable[[ExportJob, Path, Progress], tuple[Path, str]]
    refusals: tuple[type[Exception], ...] = ()
    back: Callable[[ExportJob, str], tuple[str, str]] | None = None

    def back_link(self, job: ExportJob, slug: str) -> tuple[str, str]:
        """Where the job's page leads back to: the registered place, else the downloads page."""
        if self.back is not None:
            return self.back(job, slug)
        return "Downloads", reverse("downloads", kwargs={"slug": slug})


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    """Let ``make_export`` make files of this kind (apps call it from ``AppConfig.ready``)."""
    _KINDS[kind.kind] = kind


def job_kind(kind: str) -> JobKind:
    """The registered kind of background file; ValueError names an unknown one."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValueError(f"no background file of kind {kind!r}") from None


def title_of(kind: str) -> str:
    """The title of a kind of background file, or the kind itself when no installed app makes it."""
    return _KINDS[kind].title if kind in _KINDS else kind


def create_job(org: Organization, user: User, kind: str, engagement: str | None, subject: str = "") -> ExportJob:
    """Record the request (in the audit trail too); the caller queues ``make_export`` with its id."""
    job_kind(kind)  # an unknown kind is refused before anything is stored
    return ExportJob.objects.create(organization=org, kind=kind, engagement=engagement or "", subject=subject,
                                    requested_by=user, phase="Waiting for the background worker")


def _progress(job: ExportJob, percent: int, phase: str, state: str = JobState.RUNNING) -> None:
    # A plain update: progress is not a change of the program, the audit trail keeps the request and the result.
    ExportJob.objects.filter(pk=job.pk).update(progress=percent, phase=phase, state=state)


def _claim(job_id: int) -> bool:
    """Take a queued job for this worker: one conditional update, so two workers never make the same file."""
    return bool(ExportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, progress=5, phase="Starting"))


def run_job(job_id: int) -> str:
    """Make the job's file and store it; a failure is recorded on the job with its reason, never raised."""
    if not _claim(job_id):
        return str(ExportJob.objects.values_list("state", flat=True).get(pk=job_id))  # finished, or another has it
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    refusals: tuple[type[Exception], ...] = ()
    try:
        kind = job_kind(job.kind)
        refusals = kind.refusals
        with tempfile.TemporaryDirectory(prefix="socready-export-") as folder:
            path, name = kind.make(job, Path(folder), lambda percent, phase: _progress(job, percent, phase))
            _progress(job, 90, "Storing the file")
            with path.open("rb") as handle:
                blob = blob_store().put(iter(lambda: handle.read(CHUNK), b""), settings.MAX_POPULATION_BYTES)
    except refusals as exc:
        _finish(job, JobState.FAILED, error=str(exc))
    except Exception as exc:  # anything else: the page must say so rather than spin forever
        log.exception("export job %s failed", job.pk)
        _finish(job, JobState.FAILED, error=f"the export stopped unexpectedly ({type(exc).__name__}); "
                                            "try again, and tell your administrator if it happens again")
    else:
        _finish(job, JobState.DONE, file_name=name, sha256=blob.sha256, size=blob.size)
    return str(ExportJob.objects.values_list("state", flat=True).get(pk=job.pk))


def requeue_abandoned(job_id: int) -> None:
    """Show a job queued again: the worker making it died and its task goes back to the queue."""
    ExportJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=JobState.QUEUED, progress=0, phase="The background worker stopped; waiting to start again")


def fail_abandoned(job_id: int, reason: str) -> None:
    """Fail a job that did not finish (its task was given up, or ended on an error), saying why."""
    job = ExportJob.objects.filter(pk=job_id).exclude(state__in=FINISHED).first()
    if job is not None:
        _finish(job, JobState.FAILED, error=reason)


def _finish(job: ExportJob, state: str, **fields: object) -> None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        job.state, job.finished_at = state, timezone.now()
        job.progress = 100 if state == JobState.DONE else job.progress
        job.phase = "Ready" if state == JobState.DONE else "Stopped"
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()  # the result is audited: who asked for which file, and its hash


def _make_report(job: ExportJob, folder: Path, progress: Progress) -> tuple[Path, str]:
    progress(10, "Reading the program")
    program = program_readiness(job.organization, job.engagement or None)
    progress(30, "Copying the evidence and writing the files" if job.kind == "bundle" else "Laying out the pages")
    name = download_name(program, job.kind, export_kind(job.kind).suffix)
    return write_export(program, job.kind, folder / name), name


for _kind in BACKGROUND_KINDS:
    register_job_kind(JobKind(_kind, BY_KIND[_kind].title, _make_report, (ReportError,)))
