"""Background work of the questionnaires app, run by the task worker (``socready serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from socready.questionnaires import services_reading


@task()
def read_questionnaire_upload(questionnaire_id: int) -> str:
    """Read a stored questionnaire upload, find its asks and draft its answers, saving progress."""
    return services_reading.read_and_draft(questionnaire_id)
