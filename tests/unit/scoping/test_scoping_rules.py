"""Scoping rules: the report, category, type and wording decisions, one behaviour per test."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml

from socready.core.scoping.profile_reader import load_profile, profile_from_dict
from socready.core.scoping.recommendation import recommend
from tests.unit.scoping.conftest import PROFILES, TODAY

AGREEMENT = yaml.safe_load((PROFILES / "agreement" / "descriptions.yaml").read_text())["cases"]


def _rec(**raw: Any) -> Any:
    return recommend(profile_from_dict(raw, today=TODAY), today=TODAY)


def _every_recommendation() -> list[Any]:
    recs = [
        recommend(load_profile(p, today=TODAY), today=TODAY)
        for p in sorted(PROFILES.glob("*.yaml"))
        if p.name != "expected.yaml"
    ]
    recs += [_rec(name=c["id"], description=c["description"]) for c in AGREEMENT]
    return recs


def test_no_produced_text_calls_one_report_an_upgrade_of_the_other() -> None:
    banned = re.compile(r"upgrade|more advanced|higher level|step up|superior", re.IGNORECASE)
    for rec in _every_recommendation():
        for text in rec.texts():
            assert not banned.search(text), f"{rec.name}: {text}"


def test_a_processor_of_customer_personal_data_gets_confidentiality_not_privacy() -> None:
    rec = _rec(data=["personal"], personal_data_role="processor")
    assert "Privacy" not in rec.soc2_categories and "Confidentiality" in rec.soc2_categories
    assert any(r.conclusion == "no Privacy" for r in rec.reasons)


def test_a_controller_collecting_from_individuals_gets_privacy() -> None:
    rec = _rec(data=["personal"], personal_data_role="controller")
    assert "Privacy" in rec.soc2_categories


def test_a_stated_privacy_notice_of_false_keeps_privacy_out_for_a_controller() -> None:
    rec = _rec(data=["personal"], personal_data_role="controller", commitments={"privacy_notice": False})
    assert "Privacy" not in rec.soc2_categories


def test_security_is_in_every_soc2_and_comes_first() -> None:
    for rec in _every_recommendation():
        if rec.soc2:
            assert rec.soc2_categories[0] == "Security"


def test_inferred_facts_lower_the_overall_confidence_compared_with_stated_ones() -> None:
    stated = _rec(financial_impact=["payroll"], data=["personal"], controls_operating_since="2025-01-01")
    inferred = _rec(
        description="We run payroll and hold employee personal data.", controls_operating_since="2025-01-01"
    )
    assert (stated.soc1, stated.soc2) == (inferred.soc1, inferred.soc2) == (True, True)
    assert inferred.confidence < stated.confidence


def test_a_stated_field_wins_over_the_description() -> None:
    rec = _rec(description="We run payroll for employers.", financial_impact="none", data=["personal"])
    assert rec.soc1 is False
    assert ("no SOC 1", "financial_impact: none") in {(r.conclusion, r.fact) for r in rec.reasons}


@pytest.mark.parametrize(
    ("operating", "deadline", "kind", "window"),
    [
        (None, "2026-05-15", "Type I", None),  # ~4 months, nothing operating yet
        ("2025-06-01", None, "Type II", 6),  # 7 months operating, no deadline
        ("2024-10-01", None, "Type II", 12),  # 15 months operating, no deadline
        ("2025-10-15", "2026-06-15", "Type II", 6),  # 3 + 5 - 2 = 6 months can fit
        (None, "2026-12-15", "Type II", 6),  # 11 - 2 - 2 = 7, rounded down to a 6-month window
    ],
)
def test_type_and_window_follow_deadline_and_maturity(
    operating: str | None, deadline: str | None, kind: str, window: int | None
) -> None:
    raw: dict[str, Any] = {"data": ["customer-content"]}
    if operating:
        raw["controls_operating_since"] = operating
    if deadline:
        raw["deadlines"] = [{"what": "deal", "date": deadline}]
    rec = _rec(**raw)
    assert (rec.report_type, rec.observation_window_months) == (kind, window)
    if window is not None:
        assert 3 <= window <= 12


def test_type_one_plan_schedules_a_type_two_of_three_to_six_months_next() -> None:
    rec = _rec(data=["customer-content"], deadlines=[{"what": "deal", "date": "2026-04-01"}])
    assert [s.report_type for s in rec.plan] == ["Type I", "Type II"]
    assert rec.plan[1].window_months == (3, 6)
    assert rec.plan[0].as_of is not None and rec.plan[0].as_of <= dt.date(2026, 4, 1)


def test_audiences_name_finance_readers_for_soc1_and_security_readers_for_soc2() -> None:
    rec = _rec(financial_impact=["payroll"], data=["personal"])
    assert any("auditors" in a for a in rec.audiences["SOC 1"])
    assert any("security" in a for a in rec.audiences["SOC 2"])


def test_hyperscaler_is_carved_out_and_csocs_fit_its_service() -> None:
    rec = _rec(
        data=["customer-content"], subservice_organizations=[{"name": "AWS", "service": "cloud hosting"}]
    )
    advice = rec.subservice[0]
    assert advice.method == "carve-out"
    assert any("data center" in c for c in advice.csocs)


def test_eu_customers_prompt_isae_3402_only_when_soc1_applies() -> None:
    with_soc1 = _rec(financial_impact=["payroll"], customers={"regions": ["EU"]})
    without = _rec(data=["customer-content"], customers={"regions": ["EU"]})
    assert [i["standard"] for i in with_soc1.isae] == ["ISAE 3402"]
    assert without.isae == ()


def test_json_shape_has_every_contract_field() -> None:
    data = _rec(financial_impact=["payroll"]).to_dict()
    for key in (
        "soc1",
        "soc2",
        "soc2_categories",
        "report_type",
        "observation_window_months",
        "reasons",
        "inferred",
        "confidence",
        "audiences",
        "soc3",
        "isae",
        "subservice",
        "next_steps",
    ):
        assert key in data
    assert set(data["reasons"][0]) >= {"conclusion", "fact", "because"}
    assert set(data["subservice"]) == {"organizations", "cuecs"}


NDA_TEXT = "We host contracts for law firms under NDA and keep them confidential."


def test_an_inferred_fact_left_unstated_counts_in_the_decision_and_is_listed_as_used() -> None:
    rec = _rec(name="Vault", description=NDA_TEXT)
    assert "Confidentiality" in rec.soc2_categories
    assert ("commitments", "confidentiality") in {(i.fact, i.value) for i in rec.inferred}
    assert rec.set_aside == ()


def test_a_stated_answer_wins_and_the_overruled_inference_is_listed_as_set_aside() -> None:
    rec = _rec(name="Vault", description=NDA_TEXT, commitments={"confidentiality": False},
               data=["customer-content"])
    assert "Confidentiality" not in rec.soc2_categories
    listed = {(i.fact, i.value) for i in rec.inferred}
    aside = {(i.fact, i.value) for i in rec.set_aside}
    assert ("commitments", "confidentiality") in aside and ("commitments", "confidentiality") not in listed
    assert not any(fact == "data" for fact, _ in listed)
    assert "set_aside" in rec.to_dict()
