"""Recommended controls: what the scope calls for, without the controls of industries the organization is not in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from socready.core.catalog.catalog import default_catalog
from socready.core.controls.library import apply_customization, default_library, library_dir, load_library
from socready.core.controls.recommendation import recommend_controls, services_in_scope
from socready.core.errors import CatalogError, InputError

LIBRARY = default_library()
CATALOG = default_catalog()
PI = {c.id for c in CATALOG.criteria_in(["Processing Integrity"])}
SECURITY = {c.id for c in CATALOG.criteria_in(["Security"])}
INDUSTRY_PREFIXES = ("PAY-", "PMT-", "BIL-", "CLM-", "FND-", "LND-")


def _ids(services: set[str], criteria: set[str] = PI | SECURITY, objectives: set[str] | None = None) -> set[str]:
    return {c.id for c in recommend_controls(LIBRARY, criteria=criteria, objectives=objectives or set(),
                                             services=services)}


def _prefixes(ids: set[str]) -> set[str]:
    return {i.split("-")[0] + "-" for i in ids if i.startswith(INDUSTRY_PREFIXES)}


def test_processing_integrity_brings_only_the_industry_controls_of_the_services_provided() -> None:
    chosen = _ids({"payroll", "payments"})
    assert _prefixes(chosen) == {"PAY-", "PMT-"}
    assert {"PIN-01", "PIN-02", "PIN-03", "PIN-04", "PIN-05"} <= chosen  # general PI controls stay
    assert {"REC-01", "REC-03"} <= chosen  # client-money reconciliations fit a payroll and payments company


def test_no_stated_service_means_no_industry_controls_but_every_pi_criterion_is_still_covered() -> None:
    chosen = _ids(set())
    assert _prefixes(chosen) == set()
    assert "REC-01" not in chosen and "REC-02" in chosen
    covered = {cid for c in LIBRARY if c.id in chosen for cid in c.criteria}
    assert covered >= PI


def test_a_claims_administrator_gets_the_claims_controls() -> None:
    assert _prefixes(_ids({"claims"})) == {"CLM-"}


def test_a_scoped_soc1_objective_brings_its_controls_whatever_the_stated_services() -> None:
    chosen = _ids(set(), criteria=set(), objectives={"CLAIMS-01", "ITGC-ACCESS"})
    assert "CLM-01" in chosen and "CLM-03" not in chosen and "IAM-03" in chosen


def test_services_in_scope_adds_the_services_of_scoped_objectives() -> None:
    assert services_in_scope(["payroll"], CATALOG.objectives, {"LENDING-01", "ITGC-ACCESS"}) == {
        "payroll", "lending"}


def test_every_industry_family_is_marked_and_marks_agree_with_the_objectives() -> None:
    service_of = {o.id: o.service for o in CATALOG.objectives}
    for control in LIBRARY:
        if control.id.startswith(INDUSTRY_PREFIXES):
            assert len(control.services) == 1, control.id
        objective_services = {service_of[o] for o in control.objectives if service_of[o]}
        if control.services:
            assert objective_services <= set(control.services), control.id
        else:
            assert not objective_services, f"{control.id} maps to {objective_services} objectives but is unmarked"


def _copy_library(tmp_path: Path) -> Path:
    target = tmp_path / "controls"
    shutil.copytree(library_dir(), target)
    return target


def _edit(path: Path, change: dict[str, object], control: int | None = None) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (data if control is None else data["controls"][control]).update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_an_unknown_service_in_a_family_file_is_refused_naming_the_file_and_field(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    _edit(folder / "claims.yaml", {"services": ["insurance"]})
    with pytest.raises(CatalogError, match="unknown service.*insurance") as caught:
        load_library(folder)
    assert caught.value.file == str(folder / "claims.yaml") and caught.value.field == "services"


@pytest.mark.parametrize(("value", "message"), [
    ([], "at least one"), ("claims", "list"), (["claims", "claims"], "twice"), (["lending", "banking"], "banking"),
])
def test_a_bad_service_list_on_a_control_is_refused_naming_the_control(tmp_path: Path, value: object,
                                                                        message: str) -> None:
    folder = _copy_library(tmp_path)
    _edit(folder / "reconciliations.yaml", {"services": value}, control=1)
    with pytest.raises(CatalogError, match=message) as caught:
        load_library(folder)
    assert caught.value.entry is not None and caught.value.entry.startswith("REC-02")
    assert caught.value.field == "services"


def test_a_control_marker_replaces_its_family_marker(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    _edit(folder / "payments.yaml", {"services": ["payments", "billing"]}, control=0)
    library = load_library(folder)
    assert library.control("PMT-01").services == ("payments", "billing")
    assert library.control("PMT-02").services == ("payments",)


def test_a_custom_control_may_be_marked_for_a_service(tmp_path: Path) -> None:
    control = {
        "id": "ACME-01", "family": "Billing", "title": "Credit notes approved", "description": "Approved.",
        "frequency": "per-event", "nature": "preventive", "kind": "manual", "owner_role": "Controller",
        "criteria": ["PI1.3"], "objectives": [], "services": ["billing"],
        "evidence": [{"id": "EV-ACME-01-1", "name": "Approvals", "shows": "approval on each"}],
        "type1_test": "Inspect one.", "type2_attributes": ["approved"], "not_applicable_when": [],
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump({"controls": [control]}), encoding="utf-8")
    assert apply_customization(LIBRARY, path).control("ACME-01").services == ("billing",)
    control["services"] = ["insurance"]
    path.write_text(yaml.safe_dump({"controls": [control]}), encoding="utf-8")
    with pytest.raises(InputError, match="insurance") as caught:
        apply_customization(LIBRARY, path)
    assert caught.value.field == "services" and caught.value.file == str(path)
