"""``socready scope``: JSON contract, readable summary, interactive questions, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from socready.cli.main import app
from tests.unit.scoping.conftest import PROFILES

runner = CliRunner()
AS_OF = ["--as-of", "2026-01-15"]


def test_json_output_carries_the_contract_fields() -> None:
    result = runner.invoke(app, ["scope", str(PROFILES / "payments-structured.yaml"), "--json", *AS_OF])
    assert result.exit_code == 0, result.output
    data = _json_after_echo(result.stdout)
    assert (data["soc1"], data["soc2"]) == (True, True)
    assert data["soc2_categories"] == ["Security", "Availability", "Processing Integrity"]
    assert data["report_type"] in ("Type I", "Type II")
    assert data["observation_window_months"] is None or 3 <= data["observation_window_months"] <= 12
    assert all({"conclusion", "fact", "because"} <= set(r) for r in data["reasons"])
    assert isinstance(data["confidence"], float)


def test_free_text_profile_shows_inferred_facts_with_phrases_in_json() -> None:
    result = runner.invoke(app, ["scope", str(PROFILES / "payroll-freetext.yaml"), "--json", *AS_OF])
    data = json.loads(result.stdout)
    payroll = next(i for i in data["inferred"] if i["fact"] == "financial_impact" and i["value"] == "payroll")
    assert payroll["phrases"] and 0 < payroll["confidence"] <= 1


def test_readable_summary_states_reports_and_reasons() -> None:
    result = runner.invoke(app, ["scope", str(PROFILES / "claims-structured.yaml"), *AS_OF])
    assert result.exit_code == 0, result.output
    assert "SOC 1 and SOC 2" in result.stdout
    assert "Reasons" in result.stdout and "Next steps" in result.stdout


def test_past_deadline_exits_2_naming_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    path.write_text("name: Late\ndeadlines:\n  - what: deal\n    date: 2025-01-01\n")
    result = runner.invoke(app, ["scope", str(path), "--json", *AS_OF])
    assert result.exit_code == 2
    assert str(path) in result.stderr and "deadlines[0].date" in result.stderr
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scope", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "nope.yaml" in result.stderr


def test_a_profile_that_is_not_utf8_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    result = runner.invoke(app, ["scope", str(path)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "latin.yaml" in result.stderr and "not UTF-8 text" in result.stderr


def test_file_and_interactive_together_are_refused() -> None:
    result = runner.invoke(app, ["scope", str(PROFILES / "name-only.yaml"), "--interactive"])
    assert result.exit_code == 2


def _json_after_echo(stdout: str) -> dict[str, object]:
    # The test runner echoes typed answers onto stdout (a terminal would show them); JSON follows them.
    data: dict[str, object] = json.loads(stdout[stdout.index("{") :])
    return data


def test_interactive_answers_produce_a_recommendation() -> None:
    answers = (
        "\n".join(
            [
                "Acme Payroll",  # name
                "",  # description
                "payroll",  # financial impact
                "personal, financial-records",  # data
                "processor",  # role
                "99.9",  # uptime
                "y",
                "n",
                "n",  # accuracy, confidentiality, privacy notice
                "US",  # regions
                "",  # deadline
                "2025-01-01",  # controls since
                "n",  # public report
                "AWS:cloud hosting",  # vendors
            ]
        )
        + "\n"
    )
    result = runner.invoke(app, ["scope", "--interactive", "--json", *AS_OF], input=answers)
    assert result.exit_code == 0, result.output
    data = _json_after_echo(result.stdout)
    assert (data["soc1"], data["soc2"]) == (True, True)
    assert data["soc2_categories"] == ["Security", "Availability", "Processing Integrity", "Confidentiality"]
    assert data["report_type"] == "Type II" and data["observation_window_months"] == 12
    assert data["subservice"]["organizations"][0]["method"] == "carve-out"


def test_interactive_reasks_an_invalid_answer() -> None:
    answers = (
        "\n".join(
            [
                "Acme",
                "",
                "payroll, crypto",
                "payroll",
                "",
                "",
                "",
                "n",
                "n",
                "n",
                "",
                "2020-01-01",
                "2026-09-01",
                "",
                "n",
                "",
            ]
        )
        + "\n"
    )
    result = runner.invoke(app, ["scope", "--interactive", "--json", *AS_OF], input=answers)
    assert result.exit_code == 0, result.output
    assert "please try again" in result.stderr
    data = _json_after_echo(result.stdout)
    assert data["soc1"] is True


def test_interactive_blank_yes_no_answers_are_not_stated_so_the_description_decides() -> None:
    lines = [
        "Vaultly",  # name
        "We host contracts for law firms under NDA.",  # description
        "",  # financial impact
        "customer-content",  # data
        "",  # role
        "",  # uptime
        "",
        "",
        "",  # accuracy, confidentiality, privacy notice: unsure
        "",  # regions
        "",  # deadline
        "",  # controls since
        "",  # public report: unsure
        "",  # vendors
    ]
    result = runner.invoke(app, ["scope", "--interactive", "--json", *AS_OF], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    data = _json_after_echo(result.stdout)
    assert "Confidentiality" in data["soc2_categories"]
    assert ["commitments", "confidentiality"] in [[i["fact"], i["value"]] for i in data["inferred"]]
