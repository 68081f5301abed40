"""An organization's customization file laid over the library, and the errors a bad one produces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from socready.core.controls.library import apply_customization, default_library
from socready.core.errors import InputError

LIBRARY = default_library()


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "org-controls.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _custom_control(**changes: Any) -> dict[str, Any]:
    control: dict[str, Any] = {
        "id": "ACME-01", "family": "Billing", "title": "Credit notes approved",
        "description": "Credit notes above the threshold are approved by the controller.",
        "frequency": "per-event", "nature": "preventive", "kind": "manual", "owner_role": "Controller",
        "criteria": ["PI1.3"], "objectives": ["BILLING-03"],
        "evidence": [{"id": "EV-ACME-01-1", "name": "Credit note approvals", "shows": "approval on each"}],
        "type1_test": "Inspect one approved credit note.", "type2_attributes": ["approved by the controller"],
        "not_applicable_when": [],
    }
    control.update(changes)
    return control


def _refused(path: Path) -> InputError:
    before = LIBRARY.controls
    with pytest.raises(InputError) as caught:
        apply_customization(LIBRARY, path)
    assert LIBRARY.controls is before  # the shared library is untouched by a failed overlay
    return caught.value


def test_customization_adds_edits_and_marks_not_applicable(data_dir: Path) -> None:
    custom = apply_customization(LIBRARY, data_dir / "controls" / "custom_ok.yaml")
    added = custom.control("NW-01")
    assert added.custom and added.family == "Payroll" and added.objectives == ("PAYROLL-02",)
    assert custom.control("IAM-03").criteria == ("CC6.2", "CC6.3", "CC6.1")
    backup_test = custom.control("BCP-06")
    assert backup_test.objectives == ("ITGC-BACKUP",) and backup_test.frequency == "semi-annual"
    office = custom.control("PHY-01")
    assert not office.applicable and "remote" in (office.not_applicable_reason or "")
    assert len(custom) == len(LIBRARY) + 1
    # the shipped library keeps its own mappings
    assert LIBRARY.control("IAM-03").criteria == ("CC6.2", "CC6.3")
    assert LIBRARY.control("PHY-01").applicable


def test_replacing_and_removing_mappings(tmp_path: Path) -> None:
    path = _write(tmp_path, {"changes": [
        {"id": "OPS-02", "criteria": ["CC7.2"]},
        {"id": "REC-01", "remove_objectives": ["PAYMENTS-03"]},
    ]})
    custom = apply_customization(LIBRARY, path)
    assert custom.control("OPS-02").criteria == ("CC7.2",)
    assert custom.control("REC-01").objectives == ("PAYROLL-03",)


def test_custom_objectives_from_an_override_can_be_mapped(tmp_path: Path) -> None:
    path = _write(tmp_path, {"controls": [_custom_control(objectives=["ACME-BILL-09"])]})
    assert _refused(path).field == "objectives"
    objectives = ["ITGC-ACCESS", "BILLING-03", "ACME-BILL-09"]
    custom = apply_customization(LIBRARY, path, objectives=objectives)
    assert custom.control("ACME-01").objectives == ("ACME-BILL-09",)


def test_unknown_criterion_names_file_control_and_field(data_dir: Path) -> None:
    path = data_dir / "controls" / "unknown_criterion.yaml"
    error = _refused(path)
    assert error.file == str(path)
    assert error.entry is not None and error.entry.startswith("CHG-01")
    assert error.field == "add_criteria"
    assert "CC8.2" in str(error)


def test_not_applicable_without_reason_is_refused(data_dir: Path) -> None:
    error = _refused(data_dir / "controls" / "na_without_reason.yaml")
    assert error.entry is not None and error.entry.startswith("PHY-01")
    assert error.field == "reason"


def test_bad_frequency_is_refused(data_dir: Path) -> None:
    error = _refused(data_dir / "controls" / "bad_frequency.yaml")
    assert error.entry is not None and error.entry.startswith("NW-02")
    assert error.field == "frequency"
    assert "fortnightly" in str(error)


@pytest.mark.parametrize(("data", "entry", "field", "words"), [
    ({"controls": [_custom_control(id="IAM-03", evidence=[{"id": "EV-IAM-03-9", "name": "n", "shows": "s"}])]},
     "IAM-03", "id", "duplicate id 'IAM-03'"),
    ({"controls": [_custom_control(), _custom_control()]}, "ACME-01", "id", "duplicate id"),
    ({"controls": [{k: v for k, v in _custom_control().items() if k != "owner_role"}]},
     "ACME-01", "owner_role", "missing"),
    ({"controls": [{k: v for k, v in _custom_control().items() if k != "family"}]}, "ACME-01", "family",
     "missing"),
    ({"controls": [_custom_control(objectives=["BILLING-09"])]}, "ACME-01", "objectives", "BILLING-09"),
    ({"controls": [_custom_control(nature="deterrent")]}, "ACME-01", "nature", "deterrent"),
    ({"controls": [_custom_control(evidence=[{"id": "EV-X-1", "name": "n", "shows": "s"}])]}, "ACME-01",
     "evidence[0].id", "EV-ACME-01-"),
    ({"controls": [_custom_control(criteria=[], objectives=[])]}, "ACME-01", "criteria", "at least one"),
    ({"changes": [{"id": "NOPE-01", "criteria": ["CC1.1"]}]}, "NOPE-01", "id", "unknown control"),
    ({"changes": [{"id": "IAM-03", "remove_criteria": ["CC8.1"]}]}, "IAM-03", "remove_criteria", "not mapped"),
    ({"changes": [{"id": "IAM-03", "add_criteria": ["CC6.2"]}]}, "IAM-03", "add_criteria", "already mapped"),
    ({"changes": [{"id": "GOV-01", "criteria": []}]}, "GOV-01", "criteria", "not applicable instead"),
    ({"changes": [{"id": "IAM-03", "title": "Renamed"}]}, "IAM-03", "title", "unknown field"),
    ({"not_applicable": [{"id": "PHY-01", "reason": "  "}]}, "PHY-01", "reason", "non-empty"),
    ({"not_applicable": [{"id": "PHY-09", "reason": "no office"}]}, "PHY-09", "id", "unknown control"),
])
def test_bad_customization_is_refused_with_its_location(tmp_path: Path, data: dict[str, Any], entry: str,
                                                        field: str, words: str) -> None:
    path = _write(tmp_path, data)
    error = _refused(path)
    assert error.file == str(path)
    assert error.entry is not None and error.entry.startswith(entry)
    assert error.field == field
    assert words in str(error)


def test_unknown_top_level_key_and_invalid_yaml_are_refused(tmp_path: Path) -> None:
    assert _refused(_write(tmp_path, {"contrls": []})).field == "contrls"
    broken = tmp_path / "broken.yaml"
    broken.write_text("controls: [\n", encoding="utf-8")
    assert "not valid YAML" in str(_refused(broken))
