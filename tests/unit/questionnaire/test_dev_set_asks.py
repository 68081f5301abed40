"""Every real questionnaire of the dev set gives the asks its MANIFEST lists, and none of its traps."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pytest

from socready.core.questionnaires.ask_groups import ReportAsk, group_asks
from socready.core.questionnaires.asks import SOC1, SOC2, SOC3, scan_questions
from socready.io.questionnaire import read_questionnaire
from tests.unit.questionnaire.conftest import DEV_SET

FILES = sorted(p.name for p in DEV_SET.iterdir() if p.name not in ("MANIFEST.csv", "README.md")) if DEV_SET else []
OTHER_KINDS = {"ISO 27001": re.compile(r"ISO 27001"), "PCI DSS": re.compile(r"PCI DSS"),
               "Penetration test": re.compile(r"pen[ -]test", re.IGNORECASE)}


def manifest(dev_set: Path) -> dict[str, str]:
    with (dev_set / "MANIFEST.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row["asks"] for row in csv.DictReader(handle)}


def expected_soc(asks: str) -> set[str]:
    return {f"SOC {n}" for n in re.findall(r"\bSOC[ -]?([123])\b", asks)}


def expected_other(asks: str) -> dict[str, str]:
    """Each other kind the MANIFEST lists, as 'asked', 'conditional' or 'weak'."""
    found: dict[str, str] = {}
    for item in asks.split(";"):
        item = item.strip()
        if item.lower().startswith(("none", "no ")):
            continue
        for kind, pattern in OTHER_KINDS.items():
            if pattern.search(item):
                strength = "weak" if "(weak" in item else "conditional" if "conditional" in item else "asked"
                # The strongest wording wins when a kind is named in several items.
                order = ("asked", "conditional", "weak")
                if kind not in found or order.index(strength) < order.index(found[kind]):
                    found[kind] = strength
    return found


@functools.cache
def reports(dev_set: Path, name: str) -> dict[str, ReportAsk]:
    questionnaire = read_questionnaire(dev_set / name)
    return {r.report: r for r in group_asks(scan_questions(questionnaire.questions, source=name))}


@pytest.mark.parametrize("name", FILES)
def test_each_dev_file_gives_exactly_its_manifest_soc_asks(dev_set: Path, name: str) -> None:
    found = {r for r in reports(dev_set, name) if r in (SOC1, SOC2, SOC3)}
    assert found == expected_soc(manifest(dev_set)[name])


@pytest.mark.parametrize("name", FILES)
def test_iso_pci_and_pen_test_asks_match_the_manifest_with_weak_and_conditional_marked(
        dev_set: Path, name: str) -> None:
    expected = expected_other(manifest(dev_set)[name])
    found = {k: r.strength for k, r in reports(dev_set, name).items() if k in OTHER_KINDS}
    for kind, strength in expected.items():
        assert found.get(kind) == strength, kind
    # A kind the MANIFEST does not list may only come out as an example (the MVSP baseline names
    # PCI DSS and ISO 27001 as examples of standards to comply with), never as an ask.
    assert all(strength == "weak" for kind, strength in found.items() if kind not in expected)


EXPECTED_PLACES = {
    "hecvat_lite_canvas_studio.xlsx": {
        SOC2: ["HECVAT - Lite | Vendor Response!B32", "HECVAT - Lite | Vendor Response!E32",
               "HECVAT - Lite | Vendor Response!B89"],
        SOC3: ["HECVAT - Lite | Vendor Response!E32"]},
    "hecvat_full_impact.xlsx": {
        SOC2: ["HECVAT - Full | Vendor Response!B41", "HECVAT - Full | Vendor Response!E41",
               "HECVAT - Full | Vendor Response!B166"],
        SOC3: ["HECVAT - Full | Vendor Response!E41"]},
    "hecvat_lite_intelligent_insights.json": {SOC2: ["[8]", "[65]"]},
    "hecvat_lite_intelligent_insights.csv": {SOC2: ["row 10", "row 67"]},
    "opengrc_vendor_questionnaire.md": {SOC1: ["line 41"], SOC2: ["line 40"]},
    "intuitem_vendor_due_diligence.xlsx": {SOC2: ["objectives_content!E3"]},
    "ismsforum_supply_chain_es.xlsx": {SOC2: ["preguntas!F26"]},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PLACES))
def test_each_report_is_listed_once_per_file_with_every_place_it_is_asked(dev_set: Path, name: str) -> None:
    found = reports(dev_set, name)
    for report, places in EXPECTED_PLACES[name].items():
        assert list(found[report].locations) == places
        assert all(p.wording for p in found[report].places)


def test_ssae_18_next_to_soc_2_asks_for_a_soc_2_and_the_type_preferred_is_kept(dev_set: Path) -> None:
    soc2 = reports(dev_set, "hecvat_lite_canvas_studio.xlsx")[SOC2]
    assert soc2.places[0].wording == "Have you undergone a SSAE 18 / SOC 2 audit?"
    assert soc2.types == ("Type II",)


@pytest.mark.parametrize("name", ["hecvat_lite_canvas_studio.xlsx", "hecvat_full_impact.xlsx",
                                  "hecvat_full_parchment.xlsx"])
def test_no_ask_comes_from_a_vendor_answer_or_a_skipped_sheet(dev_set: Path, name: str) -> None:
    # Vendor answers sit in columns C and D; changelogs, crosswalks and analyst sheets are skipped.
    for report in reports(dev_set, name).values():
        for location in report.locations:
            sheet, _, cell = location.partition("!")
            assert sheet.endswith("Vendor Response") and cell[0] in "BE", location
