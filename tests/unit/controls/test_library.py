"""The shipped control library: complete, valid, precisely mapped, and checked like any input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from socready.core.catalog.catalog import default_catalog
from socready.core.controls.library import FREQUENCIES, default_library, library_dir, load_library
from socready.core.errors import CatalogError

LIBRARY = default_library()
CATALOG = default_catalog()

REQUIRED_FAMILIES = (
    "Governance", "People", "Policies", "Assets", "Risk", "Vendors", "Identity and access", "Network",
    "Data protection and encryption", "Endpoints", "Vulnerability management", "Logging and monitoring",
    "Incident response", "Change management and SDLC", "Backup and continuity", "Availability and capacity",
    "Processing integrity", "Confidentiality", "Privacy", "Payroll", "Payments", "Billing", "Claims",
    "Fund administration", "Lending", "Reconciliations and reporting", "Operations, interfaces and batch jobs",
)


def _find(title_words: str) -> list[str]:
    words = title_words.lower().split()
    return [c.id for c in LIBRARY if all(w in c.title.lower() for w in words)]


def test_library_has_at_least_120_controls_in_every_expected_family() -> None:
    assert len(LIBRARY) >= 120
    families = {c.family for c in LIBRARY}
    assert set(REQUIRED_FAMILIES) <= families


def test_every_criterion_and_objective_is_covered_by_the_library() -> None:
    mapped_criteria = {cid for c in LIBRARY for cid in c.criteria}
    mapped_objectives = {oid for c in LIBRARY for oid in c.objectives}
    assert len(CATALOG.criteria) == 61
    assert [c.id for c in CATALOG.criteria if c.id not in mapped_criteria] == []
    itgc = [o.id for o in CATALOG.objectives if o.area == "itgc"]
    business = [o.id for o in CATALOG.objectives if o.area == "business"]
    assert len(itgc) == 7 and len(business) == 27
    assert [o for o in itgc + business if o not in mapped_objectives] == []


def test_mappings_are_precise_not_shotgun() -> None:
    too_many = [(c.id, c.criteria) for c in LIBRARY if len(c.criteria) > 3]
    assert too_many == []
    assert all(len(c.objectives) <= 2 for c in LIBRARY)


def test_control_and_evidence_ids_are_unique_and_evidence_names_its_control() -> None:
    ids = [c.id for c in LIBRARY]
    evidence = [e.id for c in LIBRARY for e in c.evidence]
    assert len(set(ids)) == len(ids)
    assert len(set(evidence)) == len(evidence)
    assert all(e.id.startswith(f"EV-{c.id}-") for c in LIBRARY for e in c.evidence)
    assert all(c.frequency in FREQUENCIES and c.type2_attributes and c.evidence for c in LIBRARY)


@pytest.mark.parametrize(("title", "criteria", "optional", "objective"), [
    ("quarterly user access review", {"CC6.2", "CC6.3"}, {"CC6.1"}, "ITGC-ACCESS"),
    ("changes approved before production", {"CC8.1"}, set(), "ITGC-CHANGE"),
    ("restores tested", {"A1.3"}, {"A1.2"}, "ITGC-BACKUP"),
    ("batch jobs monitored", set(), {"CC7.2", "PI1.3"}, "ITGC-OPS"),
    ("pay-rate changes approved", set(), {"PI1.2"}, "PAYROLL-01"),
    ("settlement reconciled bank", set(), {"PI1.3"}, "PAYMENTS-03"),
])
def test_known_control_mappings(title: str, criteria: set[str], optional: set[str], objective: str) -> None:
    found = _find(title)
    assert len(found) == 1, found
    control = LIBRARY.control(found[0])
    assert criteria <= set(control.criteria) <= criteria | optional
    assert objective in control.objectives


def test_physical_controls_can_be_declared_not_applicable_for_a_remote_company() -> None:
    office = LIBRARY.control("PHY-01")
    assert any("no office" in condition for condition in office.not_applicable_when)


def test_for_report_splits_controls_by_what_they_map_to() -> None:
    soc1 = LIBRARY.for_report("soc1")
    soc2 = LIBRARY.for_report("soc2")
    assert soc1 and all(c.objectives for c in soc1)
    assert soc2 and all(c.criteria for c in soc2)
    assert "GOV-01" not in {c.id for c in soc1}
    with pytest.raises(ValueError, match="soc3"):
        LIBRARY.for_report("soc3")


def _copy_library(tmp_path: Path) -> Path:
    target = tmp_path / "controls"
    shutil.copytree(library_dir(), target)
    return target


def _edit_first_control(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["controls"][0].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_unknown_criterion_in_the_library_is_refused_naming_file_control_and_field(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    _edit_first_control(folder / "access.yaml", criteria=["CC6.2", "CC6.9"])
    with pytest.raises(CatalogError) as caught:
        load_library(folder)
    error = caught.value
    assert error.file == str(folder / "access.yaml")
    assert error.entry is not None and error.entry.startswith("IAM-01")
    assert error.field == "criteria"
    assert "CC6.9" in str(error)


def test_duplicate_control_id_across_family_files_is_refused(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    data = yaml.safe_load((folder / "access.yaml").read_text(encoding="utf-8"))
    clone = dict(data["controls"][0])
    data["controls"].append(clone)
    (folder / "access.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate id 'IAM-01'") as caught:
        load_library(folder)
    assert caught.value.field == "id"


def test_library_control_with_a_foreign_prefix_is_refused(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    _edit_first_control(folder / "network.yaml", id="IAM-99",
                        evidence=[{"id": "EV-IAM-99-1", "name": "x", "shows": "y"}])
    with pytest.raises(CatalogError, match="prefix NET-") as caught:
        load_library(folder)
    assert caught.value.field == "id"


def test_library_control_missing_its_test_procedure_is_refused(tmp_path: Path) -> None:
    folder = _copy_library(tmp_path)
    data = yaml.safe_load((folder / "risk.yaml").read_text(encoding="utf-8"))
    del data["controls"][1]["type1_test"]
    (folder / "risk.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_library(folder)
    assert caught.value.entry is not None and caught.value.entry.startswith("RSK-02")
    assert caught.value.field == "type1_test"
