"""Background work of the evidence app, run by the task worker (``db_worker``; ``socready serve`` starts one)."""

from __future__ import annotations

from django_tasks import task

from socready.evidence import services_population


@task()
def import_population(population_id: int) -> str:
    """Validate a stored population upload and record its completeness-and-accuracy record or its error."""
    return services_population.run_import(population_id)


def recover_abandoned() -> list[int]:
    """Queue again the imports whose worker died (stale heartbeat), and enqueue their task; return their ids."""
    recovered = services_population.recover_abandoned_imports()
    for population_id in recovered:
        import_population.enqueue(population_id)
    return recovered
