"""Population checks on the one-pass table: counts, row numbers in file order, dates told apart, blank ids."""

import datetime as dt
import hashlib

import duckdb
import pytest

from socready.core.errors import InputError
from socready.core.sampling.draw import selection_key
from socready.core.window import Window
from socready.io.population import PopulationSpec, scan_population

H1 = Window(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
SPEC = PopulationSpec("change_id", "merged_on", ("approver",), H1)
# Large enough that DuckDB splits the file between threads (it hands out about 8 MB at a time), so row
# numbers are only right if the table keeps the file's order.
BIG = 600_000


def write(path, body):
    path.write_text("change_id,merged_on,approver\n" + "".join(f"{a},{b},{c}\n" for a, b, c in body),
                    encoding="utf-8")
    return path


def good(count):
    return [[f"CHG-{n:04d}", (dt.date(2026, 1, 1) + dt.timedelta(days=n % 181)).isoformat(), "u"]
            for n in range(count)]


def big_file(path, broken="WHEN false THEN NULL"):
    """BIG records 'CHG-<i>' (row i + 2), dated in H1; ``broken`` is a SQL CASE branch spoiling some rows."""
    with duckdb.connect() as con:
        con.execute(f"""COPY (SELECT CASE {broken} ELSE 'CHG-' || i END AS change_id,
                                     DATE '2026-01-01' + (i % 181)::INTEGER AS merged_on,
                                     'u' || (i % 7) AS approver
                              FROM range({BIG}) t(i)) TO $1 (HEADER)""", [str(path)])  # noqa: S608
    return path


def refused(path, spec=SPEC):
    with pytest.raises(InputError) as err:
        scan_population(path, spec, seed=7, candidates_wanted=25)
    return err.value


def test_missing_and_unreadable_dates_are_told_apart_with_their_rows(tmp_path):
    body = good(40)
    for index in (2, 9, 30):
        body[index][1] = ""
    body[5][1] = "2026-13-01"
    body[20][1] = "soon"
    error = refused(write(tmp_path / "dates.csv", body))
    assert "3 rows have no date (rows 4, 11, 32)" in error.reason
    assert "2 rows have a date that cannot be read (rows 7, 22)" in error.reason
    assert (error.entry, error.field, error.file) == ("row 4", "merged_on", "dates.csv")


@pytest.mark.parametrize("value", ["infinity", "-infinity", "29999-01-01", "0000-06-01"])
def test_dates_python_cannot_hold_count_as_unreadable(tmp_path, value):
    body = good(12)
    body[6][1] = value
    error = refused(write(tmp_path / "odd.csv", body), PopulationSpec("change_id", "merged_on"))
    assert "1 row has a date that cannot be read (row 8)" in error.reason and error.entry == "row 8"


@pytest.mark.parametrize("blank", ["   ", "\u00a0\u00a0", "\u3000"])
def test_ids_made_only_of_spaces_are_missing(tmp_path, blank):
    body = good(15)
    body[11][0] = blank
    error = refused(write(tmp_path / "blank.csv", body))
    assert "1 row has no id (row 13)" in error.reason and error.field == "change_id"


def test_ids_that_merely_start_with_a_space_or_a_non_ascii_letter_are_kept(tmp_path):
    body = good(15)
    body[3][0], body[4][0] = " CHG-X", "\u00c9CHG"
    scan = scan_population(write(tmp_path / "ok.csv", body), SPEC, seed=7, candidates_wanted=25)
    assert scan.record.rows == 15 and scan.complete_candidates
    kept = {c.id: c.row for c in scan.candidates}
    assert kept[" CHG-X"] == 5 and kept["\u00c9CHG"] == 6


def test_every_problem_is_reported_once_with_the_first_row_as_the_entry(tmp_path):
    body = good(30)
    body[25][0] = ""
    body[12] = ["CHG-0003", "2026-02-01", "u"]
    body[7][1] = "2025-12-31"
    body[18][1] = ""
    error = refused(write(tmp_path / "all.csv", body))
    assert error.reason.split("; ") == [
        "1 row has no id (row 27)",
        "1 row has no date (row 20)",
        f"1 row is dated outside the window {H1} (row 9)",
        "1 duplicate id: 'CHG-0003' at row 14 (first at row 5)",
    ]
    assert error.entry == "row 9" and error.field == "merged_on"


def test_rows_of_a_file_read_in_parallel_keep_their_file_numbers(tmp_path):
    path = big_file(tmp_path / "big.csv")
    scan = scan_population(path, SPEC, seed=11, candidates_wanted=60)
    assert scan.record.rows == BIG
    assert scan.record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(scan.candidates) > 60 and not scan.complete_candidates
    for cand in scan.candidates:
        assert cand.row == int(cand.id.removeprefix("CHG-")) + 2
        assert cand.key == selection_key(11, cand.id)
        assert dict(cand.attributes)["approver"] == f"u{(cand.row - 2) % 7}"
        assert cand.date == dt.date(2026, 1, 1) + dt.timedelta(days=(cand.row - 2) % 181)
    assert sum(count for _, count in scan.months) == BIG


def test_problems_far_apart_in_a_parallel_read_are_counted_and_numbered_in_file_order(tmp_path):
    broken = ("WHEN i IN (599990, 123456, 450000, 7, 300001, 500000) THEN NULL "
              "WHEN i = 588888 THEN 'CHG-42'")
    error = refused(big_file(tmp_path / "big.csv", broken))
    assert "6 rows have no id (rows 9, 123458, 300003, 450002, 500002, ...)" in error.reason
    assert "1 duplicate id: 'CHG-42' at row 588890 (first at row 44)" in error.reason
    assert error.entry == "row 9" and error.field == "change_id"


def test_a_single_blank_id_deep_in_a_large_file_is_found(tmp_path):
    error = refused(big_file(tmp_path / "big.csv", "WHEN i = 555555 THEN '  '"))
    assert error.reason == "1 row has no id (row 555557)" and error.entry == "row 555557"


def test_parquet_dates_missing_or_out_of_range_are_named_by_record_number(tmp_path):
    path = tmp_path / "changes.parquet"
    with duckdb.connect() as con:
        con.execute("""COPY (SELECT 'CHG-' || i AS change_id,
                                    CASE WHEN i IN (3, 40) THEN NULL WHEN i = 17 THEN DATE 'infinity'
                                         ELSE DATE '2026-01-01' + i::INTEGER END AS merged_on
                             FROM range(60) t(i)) TO $1 (FORMAT parquet)""", [str(path)])
    error = refused(path, PopulationSpec("change_id", "merged_on"))
    assert error.reason == "2 rows have no date (rows 4, 41); 1 row has a date that cannot be read (row 18)"
    assert error.entry == "row 4"
