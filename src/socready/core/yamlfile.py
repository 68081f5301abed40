"""Small helpers for reading YAML input files with errors that name the file, entry and field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from socready.core.errors import CatalogError, InputError

# libyaml's C loader parses the shipped catalogs several times faster; fall back where it is not built.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Catalogs and profiles are hand-written text; anything this large is a mistake or an attack.
MAX_YAML_BYTES = 5 * 1024 * 1024
# The shipped catalogs nest four levels deep; a profile a few more. Anchors and aliases are never needed,
# and many of them can make a small file stand for a huge tree (the "billion laughs").
MAX_YAML_DEPTH = 32
MAX_YAML_ALIASES = 100
# Every value costs a few hundred bytes once loaded: 5 MB of "[1, 1, ...]" took 700 MB. The largest shipped
# catalog holds about a thousand values.
MAX_YAML_NODES = 100_000


def read_yaml_text(path: Path, error: type[InputError] = CatalogError) -> str:
    """Return a YAML file's text, reading at most MAX_YAML_BYTES (so /dev/zero or a FIFO cannot run forever)."""
    file = str(path)
    try:
        if path.is_dir():
            raise error("is a folder, not a file", file=file)
        with path.open("rb") as handle:
            data = handle.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", file=file) from exc
    if len(data) > MAX_YAML_BYTES:
        raise error(f"file is larger than {MAX_YAML_BYTES:,} bytes, the limit", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error("file is not UTF-8 text", file=file) from exc


def check_yaml_shape(text: str, file: str, error: type[InputError] = CatalogError) -> None:
    """Refuse YAML nested deeper than MAX_YAML_DEPTH, with more than MAX_YAML_ALIASES aliases or MAX_YAML_NODES values.

    Walks the parser's events (no objects are built), so it costs a fraction of loading the file.
    """
    depth = aliases = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark is not None else 0
                    raise error(f"nested more than {MAX_YAML_DEPTH} levels deep (at line {line}), the limit", file=file)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise error(f"uses more than {MAX_YAML_ALIASES} aliases (*name), the limit", file=file)
            nodes += isinstance(event, yaml.NodeEvent)
            if nodes > MAX_YAML_NODES:
                raise error(f"holds more than {MAX_YAML_NODES:,} values, the limit", file=file)
    except yaml.YAMLError:
        return  # loading the file reports the syntax error with its position


def load_mapping(path: Path, error: type[InputError] = CatalogError) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping; refuse unreadable, huge, deep or malformed files."""
    file = str(path)
    text = read_yaml_text(path, error)
    check_yaml_shape(text, file, error)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader either way
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise error(f"not valid YAML{where}: {problem}", file=file) from exc
    except ValueError as exc:  # PyYAML's constructors raise it for impossible values such as 2026-02-30
        raise error(f"not valid YAML: {exc}", file=file) from exc
    if not isinstance(data, dict):
        raise error("the top level must be a mapping of keys to values", file=file)
    return data


def expect_keys(raw: dict[str, Any], *, required: Sequence[str], optional: Sequence[str] = (),
                file: str, entry: str | None, error: type[InputError] = CatalogError) -> None:
    """Refuse a mapping that lacks a required key or has one that is not known."""
    for key in required:
        if key not in raw:
            raise error("is missing", file=file, entry=entry, field=key)
    known = set(required) | set(optional)
    for key in raw:
        if key not in known:
            raise error(f"unknown field (expected: {', '.join(sorted(known))})", file=file, entry=entry,
                        field=str(key))


def expect_list(data: dict[str, Any], key: str, file: str, *, required: bool = True,
                error: type[InputError] = CatalogError) -> list[Any]:
    """Return ``data[key]`` as a list; a missing optional key is an empty list."""
    if key not in data or data[key] is None:
        if required:
            raise error("is missing", file=file, field=key)
        return []
    value = data[key]
    if not isinstance(value, list):
        raise error("must be a list", file=file, field=key)
    return value


def text_field(raw: dict[str, Any], key: str, file: str, entry: str | None,
               error: type[InputError] = CatalogError) -> str:
    """Return a non-empty string field, stripped."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise error("must be non-empty text", file=file, entry=entry, field=key)
    return value.strip()
