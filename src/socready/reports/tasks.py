"""Background work of the reports app, run by the task worker (``socready serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from socready.reports import jobs
from socready.reports.models import ExportJob, JobState


@task()
def make_export(job_id: int) -> str:
    """Make one queued export (see ``jobs.run_job``)."""
    return jobs.run_job(job_id)


def enqueue_job(job: ExportJob, what: str) -> None:
    """Queue ``make_export`` for ``job``; if the queue refuses it, the job shows failed (naming ``what``)."""
    try:
        make_export.enqueue(job.pk)
    except Exception as exc:
        job.state, job.error = JobState.FAILED, f"the {what} could not be queued: {exc}"
        job.save()
        raise
