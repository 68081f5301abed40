"""The scoping wizard and ``socready scope`` give the same answer for the same facts; errors read as plain words."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from socready.cli.main import app
from socready.programs.models import ScopingProfile
from tests.integration.conftest import Personas

DESCRIPTION = ("Vaultly hosts contracts and board documents for law firms under NDA. We also keep our customers' "
               "employee HR records, including their bank details.")
NOT_STATED = {"processing_accuracy": "", "confidentiality": "", "privacy_notice": "",
              "wants_public_trust_signal": ""}
TIMING = {"deadline_what": "", "deadline_date": "", "controls_operating_since": "", "subservices": ""}

# (the profile file the CLI reads, the wizard's three steps that say the same)
CASES: dict[str, tuple[dict[str, Any], tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]] = {
    "description only": (
        {"name": "Vaultly", "description": DESCRIPTION},
        ({"name": "Vaultly", "description": DESCRIPTION}, NOT_STATED, TIMING),
    ),
    "stated answers": (
        {"name": "Vaultly", "description": DESCRIPTION, "financial_impact": ["none"],
         "commitments": {"confidentiality": False, "processing_accuracy": True, "uptime_sla_percent": 99.5},
         "customers": {"regions": ["EU"]}, "wants_public_trust_signal": True},
        ({"name": "Vaultly", "description": DESCRIPTION, "financial_impact": ["none"]},
         {**NOT_STATED, "confidentiality": "no", "processing_accuracy": "yes", "uptime_sla_percent": "99.5",
          "regions": ["EU"], "wants_public_trust_signal": "yes"}, TIMING),
    ),
    "payroll with a deadline": (
        {"name": "Paywise", "description": "We run payroll for restaurants.", "data": ["personal"],
         "deadlines": [{"what": "Acme deal", "date": "DEADLINE"}],
         "subservice_organizations": [{"name": "AWS", "service": "cloud hosting"}]},
        ({"name": "Paywise", "description": "We run payroll for restaurants.", "data": ["personal"]}, NOT_STATED,
         {**TIMING, "deadline_what": "Acme deal", "deadline_date": "DEADLINE", "subservices": "AWS: cloud hosting"}),
    ),
}
COMPARED = ("soc1", "soc2", "soc2_categories", "report_type", "observation_window_months", "soc3")


def _dated(value: Any, deadline: str) -> Any:
    return json.loads(json.dumps(value).replace("DEADLINE", deadline))


def _cli(profile: dict[str, Any], tmp_path: Path, today: dt.date) -> dict[str, Any]:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile))
    result = CliRunner().invoke(app, ["scope", str(path), "--json", "--as-of", today.isoformat()])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _wizard(client: Client, steps: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    for number, answers in enumerate(steps, start=1):
        response = client.post(f"/o/acme/scoping/step/{number}/", answers)
        assert response.status_code == 302, response.content.decode()[:3000]
    rec: dict[str, Any] = ScopingProfile.objects.get(organization__slug="acme").recommendation
    return rec


@pytest.mark.parametrize("case", list(CASES))
def test_the_wizard_and_the_cli_recommend_the_same_for_the_same_profile(
        case: str, client: Client, personas: Personas, tmp_path: Path) -> None:
    today = timezone.localdate()
    deadline = (today + dt.timedelta(days=120)).isoformat()
    profile, steps = _dated(CASES[case], deadline)
    client.force_login(personas.alice)
    web = _wizard(client, tuple(steps))
    cli = _cli(profile, tmp_path, today)
    assert {k: web[k] for k in COMPARED} == {k: cli[k] for k in COMPARED}
    assert web["inferred"] == cli["inferred"] and web["set_aside"] == cli["set_aside"]


def test_questions_left_at_not_stated_are_read_from_the_description(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    rec = _wizard(client, CASES["description only"][1])
    answers = ScopingProfile.objects.get(organization=personas.acme).answers
    assert "commitments" not in answers and "wants_public_trust_signal" not in answers
    assert "Confidentiality" in rec["soc2_categories"]
    used = {(i["fact"], i["value"]) for i in rec["inferred"]}
    assert {("commitments", "confidentiality"), ("data", "personal")} <= used
    page = client.get("/o/acme/scoping/result/").content.decode()
    assert "confidentiality" in page and "set aside" not in page


def test_an_answer_of_no_wins_over_the_description_and_the_page_says_so(client: Client,
                                                                         personas: Personas) -> None:
    client.force_login(personas.alice)
    steps = CASES["description only"][1]
    rec = _wizard(client, (steps[0], {**NOT_STATED, "confidentiality": "no"}, steps[2]))
    assert ScopingProfile.objects.get(organization=personas.acme).answers["commitments"] == {
        "confidentiality": False}
    assert ("commitments", "confidentiality") in {(i["fact"], i["value"]) for i in rec["set_aside"]}
    assert "Read from your description but set aside" in client.get("/o/acme/scoping/result/").content.decode()


def test_going_back_to_not_stated_forgets_the_earlier_answer(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    client.post("/o/acme/scoping/step/1/", {"name": "Vaultly", "description": DESCRIPTION, "data": ["personal"]})
    client.post("/o/acme/scoping/step/2/", {**NOT_STATED, "confidentiality": "yes", "regions": ["US"]})
    shown = client.get("/o/acme/scoping/step/2/").context["form"]
    assert (shown["confidentiality"].value(), shown["privacy_notice"].value()) == ("yes", "")
    client.post("/o/acme/scoping/step/1/", {"name": "Vaultly", "description": DESCRIPTION})
    client.post("/o/acme/scoping/step/2/", NOT_STATED)
    answers = ScopingProfile.objects.get(organization=personas.acme).answers
    assert "data" not in answers and "commitments" not in answers and "customers" not in answers


def test_none_of_these_states_none_and_cannot_be_ticked_with_others(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    refused = client.post("/o/acme/scoping/step/1/", {"name": "Vaultly", "financial_impact": ["none", "payroll"]})
    assert refused.status_code == 200
    assert "tick “None of these” on its own" in refused.content.decode()
    client.post("/o/acme/scoping/step/1/", {"name": "Vaultly", "financial_impact": ["none"]})
    assert ScopingProfile.objects.get(organization=personas.acme).answers["financial_impact"] == ["none"]


def test_a_past_deadline_is_shown_once_in_plain_words_next_to_its_question(client: Client,
                                                                          personas: Personas) -> None:
    client.force_login(personas.alice)
    client.post("/o/acme/scoping/step/1/", {"name": "Vaultly"})
    client.post("/o/acme/scoping/step/2/", NOT_STATED)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = client.post("/o/acme/scoping/step/3/", {**TIMING, "deadline_date": past})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(f"{past} is in the past") == 1
    assert "“Needed by”" in html and "Enter a date from today on, or leave it empty." in html
    assert "deadlines[0]" not in html and "field '" not in html
    assert response.context["form"].errors["deadline_date"]


def test_a_saved_answer_gone_stale_names_the_step_that_asks_it(client: Client, personas: Personas) -> None:
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    ScopingProfile.objects.create(organization=personas.acme, answers={
        "name": "Vaultly", "deadlines": [{"what": "Acme deal", "date": past}]})
    client.force_login(personas.alice)
    html = client.post("/o/acme/scoping/step/1/", {"name": "Vaultly"}).content.decode()
    assert html.count("is in the past") == 1
    assert "“Needed by” in step 3 (Timing and vendors)" in html and "deadlines[0]" not in html


def test_the_cli_still_names_the_profile_field_path(tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    path.write_text("name: Late\ndeadlines:\n  - what: deal\n    date: 2020-01-01\n")
    result = CliRunner().invoke(app, ["scope", str(path)])
    assert result.exit_code == 2 and "deadlines[0].date" in result.stderr
