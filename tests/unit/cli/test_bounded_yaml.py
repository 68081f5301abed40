"""The CLI reads a user's YAML files in the sandbox: past its limit the command stops naming the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socready.cli import bounded
from socready.cli.main import app
from socready.io.sandbox import SandboxLimits
from tests.unit.scoping.conftest import PROFILES

runner = CliRunner()
PROFILE = PROFILES / "payments-structured.yaml"


@pytest.fixture
def one_millisecond(monkeypatch: pytest.MonkeyPatch) -> None:
    # No YAML loads in a millisecond in a fresh child: the limit is what stops it, as it would a hostile file.
    monkeypatch.setattr(bounded, "YAML_SANDBOX", SandboxLimits(seconds=0.001, memory_bytes=512 * 1024 * 1024))


@pytest.mark.parametrize("command", [
    ["scope", str(PROFILE), "--as-of", "2026-01-15"],
    ["catalog", "objectives", "--override", str(PROFILE)],
    ["coverage", "--soc2", "--controls", str(PROFILE)],
])
def test_a_user_file_past_the_sandbox_limit_stops_the_command_naming_it(one_millisecond: None,
                                                                        command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert PROFILE.name in result.stderr and "longer than 0.001 seconds, the limit" in result.stderr


def test_the_shipped_catalogs_alone_are_read_in_this_process(one_millisecond: None) -> None:
    result = runner.invoke(app, ["catalog", "criteria", "--json"])
    assert result.exit_code == 0, result.output


def test_within_the_limits_the_profile_is_read_in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    readers: list[int] = []
    real = bounded.run_bounded

    def spy(func, file, limits, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        readers.append(os.getpid())
        return real(func, file, limits, *args, **kwargs)

    monkeypatch.setattr(bounded, "run_bounded", spy)
    result = runner.invoke(app, ["scope", str(PROFILE), "--json", "--as-of", "2026-01-15"])
    assert result.exit_code == 0, result.output
    assert readers == [os.getpid()] and Path(PROFILE).exists()
