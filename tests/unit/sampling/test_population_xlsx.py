"""Population workbooks are read to their last row, whatever size they declare, and bombs are refused early."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from socready.core.errors import InputError
from socready.io.population import PopulationSpec, scan_population
from socready.io.population_files import POPULATION_XLSX_LIMITS
from socready.io.workbook_limits import WorkbookLimits
from tests.xlsx_parts import padded_rows, set_dimension, stream_sheet

SRC = str(Path(__file__).resolve().parents[3] / "src")


def population(path: Path, count: int) -> Path:
    """A workbook of ``count`` changes: id, date and a number."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "date", "n"])
    for n in range(count):
        sheet.append([f"CHG-{n}", dt.date(2026, 1, 1) + dt.timedelta(days=n % 180), n])
    book.save(path)
    return path


@pytest.mark.parametrize("declared", ["A1:C10", "A1"])
def test_a_sheet_that_understates_its_size_is_read_to_the_last_row(tmp_path: Path, declared: str) -> None:
    path = set_dimension(population(tmp_path / "pop.xlsx", 1000), declared)
    scanned = scan_population(path, PopulationSpec("id", "date"))
    assert scanned.record.rows == 1000
    assert scanned.record.last_date == dt.date(2026, 6, 29)


def test_the_cli_samples_the_whole_sheet_of_an_understated_workbook(tmp_path: Path) -> None:
    path = set_dimension(population(tmp_path / "pop.xlsx", 1000), "A1:C10")
    command = [sys.executable, "-c", "from socready.cli.main import main; main()", "sample", str(path),
               "--frequency", "daily", "--date-column", "date", "--seed", "7", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["population_size"] == 1000


def test_inner_blank_rows_keep_the_sheet_numbering_and_trailing_ones_are_dropped(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "date"])
    sheet.append(["A", dt.date(2026, 1, 1)])
    sheet.append([])
    sheet.append([])
    sheet.append(["B", dt.date(2026, 1, 2)])
    sheet["A9"] = ""  # formatted but empty rows at the end
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"2 rows have no id \(rows 3, 4\)"):
        scan_population(path, PopulationSpec("id", "date"))


def test_a_workbook_that_unzips_far_beyond_its_size_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    # 1.5 MB of sheet XML that zips to a few kilobytes: the ratio gives it away.
    path = stream_sheet(population(tmp_path / "bomb.xlsx", 1), padded_rows(4000))
    with pytest.raises(InputError, match="bomb.xlsx: the part xl/worksheets/sheet1.xml unzips to .* times "
                                         "its zipped size; the limit is 100 times"):
        scan_population(path, PopulationSpec("id"))


def test_a_sheet_past_the_cell_limit_is_refused_while_it_is_streamed(tmp_path: Path) -> None:
    limits = WorkbookLimits("a population", max_part_bytes=POPULATION_XLSX_LIMITS.max_part_bytes,
                            max_total_bytes=POPULATION_XLSX_LIMITS.max_total_bytes, max_cells=2000)
    path = population(tmp_path / "wide.xlsx", 1000)
    with pytest.raises(InputError, match=r"wide.xlsx, entry Sheet: the sheet has more than 2,000 cells, "
                                         r"the limit for a population"):
        scan_population(path, PopulationSpec("id", xlsx_limits=limits))
    assert scan_population(path, PopulationSpec("id")).record.rows == 1000
