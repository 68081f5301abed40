"""The unified control library: one set of controls mapped to SOC 2 criteria and SOC 1 objectives.

The library ships as YAML files under ``socready/catalogs/controls``, one file per family. An
organization lays a customization file over it to add its own controls, change a control's mappings or
mark a control not applicable with a reason. Every problem names the file, the control and the field.

A family file, or one control, may name the ``services`` it belongs to (payroll, claims, lending ...): such
a control is specific to that kind of processing and is recommended only to organizations that do it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from socready.core.catalog.catalog import OBJECTIVE_SERVICES, builtin_path, default_catalog
from socready.core.errors import CatalogError, InputError
from socready.core.yamlfile import expect_keys, expect_list, load_mapping, text_field

FREQUENCIES: tuple[str, ...] = ("continuous", "daily", "weekly", "monthly", "quarterly", "semi-annual",
                                "annual", "per-event")
NATURES: tuple[str, ...] = ("preventive", "detective", "corrective")
KINDS: tuple[str, ...] = ("manual", "automated", "it-dependent-manual")
REPORTS: tuple[str, ...] = ("soc1", "soc2")

_CONTROL_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_REQUIRED = ("id", "title", "description", "frequency", "nature", "kind", "owner_role", "criteria",
             "objectives", "evidence", "type1_test", "type2_attributes", "not_applicable_when")
_OPTIONAL = ("services",)
_HEADER = ("catalog", "version", "provenance", "family", "prefix", "controls")


@dataclass(frozen=True)
class EvidenceRequest:
    """One piece of evidence a control produces, requested once however many reports rely on it."""

    id: str
    name: str
    shows: str


@dataclass(frozen=True)
class Control:
    """A control of the unified library (or an organization's own), with its mappings and test steps."""

    id: str
    title: str
    description: str
    family: str
    frequency: str
    nature: str
    kind: str
    owner_role: str
    criteria: tuple[str, ...]
    objectives: tuple[str, ...]
    evidence: tuple[EvidenceRequest, ...]
    type1_test: str
    type2_attributes: tuple[str, ...]
    not_applicable_when: tuple[str, ...]
    custom: bool = False
    not_applicable_reason: str | None = None
    services: tuple[str, ...] = ()  # empty: any organization may need it; else only one doing these services

    @property
    def applicable(self) -> bool:
        """True unless the organization marked the control not applicable."""
        return self.not_applicable_reason is None

    def serves(self, report: str) -> bool:
        """True if the control maps to the SOC 2 criteria ('soc2') or SOC 1 objectives ('soc1')."""
        return bool(self.criteria) if report == "soc2" else bool(self.objectives)

    def fits_services(self, services: Collection[str]) -> bool:
        """True unless the control is specific to services none of which the organization provides."""
        return not self.services or bool(set(self.services) & set(services))


@dataclass(frozen=True)
class Family:
    """A family of controls as shipped in one library file."""

    name: str
    prefix: str
    version: str
    file: str


@dataclass(frozen=True)
class ControlLibrary:
    """The controls an organization works from: the shipped library, possibly customized."""

    controls: tuple[Control, ...]
    families: tuple[Family, ...]

    def __iter__(self) -> Iterator[Control]:
        return iter(self.controls)

    def __len__(self) -> int:
        return len(self.controls)

    def control(self, control_id: str) -> Control:
        """Return the control with this id, or raise KeyError."""
        for item in self.controls:
            if item.id == control_id:
                return item
        raise KeyError(control_id)

    def applicable(self) -> tuple[Control, ...]:
        """Return the controls not marked not applicable, in library order."""
        return tuple(c for c in self.controls if c.applicable)

    def for_report(self, report: str) -> tuple[Control, ...]:
        """Return the controls that serve 'soc1' or 'soc2'."""
        if report not in REPORTS:
            raise ValueError(f"unknown report '{report}' (expected soc1 or soc2)")
        return tuple(c for c in self.controls if c.serves(report))


# --- reading one control --------------------------------------------------------------------------------


def _choice(raw: dict[str, Any], key: str, allowed: tuple[str, ...], file: str, entry: str,
            error: type[InputError]) -> str:
    value = text_field(raw, key, file, entry, error=error)
    if value not in allowed:
        raise error(f"'{value}' is not one of: {', '.join(allowed)}", file=file, entry=entry, field=key)
    return value


def _texts(raw: dict[str, Any], key: str, file: str, entry: str | None, error: type[InputError], *,
           non_empty: bool) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error("must be a list of non-empty texts", file=file, entry=entry, field=key)
    if non_empty and not value:
        raise error("must list at least one item", file=file, entry=entry, field=key)
    return tuple(v.strip() for v in value)


def _ids(raw: dict[str, Any], key: str, known: Collection[str], what: str, file: str, entry: str,
         error: type[InputError]) -> tuple[str, ...]:
    """Read a list of catalog ids, refusing unknown ones and repeats."""
    values = _texts(raw, key, file, entry, error, non_empty=False)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise error(f"unknown {what} id(s): {', '.join(unknown)}", file=file, entry=entry, field=key)
    if len(set(values)) != len(values):
        raise error(f"lists the same {what} twice", file=file, entry=entry, field=key)
    return values


def _services(raw: dict[str, Any], file: str, entry: str | None, error: type[InputError],
              inherited: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Read an optional ``services`` list; each must be a service the objective catalog knows."""
    if "services" not in raw:
        return inherited
    values = _texts(raw, "services", file, entry, error, non_empty=True)
    unknown = [v for v in values if v not in OBJECTIVE_SERVICES]
    if unknown:
        raise error(f"unknown service(s): {', '.join(unknown)} (expected from: {', '.join(OBJECTIVE_SERVICES)})",
                    file=file, entry=entry, field="services")
    if len(set(values)) != len(values):
        raise error("lists the same service twice", file=file, entry=entry, field="services")
    return values


def _evidence(raw: dict[str, Any], control_id: str, file: str, entry: str,
              error: type[InputError]) -> tuple[EvidenceRequest, ...]:
    items = raw.get("evidence")
    if not isinstance(items, list) or not items:
        raise error("must list at least one evidence request", file=file, entry=entry, field="evidence")
    result = []
    for index, item in enumerate(items):
        where = f"evidence[{index}]"
        if not isinstance(item, dict):
            raise error("must be a mapping with id, name and shows", file=file, entry=entry, field=where)
        expect_keys(item, required=("id", "name", "shows"), file=file, entry=entry, error=error)
        evidence_id = text_field(item, "id", file, entry, error=error)
        # The id carries its control so an evidence file can be traced back without a lookup table.
        if not evidence_id.startswith(f"EV-{control_id}-"):
            raise error(f"id '{evidence_id}' must start with EV-{control_id}-", file=file, entry=entry,
                        field=f"{where}.id")
        result.append(EvidenceRequest(id=evidence_id, name=text_field(item, "name", file, entry, error=error),
                                      shows=text_field(item, "shows", file, entry, error=error)))
    if len({e.id for e in result}) != len(result):
        raise error("two evidence requests share an id", file=file, entry=entry, field="evidence")
    return tuple(result)


def _control(raw: dict[str, Any], family: str | None, criteria: Collection[str], objectives: Collection[str],
             file: str, entry: str, error: type[InputError], *, custom: bool,
             family_services: tuple[str, ...] = ()) -> Control:
    """Build and validate one control; ``family`` is None when the entry must name its own.

    The control's own ``services`` replace those of its family file.
    """
    expect_keys(raw, required=_REQUIRED if family else (*_REQUIRED, "family"), optional=("family", *_OPTIONAL),
                file=file, entry=entry, error=error)
    control_id = text_field(raw, "id", file, entry, error=error)
    if not _CONTROL_ID.match(control_id):
        raise error(f"id '{control_id}' must look like ABC-01 (capitals, digits, hyphens)", file=file,
                    entry=entry, field="id")
    own_family = text_field(raw, "family", file, entry, error=error) if "family" in raw else family
    if family and own_family != family:
        raise error(f"family '{own_family}' differs from the file's family '{family}'", file=file,
                    entry=entry, field="family")
    mapped_criteria = _ids(raw, "criteria", criteria, "criterion", file, entry, error)
    mapped_objectives = _ids(raw, "objectives", objectives, "objective", file, entry, error)
    if not mapped_criteria and not mapped_objectives:
        raise error("a control must map to at least one criterion or objective", file=file, entry=entry,
                    field="criteria")
    return Control(
        id=control_id, title=text_field(raw, "title", file, entry, error=error),
        description=text_field(raw, "description", file, entry, error=error), family=str(own_family),
        frequency=_choice(raw, "frequency", FREQUENCIES, file, entry, error),
        nature=_choice(raw, "nature", NATURES, file, entry, error),
        kind=_choice(raw, "kind", KINDS, file, entry, error),
        owner_role=text_field(raw, "owner_role", file, entry, error=error),
        criteria=mapped_criteria, objectives=mapped_objectives,
        evidence=_evidence(raw, control_id, file, entry, error),
        type1_test=text_field(raw, "type1_test", file, entry, error=error),
        type2_attributes=_texts(raw, "type2_attributes", file, entry, error, non_empty=True),
        not_applicable_when=_texts(raw, "not_applicable_when", file, entry, error, non_empty=False),
        custom=custom, services=_services(raw, file, entry, error, family_services),
    )


def _entry(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{raw['id']} (#{index + 1})"
    return f"#{index + 1}"


def _refuse_duplicates(controls: Iterable[Control], file: str, error: type[InputError],
                       taken: dict[str, str] | None = None) -> None:
    """Refuse a control id or evidence id already used; ``taken`` maps ids to where they were seen."""
    seen = dict(taken or {})
    for control in controls:
        for key in (control.id, *(e.id for e in control.evidence)):
            if key in seen:
                raise error(f"duplicate id '{key}' (already used by {seen[key]})", file=file, entry=control.id,
                            field="id" if key == control.id else "evidence")
            seen[key] = control.id


# --- the shipped library --------------------------------------------------------------------------------


def library_dir() -> Path:
    """Return the folder of the shipped control library."""
    return builtin_path("controls")


def _catalog_ids(criteria: Iterable[str] | None, objectives: Iterable[str] | None) -> tuple[set[str], set[str]]:
    if criteria is None or objectives is None:
        catalog = default_catalog()
        criteria = criteria if criteria is not None else (c.id for c in catalog.criteria)
        objectives = objectives if objectives is not None else (o.id for o in catalog.objectives)
    return set(criteria), set(objectives)


def load_family(path: Path, criteria: Collection[str], objectives: Collection[str]) -> tuple[Family, list[Control]]:
    """Load and validate one family file of the library."""
    data = load_mapping(path)
    file = str(path)
    expect_keys(data, required=_HEADER, optional=_OPTIONAL, file=file, entry=None)
    if data["catalog"] != "controls":
        raise CatalogError("must be 'controls'", file=file, field="catalog")
    name = text_field(data, "family", file, None)
    prefix = text_field(data, "prefix", file, None)
    family = Family(name=name, prefix=prefix, version=str(data["version"]), file=path.name)
    family_services = _services(data, file, None, CatalogError)
    controls = []
    for index, raw in enumerate(expect_list(data, "controls", file)):
        entry = _entry(raw, index)
        if not isinstance(raw, dict):
            raise CatalogError("must be a mapping", file=file, entry=entry)
        control = _control(raw, name, criteria, objectives, file, entry, CatalogError, custom=False,
                           family_services=family_services)
        if not control.id.startswith(prefix + "-"):
            raise CatalogError(f"id '{control.id}' must start with the family prefix {prefix}-", file=file,
                               entry=entry, field="id")
        controls.append(control)
    return family, controls


def load_library(directory: Path | None = None, *, criteria: Iterable[str] | None = None,
                 objectives: Iterable[str] | None = None) -> ControlLibrary:
    """Load every family file of a library folder, checking mappings against the catalogs."""
    directory = directory or library_dir()
    criterion_ids, objective_ids = _catalog_ids(criteria, objectives)
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise CatalogError("no control family files (*.yaml) found", file=str(directory))
    families: list[Family] = []
    controls: list[Control] = []
    taken: dict[str, str] = {}
    for path in paths:
        family, loaded = load_family(path, criterion_ids, objective_ids)
        if any(f.name == family.name or f.prefix == family.prefix for f in families):
            raise CatalogError(f"family '{family.name}' or prefix {family.prefix} is used by another file",
                               file=str(path), field="family")
        _refuse_duplicates(loaded, str(path), CatalogError, taken)
        taken.update({key: c.id for c in loaded for key in (c.id, *(e.id for e in c.evidence))})
        families.append(family)
        controls.extend(loaded)
    return ControlLibrary(controls=tuple(controls), families=tuple(families))


@lru_cache(maxsize=1)
def default_library() -> ControlLibrary:
    """Return the shipped library checked against the shipped catalogs, loaded once per process."""
    return load_library()


# --- an organization's customization --------------------------------------------------------------------

_CHANGE_KEYS = ("criteria", "objectives", "add_criteria", "remove_criteria", "add_objectives",
                "remove_objectives", "frequency", "owner_role")


def _change(control: Control, raw: dict[str, Any], criteria: Collection[str], objectives: Collection[str],
            file: str, entry: str) -> Control:
    """Apply one ``changes`` entry: replace or edit mappings, frequency or owner."""
    expect_keys(raw, required=("id",), optional=_CHANGE_KEYS, file=file, entry=entry, error=InputError)
    mapped: dict[str, tuple[str, ...]] = {}
    for kind, known, what in (("criteria", criteria, "criterion"), ("objectives", objectives, "objective")):
        current = list(_ids(raw, kind, known, what, file, entry, InputError) if kind in raw
                       else getattr(control, kind))
        for item in _ids(raw, f"remove_{kind}", known, what, file, entry, InputError):
            if item not in current:
                raise InputError(f"{item} is not mapped to {control.id}", file=file, entry=entry,
                                 field=f"remove_{kind}")
            current.remove(item)
        for item in _ids(raw, f"add_{kind}", known, what, file, entry, InputError):
            if item in current:
                raise InputError(f"{item} is already mapped", file=file, entry=entry, field=f"add_{kind}")
            current.append(item)
        mapped[kind] = tuple(current)
    if not mapped["criteria"] and not mapped["objectives"]:
        raise InputError("the change would leave the control with no criterion or objective; mark it "
                         "not applicable instead", file=file, entry=entry, field="criteria")
    changes: dict[str, Any] = dict(mapped)
    if "frequency" in raw:
        changes["frequency"] = _choice(raw, "frequency", FREQUENCIES, file, entry, InputError)
    if "owner_role" in raw:
        changes["owner_role"] = text_field(raw, "owner_role", file, entry, error=InputError)
    return replace(control, **changes)


def apply_customization(library: ControlLibrary, path: Path, *, criteria: Iterable[str] | None = None,
                        objectives: Iterable[str] | None = None) -> ControlLibrary:
    """Return the library with an organization's file laid over it; the input library is left as it was.

    ``objectives`` are the ids in force for the organization (shipped plus any objectives override).
    """
    criterion_ids, objective_ids = _catalog_ids(criteria, objectives)
    data = load_mapping(path, error=InputError)
    file = str(path)
    expect_keys(data, required=(), optional=("organization", "controls", "changes", "not_applicable"),
                file=file, entry=None, error=InputError)
    by_id = {c.id: c for c in library.controls}
    added = []
    for index, raw in enumerate(expect_list(data, "controls", file, required=False, error=InputError)):
        entry = _entry(raw, index)
        if not isinstance(raw, dict):
            raise InputError("must be a mapping", file=file, entry=entry)
        added.append(_control(raw, None, criterion_ids, objective_ids, file, entry, InputError, custom=True))
    taken = {key: c.id for c in library.controls for key in (c.id, *(e.id for e in c.evidence))}
    _refuse_duplicates(added, file, InputError, taken)
    by_id.update({c.id: c for c in added})
    for section in ("changes", "not_applicable"):
        touched: set[str] = set()
        for index, raw in enumerate(expect_list(data, section, file, required=False, error=InputError)):
            entry = _entry(raw, index)
            if not isinstance(raw, dict):
                raise InputError("must be a mapping", file=file, entry=entry)
            control_id = text_field(raw, "id", file, entry, error=InputError)
            if control_id not in by_id:
                raise InputError(f"unknown control id '{control_id}'", file=file, entry=entry, field="id")
            if control_id in touched:
                raise InputError(f"'{control_id}' appears twice in {section}", file=file, entry=entry,
                                 field="id")
            touched.add(control_id)
            if section == "changes":
                by_id[control_id] = _change(by_id[control_id], raw, criterion_ids, objective_ids, file, entry)
            else:
                expect_keys(raw, required=("id", "reason"), file=file, entry=entry, error=InputError)
                reason = text_field(raw, "reason", file, entry, error=InputError)
                by_id[control_id] = replace(by_id[control_id], not_applicable_reason=reason)
    return replace(library, controls=tuple(by_id.values()))
