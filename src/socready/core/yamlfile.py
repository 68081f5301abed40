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


def load_mapping(path: Path, error: type[InputError] = CatalogError) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping; refuse unreadable, huge or malformed files."""
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", file=file) from exc
    if size > MAX_YAML_BYTES:
        raise error(f"file is {size} bytes; the limit is {MAX_YAML_BYTES}", file=file)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error("file is not UTF-8 text", file=file) from exc
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", file=file) from exc
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
