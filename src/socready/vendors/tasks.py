"""Background work of the vendors app, run by the task worker (``socready serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from socready.vendors import services_reading


@task()
def read_vendor_report(report_id: int) -> str:
    """Read a stored vendor report in a bounded child process and record its facts or why it was refused."""
    return services_reading.read_report(report_id)


def recover_abandoned() -> list[int]:
    """Queue again the reads whose worker died (stale heartbeat), and enqueue their task; return their ids."""
    recovered = services_reading.recover_abandoned_reads()
    for report_id in recovered:
        read_vendor_report.enqueue(report_id)
    return recovered
