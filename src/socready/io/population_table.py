"""The DuckDB side of a population import: one pass over the file into a compact table, then small checks.

The pass keeps, per row, the ranking key of the id (core.sampling.selection_key equals DuckDB's string
hash of ``f"{seed}:{id}"``), the date, and, only for the rows whose key makes them sample candidates (or
that were asked for by id), the id and attribute values. Every check is then a count over that table;
row numbers are looked up only when a count is not zero. The table's rowid is the record number because
DuckDB preserves insertion order. Repeated keys are found by sorting all keys in numpy.

Where the time goes (ten million rows, two cores): parsing the CSV costs what DuckDB's own ``count(*)``
costs; the selection keys, the dates and the table about as much again; everything after the pass is
small. The SHA-256 of the file (sequential by nature) is left to the caller, which runs it beside the
checks, when one core would otherwise be idle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np

from socready.core.errors import InputError
from socready.io.population_files import header_of

if TYPE_CHECKING:
    from socready.io.population import PopulationSpec

_ROW_SHOWN = 5
_LINE = re.compile(r"Line:\s*(\d+)")
# The dates Python can hold. DuckDB also reads 'infinity', year 0 and years past 9999; such a cell counts
# as a date that cannot be read.
_VALID_DATES = "DATE '0001-01-01' AND DATE '9999-12-31'"
_MAX_KEY = (1 << 64) - 1


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class PopulationSource:
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
            # Explicit columns: DuckDB neither sniffs the file nor guesses types, and reads only what is used.
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


@dataclass(frozen=True)
class Loaded:
    """The loading pass as the checks need it: the candidate key limit and the id and seed expressions."""

    limit: int
    ident: str
    prefix: str

    @property
    def complete(self) -> bool:
        """Whether every row was kept as a candidate (the limit is the largest key)."""
        return self.limit >= _MAX_KEY


@dataclass(frozen=True)
class Summary:
    """A checked table: its row count and rows per readable date."""

    rows: int
    days: dict[dt.date, int]


def duckdb_error(exc: duckdb.Error, shown: str) -> InputError:
    """Turn a DuckDB read error into an InputError naming the file and, when DuckDB gives it, the row."""
    message = str(exc)
    match = _LINE.search(message)
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    # DuckDB prints the offending line, then the reason, then possible fixes: keep the reason.
    cut = next((i for i, ln in enumerate(lines) if ln.startswith("Possible")), len(lines))
    reason = lines[cut - 1] if cut > 1 else (lines[0] if lines else message)
    if match:
        return InputError(f"unreadable row: {reason}", file=shown, entry=f"row {match.group(1)}")
    return InputError(f"cannot read the file: {lines[0] if lines else message}", file=shown)


def load_table(con: duckdb.DuckDBPyConnection, source: PopulationSource, spec: PopulationSpec, *,
               seed: int | None, wanted: int, size: int, find_ids: Sequence[str]) -> Loaded:
    """Read the file once into the temporary table ``pop`` (key, date, and values of candidate rows)."""
    ident = source.text(spec.id_column)
    prefix = _literal(f"{seed if seed is not None else 0}:")
    # Expected candidates ~ 8 per wanted item plus a margin; the row estimate only tunes speed, since a
    # shortfall is detected and served by a second, exact query.
    estimate = max(1, size // 40)
    share = 0.0 if seed is None or wanted <= 0 else min(1.0, (8 * wanted + 1000) / estimate)
    limit = min(_MAX_KEY, int(share * (1 << 64)))
    date_sql = source.date(spec.date_column, spec.date_format) if spec.date_column else "NULL::DATE"
    asked = " OR sid IN (SELECT unnest($2))" if find_ids else ""
    keep = f"(k <= {limit}{asked})" if share > 0 or find_ids else "false"
    attrs = "".join(f", {source.text(a)} AS a{i}" for i, a in enumerate(spec.attribute_columns))
    kept = "".join(f", CASE WHEN {keep} THEN a{i} END AS a{i}" for i in range(len(spec.attribute_columns)))
    params: list[Any] = [str(source.path)] + ([list(find_ids)] if find_ids else [])
    # trim() strips the space and Unicode spaces (never tab or newline), so a blank id is empty or starts
    # with ' ' (below '!') or a non-ASCII character; comparing first keeps trim(), which copies the
    # string, off every ordinary row.
    blank = f"{ident} IS NULL OR (({ident} < '!' OR {ident} >= chr(128)) AND trim({ident}) = '')"
    con.execute(f"""CREATE TEMP TABLE pop AS
        SELECT k, d, CASE WHEN {keep} THEN sid END AS cand{kept}
        FROM (SELECT {ident} AS sid, {date_sql} AS d{attrs},
                     CASE WHEN {blank} THEN NULL ELSE hash({prefix} || {ident}) END AS k
              FROM {source.sql})""", params)  # noqa: S608 - names and literals are quoted by _quote/_literal
    return Loaded(limit, ident, prefix)


def check_table(con: duckdb.DuckDBPyConnection, source: PopulationSource, spec: PopulationSpec,
                loaded: Loaded, shown: str) -> Summary:
    """Run every check on the loaded table; raise one InputError listing all problems with their rows."""
    # Separate small queries: DuckDB answers a plain aggregate several times faster than one query
    # holding many filtered aggregates. A relation (con.sql) hands a table column to numpy in chunks,
    # several times faster than a list() aggregate or a prepared statement's result.
    rows, no_id = con.execute("SELECT count(*), count(*) FILTER (WHERE k IS NULL) FROM pop").fetchone() or (0, 0)
    if rows == 0:
        raise InputError("the population has no rows", file=shown)
    grouped = con.execute(f"""SELECT d IS NULL, CASE WHEN d BETWEEN {_VALID_DATES} THEN d END, n
                              FROM (SELECT d, count(*) AS n FROM pop GROUP BY d)""").fetchall()  # noqa: S608
    days = {day: int(n) for undated, day, n in grouped if day is not None}
    window = spec.window
    outside = sum(n for day, n in days.items() if window and not window.start <= day <= window.end)
    # An empty and an unreadable cell are both NULL in the table (one column is cheaper to load than
    # two); only when some date is missing or odd does a second pass tell them apart.
    dates_ok = not spec.date_column or all(day is not None for _, day, _ in grouped)
    keys = con.sql("SELECT k FROM pop WHERE k IS NOT NULL").fetchnumpy()["k"]
    repeated = _duplicates(con, source, loaded, keys)
    if no_id or outside or repeated or not dates_ok:
        problems = _date_problems(con, source, spec) if not dates_ok else []
        _refuse(con, source, spec, problems, no_id, outside, repeated, shown)
    return Summary(rows, days)


def candidate_rows(con: duckdb.DuckDBPyConnection, source: PopulationSource,
                   spec: PopulationSpec) -> list[tuple[Any, ...]]:
    """The kept rows in file order: (row number, key, id, date, attribute values...)."""
    extra = "".join(f", a{i}" for i in range(len(spec.attribute_columns)))
    query = f"SELECT rowid + {source.first_row}, k, cand, d{extra} FROM pop WHERE cand IS NOT NULL ORDER BY rowid"  # noqa: S608
    return con.execute(query).fetchall()


def _date_problems(con: duckdb.DuckDBPyConnection, source: PopulationSource,
                   spec: PopulationSpec) -> list[tuple[str, int, str | None]]:
    column = str(spec.date_column)
    parsed = source.date(column, spec.date_format)
    query = f"""SELECT empty, count(*), list(o ORDER BY o)[1:{_ROW_SHOWN}]
        FROM (SELECT ordinality AS o, {_quote(column)} IS NULL AS empty, {parsed} AS parsed
              FROM {source.sql} WITH ORDINALITY)
        WHERE parsed IS NULL OR parsed NOT BETWEEN {_VALID_DATES} GROUP BY empty ORDER BY empty DESC"""  # noqa: S608
    found = con.execute(query, [str(source.path)]).fetchall()
    return [_problem(int(count), "have no date" if empty else "have a date that cannot be read",
                     [int(o) - 1 + source.first_row for o in ordinals], column)
            for empty, count, ordinals in found]


def _refuse(con: duckdb.DuckDBPyConnection, source: PopulationSource, spec: PopulationSpec,
            problems: list[tuple[str, int, str | None]], no_id: int, outside: int,
            repeated: tuple[str, int] | None, shown: str) -> None:
    window = spec.window
    if no_id:
        problems.insert(0, _problem(no_id, "have no id", _rows(con, "k IS NULL", source.first_row), spec.id_column))
    if outside and window:
        condition = (f"d BETWEEN {_VALID_DATES} AND (d < DATE '{window.start.isoformat()}' "
                     f"OR d > DATE '{window.end.isoformat()}')")
        problems.append(_problem(outside, f"are dated outside the window {window}",
                                 _rows(con, condition, source.first_row), spec.date_column))
    if repeated:
        problems.append((*repeated, spec.id_column))
    if not problems:
        # Only a damaged file reads so: a date was missing in one pass over it and not in the next (a
        # Parquet page whose values and null flags disagree).
        raise InputError("some dates cannot be read, though no row could be pointed at: the file looks damaged",
                         file=shown, field=spec.date_column)
    first = min(problems, key=lambda p: p[1])
    raise InputError("; ".join(text for text, _, _ in problems), file=shown, entry=f"row {first[1]}",
                     field=first[2])


def _rows(con: duckdb.DuckDBPyConnection, condition: str, offset: int) -> list[int]:
    query = f"SELECT rowid FROM pop WHERE {condition} ORDER BY rowid LIMIT {_ROW_SHOWN}"  # noqa: S608
    found = con.execute(query).fetchall()
    return [int(r[0]) + offset for r in found]


def _problem(count: int, what: str, rows: list[int], column: str | None) -> tuple[str, int, str | None]:
    shown = ", ".join(str(r) for r in rows) + (", ..." if count > len(rows) else "")
    plural = "s" if len(rows) != 1 else ""
    verb = what if count != 1 else what.replace("have ", "has ").replace("are ", "is ")
    return f"{count} row{'s' if count != 1 else ''} {verb} (row{plural} {shown})", rows[0], column


def _duplicates(con: duckdb.DuckDBPyConnection, source: PopulationSource, loaded: Loaded,
                fetched: np.ndarray) -> tuple[str, int] | None:
    keys = np.asarray(fetched, dtype=np.uint64)
    if keys.size < 2:
        return None
    # In place: a sorted copy would spend longer faulting in 80 MB of fresh pages than sorting.
    keys.sort()
    same = keys[1:] == keys[:-1]
    if not same.any():
        return None
    # Equal keys are duplicates or (rarely) two ids sharing a 64-bit key: compare the ids themselves.
    suspects = [int(k) for k in np.unique(keys[1:][same])][:10_000]
    ident, prefix = loaded.ident, loaded.prefix
    hits = con.execute(f"""SELECT ordinality, sid FROM (SELECT ordinality, {ident} AS sid
                               FROM {source.sql} WITH ORDINALITY)
                           WHERE trim(sid) <> '' AND hash({prefix} || sid) IN (SELECT unnest($2::UBIGINT[]))
                           ORDER BY ordinality""", [str(source.path), suspects]).fetchall()  # noqa: S608
    seen: dict[str, int] = {}
    repeated: list[tuple[str, int, int]] = []
    for ordinal, item in hits:
        row = int(ordinal) - 1 + source.first_row
        if item in seen:
            repeated.append((str(item), row, seen[item]))
        else:
            seen[str(item)] = row
    if not repeated:
        return None
    listed = ", ".join(f"'{item}' at row {row} (first at row {first})" for item, row, first in repeated[:_ROW_SHOWN])
    more = ", ..." if len(repeated) > _ROW_SHOWN else ""
    return f"{len(repeated)} duplicate id{'s' if len(repeated) != 1 else ''}: {listed}{more}", repeated[0][1]
