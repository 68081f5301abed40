"""Reference catalogs: Trust Services Criteria, SOC 1 objective templates and DC 200 description criteria.

The catalogs ship as versioned YAML under ``socready/catalogs``. A user may lay override files over them
(add or replace objectives, retitle a criterion, remove a template objective); every problem is reported
with the file, the entry and the field so it can be fixed without guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from socready.core.errors import CatalogError
from socready.core.yamlfile import expect_keys, expect_list, load_mapping, text_field

CATEGORIES: tuple[str, ...] = ("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy")

# A criterion's series decides its category; checking both catches an entry filed under the wrong one.
_SERIES_PREFIX_CATEGORY: tuple[tuple[str, str], ...] = (
    ("CC", "Security"), ("A", "Availability"), ("PI", "Processing Integrity"),
    ("C", "Confidentiality"), ("P", "Privacy"),
)
OBJECTIVE_AREAS = ("itgc", "business")
OBJECTIVE_SERVICES = ("payroll", "payments", "billing", "claims", "fund-administration", "lending")
ASSERTIONS = ("completeness", "accuracy", "validity", "authorization", "cut-off", "existence",
              "presentation", "restricted-access")


@dataclass(frozen=True)
class Criterion:
    """One Trust Services Criterion, e.g. CC6.1, with the project's own title and summary."""

    id: str
    category: str
    series: str
    series_title: str
    coso_principle: int | None
    title: str
    summary: str


@dataclass(frozen=True)
class Objective:
    """A SOC 1 control objective: an IT general control objective or a business-process one."""

    id: str
    area: str
    service: str | None
    domain: str
    title: str
    statement: str
    assertions: tuple[str, ...]


@dataclass(frozen=True)
class DescriptionCriterion:
    """One DC 200 description criterion (DC1-DC9) for a SOC 2 system description."""

    id: str
    title: str
    summary: str
    type2_only: bool
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    """The three reference catalogs together, with the version each was loaded from."""

    criteria: tuple[Criterion, ...]
    objectives: tuple[Objective, ...]
    description_criteria: tuple[DescriptionCriterion, ...]
    versions: dict[str, str]

    def criterion(self, criterion_id: str) -> Criterion:
        """Return the criterion with this id, or raise KeyError."""
        for item in self.criteria:
            if item.id == criterion_id:
                return item
        raise KeyError(criterion_id)

    def criteria_in(self, categories: Iterable[str]) -> tuple[Criterion, ...]:
        """Return the criteria of the given categories, in catalog order."""
        wanted = set(categories)
        return tuple(c for c in self.criteria if c.category in wanted)


def builtin_path(name: str) -> Path:
    """Return the path of a catalog file shipped with the package."""
    return Path(str(files("socready.catalogs").joinpath(name)))


def category_for_series(series: str) -> str | None:
    """Return the category a series id (CC6, A1, PI1, C1, P4) belongs to, or None if it is not one."""
    for prefix, category in _SERIES_PREFIX_CATEGORY:
        rest = series[len(prefix):]
        if series.startswith(prefix) and rest.isdigit():
            return category
    return None


def normalize_category(name: str) -> str:
    """Return the canonical category for a name in any case ('processing integrity', 'pi', 'c')."""
    aliases = {"a": "Availability", "pi": "Processing Integrity", "c": "Confidentiality", "p": "Privacy",
               "cc": "Security", "s": "Security", "common criteria": "Security"}
    key = name.strip().lower()
    for category in CATEGORIES:
        if category.lower() == key:
            return category
    if key in aliases:
        return aliases[key]
    raise ValueError(f"unknown category '{name}' (expected one of: {', '.join(CATEGORIES)})")


# --- criteria -------------------------------------------------------------------------------------------

_CRITERION_KEYS = ("id", "category", "series", "series_title", "coso_principle", "title", "summary")


def _criterion(raw: dict[str, Any], file: str, entry: str) -> Criterion:
    expect_keys(raw, required=_CRITERION_KEYS, file=file, entry=entry)
    criterion_id = text_field(raw, "id", file, entry)
    series = text_field(raw, "series", file, entry)
    category = text_field(raw, "category", file, entry)
    if category not in CATEGORIES:
        raise CatalogError(f"unknown category '{category}' (expected one of: {', '.join(CATEGORIES)})",
                           file=file, entry=entry, field="category")
    expected = category_for_series(series)
    if expected is None:
        raise CatalogError(f"'{series}' is not a criteria series", file=file, entry=entry, field="series")
    if expected != category:
        raise CatalogError(f"series {series} belongs to {expected}, not {category}",
                           file=file, entry=entry, field="category")
    if not criterion_id.startswith(series + ".") or not criterion_id[len(series) + 1:].isdigit():
        raise CatalogError(f"id '{criterion_id}' does not belong to series {series}",
                           file=file, entry=entry, field="id")
    coso = raw["coso_principle"]
    if coso is not None and (not isinstance(coso, int) or isinstance(coso, bool) or not 1 <= coso <= 17):
        raise CatalogError("must be a COSO principle number from 1 to 17, or null",
                           file=file, entry=entry, field="coso_principle")
    return Criterion(
        id=criterion_id, category=category, series=series,
        series_title=text_field(raw, "series_title", file, entry), coso_principle=coso,
        title=text_field(raw, "title", file, entry), summary=text_field(raw, "summary", file, entry),
    )


def _override_criteria(base: list[Criterion], path: Path) -> list[Criterion]:
    """Apply a criteria override: only titles and summaries of existing criteria may change."""
    data = load_mapping(path)
    file = str(path)
    by_id = {c.id: i for i, c in enumerate(base)}
    for index, raw in enumerate(expect_list(data, "criteria", file)):
        entry = f"#{index + 1}"
        if not isinstance(raw, dict):
            raise CatalogError("must be a mapping", file=file, entry=entry)
        expect_keys(raw, required=("id",), optional=("title", "summary"), file=file, entry=entry)
        criterion_id = text_field(raw, "id", file, entry)
        if criterion_id not in by_id:
            raise CatalogError(f"unknown criterion id '{criterion_id}'", file=file, entry=entry, field="id")
        current = base[by_id[criterion_id]]
        base[by_id[criterion_id]] = replace(
            current,
            title=text_field(raw, "title", file, criterion_id) if "title" in raw else current.title,
            summary=text_field(raw, "summary", file, criterion_id) if "summary" in raw else current.summary,
        )
    return base


def load_criteria(path: Path | None = None, overrides: Sequence[Path] = ()) -> tuple[Criterion, ...]:
    """Load and validate the Trust Services Criteria catalog, then apply override files in order."""
    path = path or builtin_path("tsc-2017.yaml")
    items = _load_entries(path, "criteria", _criterion)
    for override in overrides:
        items = _override_criteria(items, override)
    return tuple(items)


# --- SOC 1 objectives -----------------------------------------------------------------------------------

_OBJECTIVE_KEYS = ("id", "area", "service", "domain", "title", "statement", "assertions")


def _objective(raw: dict[str, Any], file: str, entry: str) -> Objective:
    expect_keys(raw, required=_OBJECTIVE_KEYS, file=file, entry=entry)
    area = text_field(raw, "area", file, entry)
    if area not in OBJECTIVE_AREAS:
        raise CatalogError(f"unknown area '{area}' (expected itgc or business)", file=file, entry=entry,
                           field="area")
    service = raw["service"]
    if area == "itgc" and service is not None:
        raise CatalogError("an IT general control objective has no service; use null", file=file,
                           entry=entry, field="service")
    if area == "business" and not (isinstance(service, str) and service.strip()):
        raise CatalogError("a business-process objective names its service (e.g. payroll)", file=file,
                           entry=entry, field="service")
    assertions = raw["assertions"]
    if not isinstance(assertions, list) or not all(isinstance(a, str) for a in assertions):
        raise CatalogError("must be a list of assertion names", file=file, entry=entry, field="assertions")
    unknown = [a for a in assertions if a not in ASSERTIONS]
    if unknown:
        raise CatalogError(f"unknown assertion(s) {', '.join(unknown)} (expected from: {', '.join(ASSERTIONS)})",
                           file=file, entry=entry, field="assertions")
    return Objective(
        id=text_field(raw, "id", file, entry), area=area, service=service,
        domain=text_field(raw, "domain", file, entry), title=text_field(raw, "title", file, entry),
        statement=text_field(raw, "statement", file, entry), assertions=tuple(assertions),
    )


def _override_objectives(base: list[Objective], path: Path) -> list[Objective]:
    """Apply an objectives override: ``objectives`` adds or replaces entries, ``remove`` drops ids."""
    data = load_mapping(path)
    file = str(path)
    expect_keys(data, required=(), optional=("catalog", "objectives", "remove"), file=file, entry=None)
    by_id = {o.id: o for o in base}
    for raw_id in expect_list(data, "remove", file, required=False):
        if raw_id not in by_id:
            raise CatalogError(f"cannot remove unknown objective '{raw_id}'", file=file, field="remove")
        del by_id[raw_id]
    seen: set[str] = set()
    for index, raw in enumerate(expect_list(data, "objectives", file, required=False)):
        entry = _entry_name(raw, index)
        if not isinstance(raw, dict):
            raise CatalogError("must be a mapping", file=file, entry=entry)
        objective = _objective(raw, file, entry)
        if objective.id in seen:
            raise CatalogError(f"duplicate id '{objective.id}'", file=file, entry=entry, field="id")
        seen.add(objective.id)
        by_id[objective.id] = objective
    return list(by_id.values())


def load_objectives(path: Path | None = None, overrides: Sequence[Path] = ()) -> tuple[Objective, ...]:
    """Load and validate the SOC 1 objective templates, then apply override files in order."""
    path = path or builtin_path("soc1-objectives.yaml")
    items = _load_entries(path, "objectives", _objective)
    for override in overrides:
        items = _override_objectives(items, override)
    return tuple(items)


# --- DC 200 ---------------------------------------------------------------------------------------------


def _description_criterion(raw: dict[str, Any], file: str, entry: str) -> DescriptionCriterion:
    expect_keys(raw, required=("id", "title", "summary", "type2_only", "sections"), file=file, entry=entry)
    if not isinstance(raw["type2_only"], bool):
        raise CatalogError("must be true or false", file=file, entry=entry, field="type2_only")
    sections = raw["sections"]
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise CatalogError("must be a list of section names", file=file, entry=entry, field="sections")
    return DescriptionCriterion(
        id=text_field(raw, "id", file, entry), title=text_field(raw, "title", file, entry),
        summary=text_field(raw, "summary", file, entry), type2_only=raw["type2_only"],
        sections=tuple(sections),
    )


def load_description_criteria(path: Path | None = None) -> tuple[DescriptionCriterion, ...]:
    """Load and validate the DC 200 description criteria."""
    return tuple(_load_entries(path or builtin_path("dc-200.yaml"), "items", _description_criterion))


# --- shared ---------------------------------------------------------------------------------------------


def _entry_name(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{raw['id']} (#{index + 1})"
    return f"#{index + 1}"


def _load_entries(path: Path, key: str, build: Any) -> list[Any]:
    """Read a catalog file's header and entries, building each and refusing duplicate ids."""
    data = load_mapping(path)
    file = str(path)
    expect_keys(data, required=("catalog", "version", "provenance", key), file=file, entry=None)
    items: list[Any] = []
    seen: set[str] = set()
    for index, raw in enumerate(expect_list(data, key, file)):
        entry = _entry_name(raw, index)
        if not isinstance(raw, dict):
            raise CatalogError("must be a mapping", file=file, entry=entry)
        item = build(raw, file, entry)
        if item.id in seen:
            raise CatalogError(f"duplicate id '{item.id}'", file=file, entry=entry, field="id")
        seen.add(item.id)
        items.append(item)
    return items


def catalog_version(path: Path) -> str:
    """Return the ``version`` recorded in a catalog file."""
    return str(load_mapping(path).get("version", ""))


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """Return the shipped catalogs, loaded once per process."""
    return load_catalog()


def load_catalog(criteria_overrides: Sequence[Path] = (), objective_overrides: Sequence[Path] = ()) -> Catalog:
    """Load all three catalogs, applying any override files."""
    names = {"tsc-2017": "tsc-2017.yaml", "soc1-objectives": "soc1-objectives.yaml", "dc-200": "dc-200.yaml"}
    return Catalog(
        criteria=load_criteria(overrides=criteria_overrides),
        objectives=load_objectives(overrides=objective_overrides),
        description_criteria=load_description_criteria(),
        versions={name: catalog_version(builtin_path(file)) for name, file in names.items()},
    )
