"""Hostile population uploads end in a clean refusal that names the file and the limit, and store nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socready.evidence.models import Population
from socready.storage.blobs import blob_store
from tests import hostile_files as hostile
from tests.integration.conftest import Personas
from tests.integration.test_populations_web import setup, upload  # noqa: F401 - the fixture is used by name

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def refused(client: Client, setup: dict[str, Any], path: Path, **fields: str) -> Population:  # noqa: F811
    upload(client, path.read_bytes(), setup["changes"], setup["engagement"], name=path.name, **fields)
    population = Population.objects.get()
    assert population.state == "failed", population.error
    assert path.name in population.error
    assert population.record is None and population.rows is None
    assert not blob_store().exists(population.sha256)
    return population


def test_a_workbook_without_sheets_is_refused(client: Client, personas: Personas, setup: dict[str, Any],  # noqa: F811
                                              tmp_path: Path) -> None:
    client.force_login(personas.alice)
    assert "the workbook has no sheet" in refused(client, setup, hostile.xlsx_without_sheets(tmp_path)).error


def test_a_nul_byte_past_the_first_block_is_refused_on_every_database(client: Client, personas: Personas,
                                                                       setup: dict[str, Any],  # noqa: F811
                                                                       tmp_path: Path) -> None:
    client.force_login(personas.alice)
    path = tmp_path / "late_nul.csv"
    lines = [f"CHG-{n:05d},2026-02-01,u1" for n in range(5_000)]
    path.write_bytes(("change_id,merged_on,approver\n" + "\n".join(lines) + "\n").encode()
                     + b"CHG-\x00X,2026-02-02,u1\n")
    error = refused(client, setup, path).error
    assert "NUL byte" in error and "line 5,002" in error


def test_a_population_that_overruns_the_import_time_limit_is_stopped(client: Client, personas: Personas,
                                                                    setup: dict[str, Any],  # noqa: F811
                                                                    tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_SECONDS = 0  # every import overruns: the worker stops the child and records why
    client.force_login(personas.alice)
    path = tmp_path / "slow.csv"
    path.write_text("change_id,merged_on,approver\nCHG-1,2026-02-01,u1\n", encoding="utf-8")
    assert "took longer than 0 seconds" in refused(client, setup, path).error
