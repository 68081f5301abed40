"""A date format the reader cannot use is refused as such, before the file is read, naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from socready.cli.main import app
from socready.core.errors import InputError
from socready.io.population import PopulationSpec, date_format_problem, scan_population


def changes(tmp_path: Path) -> Path:
    path = tmp_path / "changes.csv"
    path.write_text("id,date\nA,3/31/2026\nB,4/1/2026\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("date_format", "words"), [
    ("%Q", "'%Q' is not a valid date format (Unrecognized format"),
    ("x%", "'x%' is not a valid date format (Trailing format character"),
    ("%m/%Y", "'%m/%Y' is not a date format with a year, a month and a day"),
])
def test_unusable_formats_are_named_with_the_reason(date_format: str, words: str) -> None:
    assert (date_format_problem(date_format) or "").startswith(words)


@pytest.mark.parametrize("date_format", ["%m/%d/%Y", "%-m/%-d/%Y", "%d %B %Y", "%Y-%m-%d %H:%M"])
def test_formats_with_a_year_a_month_and_a_day_are_accepted(date_format: str) -> None:
    assert date_format_problem(date_format) is None


def test_a_population_with_an_invalid_date_format_names_the_field_not_the_file_reader(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        scan_population(changes(tmp_path), PopulationSpec("id", "date", date_format="%Q"))
    assert caught.value.field == "date_format" and "not a valid date format" in str(caught.value)
    assert "cannot read the file" not in str(caught.value)
    assert scan_population(changes(tmp_path), PopulationSpec("id", "date", date_format="%-m/%-d/%Y")).record.rows == 2


def test_the_cli_refuses_an_invalid_date_format_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sample", str(changes(tmp_path)), "--frequency", "daily",
                                      "--date-column", "date", "--date-format", "%Q"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--date-format: '%Q' is not a valid date format" in result.stderr
