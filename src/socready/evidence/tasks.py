"""Background work of the evidence app, run by the task workers (``socready serve`` starts them)."""

from __future__ import annotations

from django_tasks import task

from socready.evidence import services_population


@task()
def import_population(population_id: int) -> str:
    """Validate a stored population upload and record its completeness-and-accuracy record or its error."""
    return services_population.run_import(population_id)

