"""The shipped catalogs hold exactly the reference content, and bad catalog files are refused clearly."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from socready.core.catalog.catalog import (
    CATEGORIES,
    builtin_path,
    default_catalog,
    load_criteria,
    load_description_criteria,
    load_objectives,
)
from socready.core.errors import CatalogError

REFERENCE_CSV = Path(__file__).resolve().parents[3] / "tests" / "data" / "reference" / "tsc2017_ids.csv"

EXPECTED_IDS = (
    [f"CC1.{i}" for i in range(1, 6)] + [f"CC2.{i}" for i in range(1, 4)] + [f"CC3.{i}" for i in range(1, 5)]
    + [f"CC4.{i}" for i in range(1, 3)] + [f"CC5.{i}" for i in range(1, 4)] + [f"CC6.{i}" for i in range(1, 9)]
    + [f"CC7.{i}" for i in range(1, 6)] + ["CC8.1"] + [f"CC9.{i}" for i in range(1, 3)]
    + [f"A1.{i}" for i in range(1, 4)] + [f"PI1.{i}" for i in range(1, 6)] + ["C1.1", "C1.2"]
    + ["P1.1", "P2.1", "P3.1", "P3.2", "P4.1", "P4.2", "P4.3", "P5.1", "P5.2"]
    + [f"P6.{i}" for i in range(1, 8)] + ["P7.1", "P8.1"]
)
COSO = {"CC1.1": 1, "CC1.2": 2, "CC1.3": 3, "CC1.4": 4, "CC1.5": 5, "CC2.1": 13, "CC2.2": 14, "CC2.3": 15,
        "CC3.1": 6, "CC3.2": 7, "CC3.3": 8, "CC3.4": 9, "CC4.1": 16, "CC4.2": 17, "CC5.1": 10, "CC5.2": 11,
        "CC5.3": 12}


def test_there_are_exactly_61_criteria_with_the_reference_ids() -> None:
    ids = [c.id for c in load_criteria()]
    assert len(ids) == 61
    assert sorted(ids) == sorted(EXPECTED_IDS)


def test_criteria_match_the_reference_table_id_by_id() -> None:
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        reference = {row["id"]: row["category"] for row in csv.DictReader(handle)}
    assert {c.id: c.category for c in load_criteria()} == reference


def test_category_counts_are_33_3_5_2_18() -> None:
    counts = Counter(c.category for c in load_criteria())
    assert counts == {"Security": 33, "Availability": 3, "Processing Integrity": 5, "Confidentiality": 2,
                      "Privacy": 18}


def test_coso_principles_only_on_cc1_to_cc5_and_correct() -> None:
    assert {c.id: c.coso_principle for c in load_criteria() if c.coso_principle is not None} == COSO


def test_every_criterion_has_an_own_words_title_and_summary() -> None:
    for criterion in load_criteria():
        assert 2 <= len(criterion.title.split()) <= 12, criterion.id
        assert len(criterion.summary.split()) >= 20, criterion.id


def test_objectives_include_every_itgc_domain_and_the_business_services() -> None:
    objectives = load_objectives()
    itgc = {o.id for o in objectives if o.area == "itgc"}
    assert itgc == {"ITGC-ACCESS", "ITGC-CHANGE", "ITGC-SDLC", "ITGC-OPS", "ITGC-BACKUP", "ITGC-PHYSICAL",
                    "ITGC-TRANSMIT"}
    services = {o.service for o in objectives if o.area == "business"}
    assert services == {"payroll", "payments", "billing", "claims", "fund-administration", "lending"}
    for objective in objectives:
        assert objective.statement.startswith("Controls provide reasonable assurance that"), objective.id


def test_description_criteria_are_dc1_to_dc9_with_only_dc9_type2() -> None:
    items = load_description_criteria()
    assert [d.id for d in items] == [f"DC{i}" for i in range(1, 10)]
    assert [d.id for d in items if d.type2_only] == ["DC9"]


def test_catalog_versions_are_recorded() -> None:
    catalog = default_catalog()
    assert set(catalog.versions) == {"tsc-2017", "soc1-objectives", "dc-200"}
    assert all(catalog.versions.values())
    assert catalog.criteria_in(["Availability"]) == tuple(c for c in catalog.criteria if c.series == "A1")


def _write_tsc_variant(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(builtin_path("tsc-2017.yaml").read_text(encoding="utf-8"))
    mutate(data["criteria"])
    path = tmp_path / "tsc-bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "entry", "field", "reason"),
    [
        (lambda items: items[5].update(category="Availability"), "CC2.1", "category", "belongs to Security"),
        (lambda items: items[0].update(category="Secrecy"), "CC1.1", "category", "unknown category"),
        (lambda items: items[3].pop("title"), "CC1.4", "title", "is missing"),
        (lambda items: items[1].update(id="CC1.1"), "CC1.1 (#2)", "id", "duplicate id"),
        (lambda items: items[2].update(colour="blue"), "CC1.3", "colour", "unknown field"),
        (lambda items: items[4].update(coso_principle=42), "CC1.5", "coso_principle", "COSO principle"),
        (lambda items: items[7].update(id="CC7.9"), "CC7.9", "id", "does not belong to series CC2"),
    ],
)
def test_a_bad_criteria_entry_is_refused_naming_file_entry_and_field(
    tmp_path: Path, mutate, entry: str, field: str, reason: str  # type: ignore[no-untyped-def]
) -> None:
    path = _write_tsc_variant(tmp_path, mutate)
    with pytest.raises(CatalogError) as caught:
        load_criteria(path)
    error = caught.value
    assert error.file == str(path)
    assert error.entry is not None and error.entry.startswith(entry)
    assert error.field == field
    assert reason in str(error)


def test_malformed_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("catalog: tsc-2017\ncriteria: [\n  - id: CC1.1\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_criteria(path)
    assert str(path) in str(caught.value)
    assert "line" in str(caught.value)


def test_criteria_override_retitles_and_refuses_unknown_ids(tmp_path: Path) -> None:
    good = tmp_path / "ours.yaml"
    good.write_text("criteria:\n  - id: CC6.1\n    title: Our access architecture\n", encoding="utf-8")
    retitled = {c.id: c for c in load_criteria(overrides=[good])}
    assert retitled["CC6.1"].title == "Our access architecture"
    bad = tmp_path / "typo.yaml"
    bad.write_text("criteria:\n  - id: CC6.9\n    title: Nope\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_criteria(overrides=[bad])
    assert caught.value.field == "id" and "CC6.9" in str(caught.value)


def test_objective_override_adds_replaces_and_removes(tmp_path: Path) -> None:
    path = tmp_path / "objectives.yaml"
    path.write_text(
        "remove: [ITGC-PHYSICAL]\n"
        "objectives:\n"
        "  - id: TREASURY-01\n    area: business\n    service: treasury\n    domain: Treasury\n"
        "    title: Cash positions reported accurately\n"
        "    statement: Controls provide reasonable assurance that daily cash positions are accurate.\n"
        "    assertions: [accuracy, completeness]\n",
        encoding="utf-8",
    )
    ids = [o.id for o in load_objectives(overrides=[path])]
    assert "TREASURY-01" in ids and "ITGC-PHYSICAL" not in ids and "ITGC-ACCESS" in ids


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ("remove: [ITGC-NOPE]\n", "remove", "unknown objective"),
        ("objectives:\n  - id: X-1\n    area: itgc\n    service: payroll\n    domain: d\n    title: t\n"
         "    statement: s\n    assertions: []\n", "service", "no service"),
        ("objectives:\n  - id: X-1\n    area: business\n    service: payroll\n    domain: d\n    title: t\n"
         "    statement: s\n    assertions: [truthiness]\n", "assertions", "unknown assertion"),
        ("objectives:\n  - id: X-1\n    area: business\n    service: payroll\n    title: t\n"
         "    statement: s\n    assertions: []\n", "domain", "is missing"),
    ],
)
def test_a_bad_objective_override_is_refused(tmp_path: Path, body: str, field: str, reason: str) -> None:
    path = tmp_path / "objectives.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_objectives(overrides=[path])
    assert caught.value.file == str(path)
    assert caught.value.field == field
    assert reason in str(caught.value)


def test_categories_are_the_five_trust_services_categories() -> None:
    assert CATEGORIES == ("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy")


def test_an_impossible_date_in_a_yaml_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text("criteria:\n  - id: CC6.1\n    title: 2026-02-30\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_criteria(overrides=[path])
    assert str(path) in str(caught.value) and "not valid YAML" in str(caught.value)
