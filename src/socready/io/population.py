"""Import a population (CSV, XLSX or Parquet), validate it in DuckDB and draw a reproducible sample from it.

One pass over the file loads, per row, only the ranking key of the id (see core.sampling.selection_key,
computed by DuckDB's string hash of ``f"{seed}:{id}"``), the parsed date and the id itself for the few rows
whose key is small enough to be a sample candidate; the file's SHA-256 is computed alongside. Every check
then runs on that compact table, so ten million rows never become Python objects. Nothing is returned
unless every check passes: the caller gets a validated population or an InputError naming the file, the
first offending rows and the field.

Row numbers follow a spreadsheet: the header is row 1, so the first record is row 2 (Parquet has no
header, so its first record is row 1). Blank lines in a CSV are skipped and not counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from socready.core.errors import InputError
from socready.core.window import Window
from socready.io.population_files import detect_format, header_of, xlsx_to_csv

DEFAULT_MAX_BYTES = 4 * 1024**3
_ROW_SHOWN = 5
_LINE = re.compile(r"Line:\s*(\d+)")


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


def check_source_name(name: str) -> str:
    """Refuse a file name with path separators, control characters or nothing in it."""
    if not name or name in {".", ".."}:
        raise InputError("the file name is empty", file=repr(name))
    if "/" in name or "\\" in name:
        raise InputError("the file name must not contain path separators", file=repr(name))
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} for ch in name):
        raise InputError("the file name contains control characters", file=repr(name))
    return name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _hash_file(path: Path, out: list[str | BaseException]) -> None:
    digest = hashlib.sha256()
    buffer = bytearray(1 << 22)
    view = memoryview(buffer)
    try:
        with path.open("rb", buffering=0) as handle:
            while count := handle.readinto(buffer):
                digest.update(view[:count])
        out.append(digest.hexdigest())
    except OSError as exc:
        out.append(exc)


class _Source:
    """The SQL that reads one file, with the columns it has and the row number of its first record."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, fmt: str, spec: PopulationSpec,
                 shown: str) -> None:
        self.path = path
        self.first_row = 1 if fmt == "parquet" else 2
        if fmt == "parquet":
            self.sql = "read_parquet($1)"
            described = con.execute(f"DESCRIBE SELECT * FROM {self.sql}", [str(path)]).fetchall()  # noqa: S608
            self.types = {str(row[0]): str(row[1]).upper() for row in described}
        else:
            names = header_of(path, spec.delimiter, shown)
            self.types = dict.fromkeys(names, "VARCHAR")
            columns = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names)
            self.sql = (f"read_csv($1, header=true, auto_detect=false, delim={_literal(spec.delimiter)}, "
                        f"quote='\"', escape='\"', strict_mode=true, columns={{{columns}}})")
        for wanted, what in [(spec.id_column, "id column"), (spec.date_column, "date column"),
                             *((a, "attribute column") for a in spec.attribute_columns)]:
            if wanted is not None and wanted not in self.types:
                raise InputError(f"the {what} '{wanted}' is not in the file (columns: "
                                 f"{', '.join(self.types)})", file=shown, field=wanted)

    def text(self, column: str) -> str:
        """An expression giving the column as text."""
        quoted = _quote(column)
        return quoted if self.types[column] == "VARCHAR" else f"CAST({quoted} AS VARCHAR)"

    def date(self, column: str, date_format: str | None) -> str:
        """An expression giving the column as a DATE, NULL when it cannot be read as one."""
        quoted, kind = _quote(column), self.types[column]
        if kind == "DATE":
            return quoted
        if kind.startswith("TIMESTAMP"):
            return f"CAST({quoted} AS DATE)"
        if date_format:
            return f"CAST(try_strptime({self.text(column)}, {_literal(date_format)}) AS DATE)"
        return f"try_cast({self.text(column)} AS DATE)"


def _duckdb_error(exc: duckdb.Error, shown: str) -> InputError:
    message = str(exc)
    match = _LINE.search(message)
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    # DuckDB prints the offending line, then the reason, then possible fixes: keep the reason.
    cut = next((i for i, ln in enumerate(lines) if ln.startswith("Possible")), len(lines))
    reason = lines[cut - 1] if cut > 1 else (lines[0] if lines else message)
    if match:
        return InputError(f"unreadable row: {reason}", file=shown, entry=f"row {match.group(1)}")
    return InputError(f"cannot read the file: {lines[0] if lines else message}", file=shown)


def _rows(con: duckdb.DuckDBPyConnection, condition: str, offset: int) -> list[int]:
    query = f"SELECT rowid FROM pop WHERE {condition} ORDER BY rowid LIMIT {_ROW_SHOWN}"  # noqa: S608
    found = con.execute(query).fetchall()
    return [int(r[0]) + offset for r in found]


def _problem(count: int, what: str, rows: list[int], column: str | None) -> tuple[str, int, str | None]:
    shown = ", ".join(str(r) for r in rows) + (", ..." if count > len(rows) else "")
    plural = "s" if len(rows) != 1 else ""
    verb = what if count != 1 else what.replace("have ", "has ").replace("are ", "is ")
    return f"{count} row{'s' if count != 1 else ''} {verb} (row{plural} {shown})", rows[0], column


def scan_population(path: Path, spec: PopulationSpec, *, seed: int | None = None, candidates_wanted: int = 0,
                    source_name: str | None = None, find_ids: Sequence[str] = ()) -> ScannedPopulation:
    """Read and validate a population file; with a seed, also collect the rows that may be sampled."""
    shown = check_source_name(source_name if source_name is not None else path.name)
    fmt, size, before = detect_format(path, shown, spec.max_bytes)
    digest_out: list[str | BaseException] = []
    hasher = threading.Thread(target=_hash_file, args=(path, digest_out), daemon=True)
    hasher.start()
    with xlsx_to_csv(path, fmt, shown) as readable, duckdb.connect(":memory:") as con:
        con.execute("SET enable_progress_bar = false")  # stdout is reserved for --json output
        try:
            source = _Source(con, readable, "parquet" if fmt == "parquet" else "csv", spec, shown)
            result = _validate_and_collect(con, source, spec, seed, candidates_wanted, size, shown, find_ids)
        except duckdb.Error as exc:
            raise _duckdb_error(exc, shown) from None
        finally:
            hasher.join()
    if digest_out and isinstance(digest_out[0], BaseException):
        raise InputError(f"cannot read the file: {digest_out[0]}", file=shown)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != before:
        raise InputError("the file changed while it was being read; import it again", file=shown)
    rows, months, first, last, cands, complete, found = result
    record = ImportRecord(shown, fmt, size, str(digest_out[0]), rows,
                          dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), spec.id_column,
                          spec.date_column, first, last, str(spec.window) if spec.window else None)
    return ScannedPopulation(record, months, seed, cands, complete, found)


def _validate_and_collect(con: duckdb.DuckDBPyConnection, source: _Source, spec: PopulationSpec,
                          seed: int | None, wanted: int, size: int, shown: str,
                          find_ids: Sequence[str]) -> tuple[Any, ...]:
    ident = source.text(spec.id_column)
    prefix = _literal(f"{seed if seed is not None else 0}:")
    # Expected candidates ~ 8 per wanted item plus a margin; the row estimate only tunes speed, since a
    # shortfall is detected and served by a second, exact query.
    estimate = max(1, size // 40)
    share = 0.0 if seed is None or wanted <= 0 else min(1.0, (8 * wanted + 1000) / estimate)
    limit = min((1 << 64) - 1, int(share * (1 << 64)))
    date_sql = source.date(spec.date_column, spec.date_format) if spec.date_column else "NULL::DATE"
    raw_date = _quote(spec.date_column) if spec.date_column else "NULL"
    keep = f"(k <= {limit}{' OR sid IN (SELECT unnest($2))' if find_ids else ''})" if share > 0 or find_ids else "false"
    attrs = "".join(f", {source.text(a)} AS a{i}" for i, a in enumerate(spec.attribute_columns))
    kept = "".join(f", CASE WHEN {keep} THEN a{i} END AS a{i}" for i in range(len(spec.attribute_columns)))
    params: list[Any] = [str(source.path)] + ([list(find_ids)] if find_ids else [])
    con.execute(f"""CREATE TEMP TABLE pop AS
        SELECT k, d, dn, CASE WHEN {keep} THEN sid END AS cand{kept}
        FROM (SELECT {ident} AS sid, {date_sql} AS d, {raw_date} IS NULL AS dn{attrs},
                     CASE WHEN {ident} IS NULL OR trim({ident}) = '' THEN NULL ELSE hash({prefix} || {ident}) END AS k
              FROM {source.sql})""", params)  # noqa: S608 - names and literals are quoted by _quote/_literal
    off = source.first_row
    window = spec.window
    out_of_window = (f"d < DATE '{window.start.isoformat()}' OR d > DATE '{window.end.isoformat()}'"
                     if window else "false")
    summary = f"""SELECT count(*), count(*) FILTER (WHERE k IS NULL),
        count(*) FILTER (WHERE dn AND {bool(spec.date_column)}), count(*) FILTER (WHERE d IS NULL AND NOT dn),
        count(*) FILTER (WHERE {out_of_window}), min(d), max(d) FROM pop"""  # noqa: S608
    rows, no_id, no_date, bad_date, outside, first, last = con.execute(summary).fetchone() or (0,) * 7
    if rows == 0:
        raise InputError("the population has no rows", file=shown)
    idc, datec = spec.id_column, spec.date_column
    problems: list[tuple[str, int, str | None]] = []
    if no_id:
        problems.append(_problem(no_id, "have no id", _rows(con, "k IS NULL", off), idc))
    if no_date:
        problems.append(_problem(no_date, "have no date", _rows(con, "dn", off), datec))
    if bad_date:
        problems.append(_problem(bad_date, "have a date that cannot be read",
                                 _rows(con, "d IS NULL AND NOT dn", off), datec))
    if outside:
        problems.append(_problem(outside, f"are dated outside the window {window}",
                                 _rows(con, out_of_window, off), datec))
    duplicates = _duplicates(con, source, ident, prefix, off)
    if duplicates:
        problems.append((*duplicates, idc))
    if problems:
        first = min(problems, key=lambda p: p[1])
        raise InputError("; ".join(text for text, _, _ in problems), file=shown, entry=f"row {first[1]}",
                         field=first[2])
    months: tuple[tuple[str, int], ...] = ()
    if spec.date_column:
        # Grouping by day (a few hundred values) is far cheaper in DuckDB than formatting every date.
        per_month: dict[str, int] = {}
        for day, count in con.execute("SELECT d, count(*) FROM pop GROUP BY d").fetchall():
            label = day.strftime("%Y-%m") if day else "none"
            per_month[label] = per_month.get(label, 0) + int(count)
        months = tuple(sorted(per_month.items()))
    names = spec.attribute_columns
    extra = "".join(f", a{i}" for i in range(len(names)))
    picked = con.execute(f"SELECT rowid, k, cand, d{extra} FROM pop WHERE cand IS NOT NULL ORDER BY rowid"  # noqa: S608
                         ).fetchall()
    cands = tuple(Candidate(str(r[2]), int(r[0]) + off, int(r[1]), r[3], tuple(zip(names, r[4:], strict=True)))
                  for r in picked)
    found = tuple(c for c in cands if c.id in set(find_ids))
    complete = limit >= (1 << 64) - 1
    ranked = tuple(c for c in cands if c.key <= limit)
    return rows, months, first, last, ranked, complete, found


def _duplicates(con: duckdb.DuckDBPyConnection, source: _Source, ident: str, prefix: str,
                off: int) -> tuple[str, int] | None:
    fetched = con.execute("SELECT k FROM pop WHERE k IS NOT NULL").fetchnumpy()["k"]
    keys = np.sort(np.ma.getdata(fetched))
    same = keys[1:] == keys[:-1]
    if not same.any():
        return None
    # Equal keys are duplicates or (rarely) two ids sharing a 64-bit key: compare the ids themselves.
    suspects = [int(k) for k in np.unique(keys[1:][same])][:10_000]
    hits = con.execute(f"""SELECT ordinality, sid FROM (SELECT ordinality, {ident} AS sid
                               FROM {source.sql} WITH ORDINALITY)
                           WHERE trim(sid) <> '' AND hash({prefix} || sid) IN (SELECT unnest($2::UBIGINT[]))
                           ORDER BY ordinality""", [str(source.path), suspects]).fetchall()  # noqa: S608
    seen: dict[str, int] = {}
    repeated: list[tuple[str, int, int]] = []
    for ordinal, item in hits:
        row = int(ordinal) - 1 + off
        if item in seen:
            repeated.append((str(item), row, seen[item]))
        else:
            seen[str(item)] = row
    if not repeated:
        return None
    listed = ", ".join(f"'{item}' at row {row} (first at row {first})" for item, row, first in repeated[:_ROW_SHOWN])
    more = ", ..." if len(repeated) > _ROW_SHOWN else ""
    return f"{len(repeated)} duplicate id{'s' if len(repeated) != 1 else ''}: {listed}{more}", repeated[0][1]
