"""Background work of the reports app, run by the task worker (``socready serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from socready.reports import jobs


@task()
def make_export(job_id: int) -> str:
    """Make one queued export (see ``jobs.run_job``)."""
    return jobs.run_job(job_id)
