"""Core rules of vendor reports: opinion wording, dates, period coverage and CUEC suggestions."""

from __future__ import annotations

import datetime as dt

import pytest

from socready.core.vendors.bridge import check_bridge_dates, default_statement
from socready.core.vendors.coverage import ASK_BRIDGE_LETTER, ASK_NEW_REPORT, ReportPeriod, coverage
from socready.core.vendors.cuecs import control_title, suggest_cuec_controls
from socready.core.vendors.dates import find_period, parse_date
from socready.core.vendors.opinion import classify_opinion_text

D = dt.date


@pytest.mark.parametrize(("text", "opinion"), [
    ("In our opinion, in all material respects, the controls operated effectively.", "unqualified"),
    ("In our opinion, except for the matter described in the preceding paragraph, in all material respects ...",
     "qualified"),
    ("Basis for Qualified Opinion: approvals were missing.", "qualified"),
    ("Because of the significance of the matters described, the controls were not suitably designed.", "adverse"),
    ("We do not express an opinion on the description.", "disclaimer"),
    # A clean report's scope limit on work outside the examination is not a disclaimer.
    ("We do not express an opinion or any other form of assurance on its cybersecurity risk management program. "
     "In our opinion, AWS' controls over the system were effective throughout the period.", "unqualified"),
    ("The information in section 5 was not examined; accordingly, we do not express an opinion on it. In our "
     "opinion, in all material respects, the controls operated effectively.", "unqualified"),
    ("An unqualified opinion was issued; in our opinion, in all\nmaterial respects, it is fairly stated.",
     "unqualified"),
    ("The description of the system follows.", None),
])
def test_opinion_is_classified_from_its_wording(text: str, opinion: str | None) -> None:
    assert classify_opinion_text(text) == opinion


def test_dates_month_first_day_first_and_periods() -> None:
    assert parse_date("as of 30 June 2024") == D(2024, 6, 30)
    assert parse_date("JULY 1, 2022") == D(2022, 7, 1)
    assert parse_date("the 1st of March 2025") == D(2025, 3, 1)
    found = find_period("For the Period October 1, 2022 \u2013 March 31, 2023")
    assert found is not None and (found[1].start, found[1].end) == (D(2022, 10, 1), D(2023, 3, 31))
    assert find_period("from 31 March 2023 to 1 October 2022") is None  # an end before its start is no period


def test_coverage_flags_a_short_gap_for_a_bridge_letter_and_a_long_one_for_a_report() -> None:
    short = coverage([ReportPeriod(D(2023, 11, 1), D(2024, 10, 31))], D(2024, 1, 1), D(2024, 12, 31))
    assert short.needs_bridge_letter and short.gaps[0].days == 61 and short.gaps[0].action == ASK_BRIDGE_LETTER
    long = coverage([ReportPeriod(D(2023, 7, 1), D(2024, 6, 30))], D(2024, 1, 1), D(2024, 12, 31))
    assert not long.needs_bridge_letter and long.gaps[0].action == ASK_NEW_REPORT
    whole = coverage([ReportPeriod(D(2023, 7, 1), D(2024, 6, 30)), ReportPeriod(D(2024, 7, 1), D(2025, 6, 30))],
                     D(2024, 1, 1), D(2024, 12, 31))
    assert whole.verdict == "covered" and whole.percent == 100
    type1 = coverage([ReportPeriod(D(2024, 6, 30), D(2024, 6, 30))], D(2024, 1, 1), D(2024, 12, 31))
    assert type1.covered_days == 0 and type1.verdict.startswith("a Type I report covers no period")
    assert coverage([], D(2024, 1, 1), D(2024, 12, 31)).verdict == "no report on file"


def test_cuecs_become_titled_suggestions_mapped_to_criteria_with_their_source() -> None:
    text = "Customers review the accounts with access to their console every quarter and remove those not needed."
    (suggestion,) = suggest_cuec_controls([text], "Larkspur SOC 2 Type II")
    assert suggestion.source == "Larkspur SOC 2 Type II" and suggestion.criteria
    assert any(c.startswith("CC6") for c in suggestion.criteria)
    assert control_title("the user entity approves changes. Then more.") == "The user entity approves changes"


def test_bridge_letter_dates_and_statement() -> None:
    with pytest.raises(ValueError, match="must run past"):
        check_bridge_dates(D(2024, 12, 31), D(2024, 12, 31))
    with pytest.raises(ValueError, match="at most a year"):
        check_bridge_dates(D(2024, 12, 31), D(2026, 1, 31))
    assert "January 1, 2025 to March 31, 2025" in default_statement("Acme", "SOC 2 Type II", D(2024, 12, 31),
                                                                    D(2025, 3, 31))


def test_cuec_choices_are_read_from_the_command_line_form_and_default_to_a_control() -> None:
    from socready.core.vendors.cuecs import CuecChoice, choices_for, parse_cuec_choice

    assert parse_cuec_choice("2=task") == (2, CuecChoice("task"))
    assert parse_cuec_choice("3=na: we host it ourselves") == (3, CuecChoice("not_applicable", "we host it ourselves"))
    assert choices_for(3, {2: CuecChoice("task")}) == [CuecChoice(), CuecChoice("task"), CuecChoice()]
    for bad, words in (("x=task", "write N=control"), ("1=later", "not one of"), ("1=na", "needs a reason")):
        with pytest.raises(ValueError, match=words):
            parse_cuec_choice(bad)
    with pytest.raises(ValueError, match="CUEC 4 does not exist: the report lists 3"):
        choices_for(3, {4: CuecChoice()})
