"""Background exports: queue one, make it in the task worker with its progress recorded, keep the file by hash.

The PDF and the bundle take seconds to make; the page that asks for one shows a progress bar and offers the
file when it is ready, instead of holding a request open.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization, User
from socready.reports.exports import download_name, export_kind, write_export
from socready.reports.models import ExportJob, JobState
from socready.reports.services import ReportError, program_readiness
from socready.storage.blobs import blob_store

log = logging.getLogger(__name__)
BACKGROUND_KINDS = ("report-pdf", "bundle")
FINISHED = (JobState.DONE, JobState.FAILED)
CHUNK = 1024 * 1024


def create_job(org: Organization, user: User, kind: str, engagement: str | None) -> ExportJob:
    """Record the request (in the audit trail too); the caller queues ``make_export`` with its id."""
    export_kind(kind)  # an unknown kind is refused before anything is stored
    return ExportJob.objects.create(organization=org, kind=kind, engagement=engagement or "", requested_by=user,
                                    phase="Waiting for the background worker")


def _progress(job: ExportJob, percent: int, phase: str, state: str = JobState.RUNNING) -> None:
    # A plain update: progress is not a change of the program, the audit trail keeps the request and the result.
    ExportJob.objects.filter(pk=job.pk).update(progress=percent, phase=phase, state=state)


def _claim(job_id: int) -> bool:
    """Take a queued job for this worker: one conditional update, so two workers never make the same file."""
    return bool(ExportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, progress=5, phase="Starting"))


def run_job(job_id: int) -> str:
    """Make the job's export and store it; a failure is recorded on the job with its reason, never raised."""
    if not _claim(job_id):
        return str(ExportJob.objects.values_list("state", flat=True).get(pk=job_id))  # finished, or another has it
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    try:
        _progress(job, 10, "Reading the program")
        program = program_readiness(job.organization, job.engagement or None)
        _progress(job, 30, "Copying the evidence and writing the files" if job.kind == "bundle"
                  else "Laying out the pages")
        name = download_name(program, job.kind, export_kind(job.kind).suffix)
        with tempfile.TemporaryDirectory(prefix="socready-export-") as folder:
            path = write_export(program, job.kind, Path(folder) / name)
            _progress(job, 90, "Storing the file")
            with path.open("rb") as handle:
                blob = blob_store().put(iter(lambda: handle.read(CHUNK), b""), settings.MAX_POPULATION_BYTES)
    except ReportError as exc:
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
