"""Fixtures and the summary of the fuzz suite (the run's settings are in tests/fuzz/harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.harness import LONG, TALLY
from tests.fuzz.targets import warm_up


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    # Every child is forked from this process: caches built once here are not built again in each child.
    warm_up()


@pytest.fixture(scope="session")
def fuzz_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for generated inputs; each input gets a fresh name in it (hypothesis reuses the fixture)."""
    return tmp_path_factory.mktemp("fuzz")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if sum(TALLY.counts.values()):
        for line in TALLY.summary():
            terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # The long run counts failures instead of stopping at the first; the run still fails if there is one.
    if LONG and TALLY.failures and exitstatus == 0:
        session.exitstatus = 1
