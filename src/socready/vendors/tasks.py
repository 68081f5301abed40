"""Background work of the vendors app, run by the task workers (``socready serve`` starts them)."""

from __future__ import annotations

from django_tasks import task

from socready.vendors import services_reading


@task()
def read_vendor_report(report_id: int) -> str:
    """Read a stored vendor report in a bounded child process and record its facts or why it was refused."""
    return services_reading.read_report(report_id)

