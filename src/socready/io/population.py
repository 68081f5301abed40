"""Import a population (CSV, XLSX or Parquet), validate it in DuckDB and draw a reproducible sample from it.

One pass over the file loads a compact table (see population_table: the ranking key of each id, its date,
and the id itself only for the few rows whose key makes them sample candidates); the file's SHA-256 is
computed in a thread while the checks run on that table, so ten million rows never become Python objects.
Nothing is returned unless every check passes: the caller gets a validated population or an InputError
naming the file, the first offending rows and the field.

Row numbers follow a spreadsheet: the header is row 1, so the first record is row 2 (Parquet has no
header, so its first record is row 1). Blank lines in a CSV are skipped and not counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from socready.core.errors import InputError
from socready.core.window import Window
from socready.io.population_files import POPULATION_XLSX_LIMITS, detect_format, xlsx_to_csv
from socready.io.population_table import PopulationSource, candidate_rows, check_table, duckdb_error, load_table
from socready.io.workbook_limits import WorkbookLimits

DEFAULT_MAX_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class PopulationSpec:
    """Which columns hold the id, the date and extra attributes, and the limits to enforce."""

    id_column: str
    date_column: str | None = None
    attribute_columns: tuple[str, ...] = ()
    window: Window | None = None
    date_format: str | None = None
    delimiter: str = ","
    max_bytes: int = DEFAULT_MAX_BYTES
    xlsx_limits: WorkbookLimits = POPULATION_XLSX_LIMITS


@dataclass(frozen=True)
class ImportRecord:
    """The completeness-and-accuracy record of an imported population: what was read, when, its hash."""

    source_name: str
    format: str
    size_bytes: int
    sha256: str
    rows: int
    imported_at: str
    id_column: str
    date_column: str | None
    first_date: dt.date | None
    last_date: dt.date | None
    window: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        data = dict(self.__dict__)
        data["first_date"] = self.first_date.isoformat() if self.first_date else None
        data["last_date"] = self.last_date.isoformat() if self.last_date else None
        return data


@dataclass(frozen=True)
class Candidate:
    """A row whose key makes it a possible sample item: id, row number, date and attribute values."""

    id: str
    row: int
    key: int
    date: dt.date | None
    attributes: tuple[tuple[str, str | None], ...] = ()

    @property
    def month(self) -> str:
        """The 'YYYY-MM' stratum of the row ('none' without a date)."""
        return self.date.strftime("%Y-%m") if self.date else "none"


@dataclass(frozen=True)
class ScannedPopulation:
    """A validated population: its record, rows per month, and the sample candidates of the scan."""

    record: ImportRecord
    months: tuple[tuple[str, int], ...]
    seed: int | None = None
    candidates: tuple[Candidate, ...] = ()
    complete_candidates: bool = False
    found: tuple[Candidate, ...] = field(default=())


def date_format_problem(date_format: str) -> str | None:
    """Why dates written in ``date_format`` cannot be read (by DuckDB, which reads them), or None if they can.

    The format must be one DuckDB's strptime knows and must give back a day written with it, so a format
    without a year, a month or a day is refused too.
    """
    sample = dt.date(2026, 3, 31)
    with duckdb.connect(":memory:") as con:
        try:
            row = con.execute("SELECT try_strptime(strftime($1, $2), $2)::DATE", [sample, date_format]).fetchone()
        except duckdb.Error as exc:
            # "Invalid Input Error: Failed to parse format specifier %Q: Unrecognized format ...: %Q"
            first = str(exc).splitlines()[0]
            reason = first.partition(f"specifier {date_format}: ")[2] or first.partition("Error: ")[2] or first
            return f"'{date_format}' is not a valid date format ({reason})"
    if row is None or row[0] != sample:
        return f"'{date_format}' is not a date format with a year, a month and a day (for example %m/%d/%Y)"
    return None


def check_source_name(name: str) -> str:
    """Refuse a file name with path separators, control characters or nothing in it."""
    if not name or name in {".", ".."}:
        raise InputError("the file name is empty", file=repr(name))
    if "/" in name or "\\" in name:
        raise InputError("the file name must not contain path separators", file=repr(name))
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise InputError("the file name contains control characters", file=repr(name))
    return name


def _hash_file(path: Path, out: list[str | BaseException], nul_at: list[int]) -> None:
    """Hash the file; also note the offset of its first NUL byte in ``nul_at`` (a text file must hold none)."""
    digest = hashlib.sha256()
    buffer = bytearray(1 << 22)
    view = memoryview(buffer)
    offset = 0
    try:
        with path.open("rb", buffering=0) as handle:
            while count := handle.readinto(buffer):
                digest.update(view[:count])
                if not nul_at:
                    found = buffer.find(0, 0, count)  # memchr: a fraction of the time hashing takes
                    if found >= 0:
                        nul_at.append(offset + found)
                offset += count
        out.append(digest.hexdigest())
    except OSError as exc:
        out.append(exc)


def _nul_refusal(path: Path, offset: int, shown: str) -> InputError:
    """Say where the NUL byte is: its offset and the line it is on (counting newlines up to it)."""
    line = 1
    with path.open("rb") as handle:
        left = offset
        while left > 0 and (chunk := handle.read(min(left, 1 << 22))):
            line += chunk.count(b"\n")
            left -= len(chunk)
    return InputError(f"holds a NUL byte (binary data) at byte {offset:,}, on line {line:,}; a text population "
                      "cannot hold one", file=shown, entry=f"line {line}")


def _refuse_parquet_nul(con: duckdb.DuckDBPyConnection, source: PopulationSource, spec: PopulationSpec,
                        shown: str) -> None:
    """Refuse a Parquet file whose id or attribute text holds a NUL character (PostgreSQL cannot store one)."""
    columns = [spec.id_column, *spec.attribute_columns]
    condition = " OR ".join(f"contains({source.text(c)}, chr(0))" for c in columns)
    query = f"SELECT min(ordinality) FROM {source.sql} WITH ORDINALITY WHERE {condition}"  # noqa: S608
    found = con.execute(query, [str(source.path)]).fetchone()
    if found and found[0] is not None:
        raise InputError("holds a NUL character, which a population cannot hold", file=shown,
                         entry=f"row {int(found[0]) - 1 + source.first_row}")


def scan_population(path: Path, spec: PopulationSpec, *, seed: int | None = None, candidates_wanted: int = 0,
                    source_name: str | None = None, find_ids: Sequence[str] = ()) -> ScannedPopulation:
    """Read and validate a population file; with a seed, also collect the rows that may be sampled."""
    shown = check_source_name(source_name if source_name is not None else path.name)
    problem = date_format_problem(spec.date_format) if spec.date_format else None
    if problem:
        raise InputError(problem, file=shown, field="date_format")
    fmt, size, before = detect_format(path, shown, spec.max_bytes)
    digest_out: list[str | BaseException] = []
    nul_at: list[int] = []
    hasher = threading.Thread(target=_hash_file, args=(path, digest_out, nul_at), daemon=True)
    with xlsx_to_csv(path, fmt, shown, spec.xlsx_limits) as readable, duckdb.connect(":memory:") as con:
        con.execute("SET enable_progress_bar = false")  # stdout is reserved for --json output
        try:
            source = PopulationSource(con, readable, "parquet" if fmt == "parquet" else "csv", spec, shown)
            loaded = load_table(con, source, spec, seed=seed, wanted=candidates_wanted, size=size,
                                find_ids=find_ids)
            # The load keeps every core busy; the checks after it mostly leave one idle, so hashing (one
            # core, sequential by nature) starts now rather than competing with the load.
            hasher.start()
            summary = check_table(con, source, spec, loaded, shown)
            if fmt == "parquet":
                _refuse_parquet_nul(con, source, spec, shown)
            picked = candidate_rows(con, source, spec)
        except duckdb.Error as exc:
            raise duckdb_error(exc, shown) from None
        finally:
            if hasher.ident is not None:
                hasher.join()
    if isinstance(digest_out[0], BaseException):
        raise InputError(f"cannot read the file: {digest_out[0]}", file=shown)
    if nul_at and fmt == "csv":
        raise _nul_refusal(path, nul_at[0], shown)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != before:
        raise InputError("the file changed while it was being read; import it again", file=shown)
    names = spec.attribute_columns
    cands = tuple(Candidate(str(r[2]), int(r[0]), int(r[1]), r[3], tuple(zip(names, r[4:], strict=True)))
                  for r in picked)
    wanted_ids = set(find_ids)
    found = tuple(c for c in cands if c.id in wanted_ids)
    ranked = tuple(c for c in cands if c.key <= loaded.limit)
    days = summary.days
    first, last = (min(days), max(days)) if days else (None, None)
    record = ImportRecord(shown, fmt, size, str(digest_out[0]), summary.rows,
                          dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), spec.id_column,
                          spec.date_column, first, last, str(spec.window) if spec.window else None)
    return ScannedPopulation(record, _months(days) if spec.date_column else (), seed, ranked, loaded.complete,
                             found)


def _months(days: dict[dt.date, int]) -> tuple[tuple[str, int], ...]:
    # Grouping by day in DuckDB (a few hundred values) is far cheaper than formatting every row's date.
    per_month: dict[str, int] = {}
    for day, count in days.items():
        label = day.strftime("%Y-%m")
        per_month[label] = per_month.get(label, 0) + count
    return tuple(sorted(per_month.items()))
