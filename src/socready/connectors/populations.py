"""Populations gathered by a run, imported through the same path as an uploaded file.

The rows are written as CSV, stored in the blob store by SHA-256, recorded as a population and validated
by ``run_import``: the population is hashed, checked against the window and ready for sampling exactly
like one a person uploaded.
"""

from __future__ import annotations

import csv
import io

from socready.accounts.models import Organization
from socready.core.connectors.plugin import PopulationRows
from socready.evidence import services_population
from socready.evidence.models import ImportState
from socready.programs.models import Control, Engagement


def population_csv(rows: PopulationRows) -> bytes:
    """The rows as UTF-8 CSV with a header line, columns in the connector's order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows.columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows.rows)
    return out.getvalue().encode("utf-8")


def import_populations(org: Organization, engagement: Engagement | None,
                       populations: tuple[PopulationRows, ...]) -> tuple[list[int], list[str]]:
    """Import each population; return the ids imported and notes on those that were not."""
    ids: list[int] = []
    notes: list[str] = []
    for rows in populations:
        control = Control.objects.filter(organization=org, code=rows.control).first()
        if control is None:
            notes.append(f"{rows.source_name}: control {rows.control} is not adopted, so the {rows.kind} "
                         "population was not imported")
            continue
        if not rows.rows:
            notes.append(f"{rows.source_name}: no {rows.kind} in the window, nothing to import")
            continue
        blob = services_population.store_upload([population_csv(rows)])
        population = services_population.create_population(
            control=control, engagement=engagement, kind=rows.kind, source_name=rows.source_name, blob=blob,
            id_column=rows.id_column, date_column=rows.date_column, attribute_columns=list(rows.attribute_columns),
            user=None)
        state = services_population.run_import(population.pk)
        population.refresh_from_db()
        if state == ImportState.DONE:
            ids.append(population.pk)
        else:
            notes.append(f"{rows.source_name}: the {rows.kind} population was refused: {population.error}")
    return ids, notes
