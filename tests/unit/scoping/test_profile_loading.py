"""Profiles load from YAML or a dict; every kind of bad input names the file and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socready.core.errors import InputError
from socready.core.scoping.profile_reader import load_profile, profile_from_dict
from tests.unit.scoping.conftest import TODAY


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error_for(tmp_path: Path, text: str) -> InputError:
    path = _write(tmp_path, text)
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        load_profile(path, today=TODAY)
    assert path.read_bytes() == before
    assert caught.value.file == str(path)
    return caught.value


def test_a_dict_and_the_same_yaml_give_the_same_profile(tmp_path: Path) -> None:
    raw = {
        "name": "Acme",
        "financial_impact": ["payroll"],
        "deadlines": [{"what": "deal", "date": "2026-06-01"}],
    }
    path = _write(
        tmp_path,
        "name: Acme\nfinancial_impact: [payroll]\ndeadlines:\n  - what: deal\n    date: 2026-06-01\n",
    )
    from_file = load_profile(path, today=TODAY)
    from_dict = profile_from_dict(raw, source=str(path), today=TODAY)
    assert from_file == from_dict
    assert from_file.deadlines[0].date == dt.date(2026, 6, 1)


def test_fields_left_out_are_none_so_scoping_can_tell_silence_from_none() -> None:
    silent = profile_from_dict({"name": "Acme"}, today=TODAY)
    stated_none = profile_from_dict({"name": "Acme", "financial_impact": "none", "data": "none"}, today=TODAY)
    assert silent.financial_impact is None and silent.data is None
    assert stated_none.financial_impact == () and stated_none.data == ()


def test_report_and_type_spellings_are_normalised() -> None:
    profile = profile_from_dict(
        {
            "prospect_asks": [
                {"source": "Q1", "report": "soc2", "type": "type 2", "categories": ["pi", "availability"]}
            ]
        },
        today=TODAY,
    )
    ask = profile.prospect_asks[0]
    assert (ask.report, ask.type, ask.categories) == (
        "SOC 2",
        "Type II",
        ("Processing Integrity", "Availability"),
    )


def test_past_deadline_names_the_field_with_its_index(tmp_path: Path) -> None:
    error = _error_for(
        tmp_path, "deadlines:\n  - what: renewal\n    date: 2030-01-01\n  - what: old\n    date: 2025-12-31\n"
    )
    assert error.field == "deadlines[1].date"
    assert "in the past" in str(error) and "deadlines[1].date" in str(error)


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("nmae: Acme\n", "nmae", "unknown field"),
        ("commitments:\n  uptime: 99.9\n", "commitments.uptime", "unknown field"),
        ("financial_impact: [payroll, crypto]\n", "financial_impact[1]", "'crypto' is not one of"),
        ("data: personal-ish\n", "data[0]", "is not one of"),
        ("wants_public_trust_signal: maybe\n", "wants_public_trust_signal", "true or false"),
        ("commitments:\n  uptime_sla_percent: 120\n", "commitments.uptime_sla_percent", "percentage"),
        ("controls_operating_since: last spring\n", "controls_operating_since", "not a date"),
        ("deadlines:\n  - what: deal\n    date: 2026-02-30\n", "deadlines[0].date", "not a date"),
        ("deadlines:\n  - what: deal\n", "deadlines[0].date", "missing"),
        ("services: accounting\n", "services", "must be a list"),
        ("services:\n  - does: no name\n", "services[0].name", "missing"),
        ("prospect_asks:\n  - source: Q\n    report: SOC 4\n", "prospect_asks[0].report", "is not one of"),
        (
            "prospect_asks:\n  - source: Q\n    report: SOC 2\n    categories: [Speed]\n",
            "prospect_asks[0].categories[0]",
            "unknown category",
        ),
        (
            "subservice_organizations:\n  - name: AWS\n    method: partial\n",
            "subservice_organizations[0].method",
            "is not one of",
        ),
        ("personal_data_role: owner\n", "personal_data_role", "is not one of"),
        ("customers:\n  regions: [US, 7]\n", "customers.regions[1]", "non-empty text"),
    ],
)
def test_bad_field_is_refused_with_file_and_field(tmp_path: Path, text: str, field: str, words: str) -> None:
    error = _error_for(tmp_path, text)
    assert error.field == field
    assert words in str(error)
    assert str(tmp_path / "profile.yaml") in str(error)


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    error = _error_for(tmp_path, "name: Acme\ndata: [personal\n")
    assert "not valid YAML" in str(error) and "line" in str(error)


def test_a_profile_that_is_not_utf8_is_refused_as_such(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8 text") as caught:
        load_profile(path, today=TODAY)
    assert caught.value.file == str(path)


def test_a_list_at_the_top_level_is_refused(tmp_path: Path) -> None:
    error = _error_for(tmp_path, "- name: Acme\n")
    assert "mapping" in str(error)


def test_dict_errors_name_the_given_source() -> None:
    with pytest.raises(InputError) as caught:
        profile_from_dict({"deadlines": [{"date": "2020-01-01"}]}, source="wizard step 3", today=TODAY)
    assert caught.value.file == "wizard step 3" and caught.value.field == "deadlines[0].date"
