"""Population files: validation with row numbers, nothing returned on error, SQL and Python agree."""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from socready.core.errors import InputError
from socready.core.sampling.draw import Frequency, Risk, draw_sample
from socready.core.window import Window
from socready.io.population import PopulationSpec, check_source_name, scan_population
from socready.io.population_sample import extend_population_sample, sample_population

H1 = Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
SPEC = PopulationSpec("change_id", "merged_on", ("approver",), H1)
SRC = str(Path(__file__).resolve().parents[3] / "src")


def rows(count):
    return [[f"CHG-{n:04d}", (dt.date(2026, 1, 1) + dt.timedelta(days=n % 181)).isoformat(), f"u{n % 7}"]
            for n in range(count)]


def write_csv(path, body, header=("change_id", "merged_on", "approver")):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(body)
    return path


def draw(path, **kw):
    return sample_population(path, kw.pop("spec", SPEC), frequency=kw.pop("frequency", Frequency.CONTINUOUS),
                             risk=kw.pop("risk", Risk.HIGH), seed=kw.pop("seed", 2026), **kw)


def test_file_sample_equals_the_in_memory_python_selection(tmp_path):
    body = rows(3000)
    drawn = draw(write_csv(tmp_path / "changes.csv", body))
    python = draw_sample([r[0] for r in body], frequency=Frequency.CONTINUOUS, risk=Risk.HIGH, seed=2026)
    assert drawn.sample.items == python.items
    assert drawn.sample.population_size == 3000
    first = drawn.rows[0]
    assert body[first.row - 2][0] == first.id and dict(first.attributes)["approver"] == body[first.row - 2][2]


def test_spread_over_months_agrees_with_python_and_records_the_import(tmp_path):
    body = rows(2000)
    path = write_csv(tmp_path / "changes.csv", body)
    drawn = draw(path, spread_months=True)
    months = {r[0]: r[1][:7] for r in body}
    python = draw_sample(list(months), frequency=Frequency.CONTINUOUS, risk=Risk.HIGH, seed=2026, months=months)
    assert drawn.sample.items == python.items
    record = drawn.population.record
    assert record.rows == 2000 and record.source_name == "changes.csv"
    import hashlib
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (record.first_date, record.last_date) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_extending_a_file_sample_keeps_the_first_items(tmp_path):
    path = write_csv(tmp_path / "changes.csv", rows(800))
    first = draw(path, frequency=Frequency.DAILY, risk=Risk.LOW)
    bigger = extend_population_sample(path, SPEC, first.sample, 15)
    assert bigger.sample.items[:25] == first.sample.items and bigger.sample.size == 40
    assert bigger.sample.extended_from == (25,)


@pytest.mark.parametrize(("mutate", "message", "entry", "field"), [
    (lambda b: b.__setitem__(9, ["", "2026-02-01", "u"]), "1 row has no id (row 11)", "row 11", "change_id"),
    (lambda b: b.__setitem__(4, ["CHG-0001", "2026-02-01", "u"]), "'CHG-0001' at row 6 (first at row 3)",
     "row 6", "change_id"),
    (lambda b: b.__setitem__(7, ["CHG-X", "2025-12-31", "u"]), "dated outside the window", "row 9", "merged_on"),
    (lambda b: b.__setitem__(2, ["CHG-X", "31/02/2026", "u"]), "cannot be read (row 4)", "row 4", "merged_on"),
    (lambda b: b.__setitem__(5, ["CHG-X", "", "u"]), "has no date (row 7)", "row 7", "merged_on"),
])
def test_bad_rows_are_refused_with_their_row_numbers_and_nothing_is_returned(tmp_path, mutate, message, entry,
                                                                            field):
    body = rows(50)
    mutate(body)
    path = write_csv(tmp_path / "bad.csv", body)
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        draw(path)
    assert message in str(err.value) and err.value.entry == entry and err.value.field == field
    assert err.value.file == "bad.csv" and path.read_bytes() == before


def test_a_row_with_too_many_fields_is_named(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("change_id,merged_on,approver\nA,2026-01-02,u\nB,2026-01-03,u,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="Expected Number of Columns") as err:
        draw(path)
    assert err.value.entry == "row 3"


def test_a_missing_column_is_named_with_the_available_ones(tmp_path):
    path = write_csv(tmp_path / "changes.csv", rows(5))
    with pytest.raises(InputError, match=r"'ticket' is not in the file \(columns: change_id, merged_on, approver\)"):
        scan_population(path, PopulationSpec("ticket"))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("blob.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary data"),
    ("book.csv", b"PK\x03\x04zipped", "binary data"),
    ("latin.csv", "id\ncaf\xe9\n".encode("latin-1"), "not UTF-8"),
    ("fake.xlsx", b"id\nA\n", "not an Excel workbook"),
    ("fake.parquet", b"id\nA\n", "not a Parquet file"),
    ("notes.pdf", b"%PDF", "unsupported file type"),
])
def test_files_that_are_not_what_their_name_says_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        scan_population(path, PopulationSpec("id"))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = write_csv(tmp_path / "big.csv", rows(100))
    with pytest.raises(InputError, match="the limit is 1000"):
        scan_population(path, PopulationSpec("change_id", max_bytes=1000))


@pytest.mark.parametrize("name", ["../etc/passwd.csv", "a\\b.csv", "evil\n.csv", "bell\x07.csv", ""])
def test_source_names_with_separators_or_control_characters_are_refused(name):
    with pytest.raises(InputError):
        check_source_name(name)


def test_xlsx_rows_keep_their_sheet_numbers_and_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["change_id", "merged_on", "approver"])
    for n in range(30):
        sheet.append([f"CHG-{n}", dt.datetime(2026, 3, 1 + n % 28, 9, 30), "u"])
    sheet.append([None, dt.date(2026, 3, 5), "u"])
    path = tmp_path / "changes.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"1 row has no id \(row 32\)"):
        draw(path)
    sheet.delete_rows(32)
    book.save(path)
    drawn = draw(path, frequency=Frequency.WEEKLY)
    assert drawn.population.record.format == "xlsx" and drawn.sample.size == 5
    assert all(r.row == int(r.id.split("-")[1]) + 2 for r in drawn.rows)


def test_parquet_populations_are_read_with_typed_dates(tmp_path):
    path = tmp_path / "changes.parquet"
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT 'CHG-' || i AS change_id, DATE '2026-01-01' + i::INTEGER AS merged_on,"
                    " 'u' AS approver FROM range(100) r(i)")
        con.execute("COPY t TO $1 (FORMAT parquet)", [str(path)])
    drawn = draw(path, frequency=Frequency.PER_EVENT, risk=Risk.LOW)
    python = draw_sample([f"CHG-{i}" for i in range(100)], frequency=Frequency.PER_EVENT, risk=Risk.LOW, seed=2026)
    assert drawn.sample.items == python.items
    assert drawn.rows[0].row == int(drawn.rows[0].id.split("-")[1]) + 1


def test_cli_gives_the_same_sample_in_two_separate_processes(tmp_path):
    path = write_csv(tmp_path / "changes.csv", rows(1500))
    command = [sys.executable, "-c", "from socready.cli.main import main; main()", "sample", str(path),
               "--frequency", "continuous", "--risk", "moderate", "--seed", "99", "--id-column", "change_id",
               "--date-column", "merged_on", "--period", "2026-01-01..2026-06-30", "--spread-months", "--json"]
    env = {**os.environ, "PYTHONPATH": SRC, "PYTHONHASHSEED": "random"}
    outputs = [json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
               for _ in range(2)]
    assert outputs[0]["items"] == outputs[1]["items"]
    assert outputs[0]["sample_size"] == 40 and outputs[0]["population_size"] == 1500
    assert outputs[0]["population_sha256"] == outputs[1]["population_sha256"]
    assert {"seed", "frequency", "risk", "method"} <= set(outputs[0])


def test_cli_names_the_row_and_exits_non_zero_on_bad_input(tmp_path):
    body = rows(20)
    body[3] = ["CHG-0000", "2026-01-05", "u"]
    path = write_csv(tmp_path / "dups.csv", body)
    command = [sys.executable, "-c", "from socready.cli.main import main; main()", "sample", str(path),
               "--frequency", "weekly", "--id-column", "change_id"]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert done.returncode == 2
    assert "dups.csv" in done.stderr and "row 5" in done.stderr and done.stdout == ""
