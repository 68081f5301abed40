"""Shared paths for the questionnaire tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hecvat_like import build

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "questionnaires"


@pytest.fixture
def fixtures() -> Path:
    """The folder of questionnaire fixtures written by make_fixtures.py."""
    return FIXTURES


def _dev_set() -> Path | None:
    """The shared folder of real questionnaires: beside the checkout (CI) or beside its worktree folder."""
    root = Path(__file__).resolve().parents[3]
    for base in (root / ".." / "shared", root / ".." / ".." / "shared"):
        folder = base / "reference" / "questionnaires-dev"
        if (folder / "MANIFEST.csv").is_file():
            return folder.resolve()
    return None


DEV_SET = _dev_set()


@pytest.fixture
def dev_set() -> Path:
    """The real questionnaires of the dev set (tests that need them are skipped, saying so, without it)."""
    if DEV_SET is None:
        pytest.skip("../shared/reference/questionnaires-dev is not beside this checkout")
    return DEV_SET


@pytest.fixture(scope="session")
def hecvat_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook with the traits of a current HECVAT (see tests/hecvat_like.py), built once per session."""
    return build(tmp_path_factory.mktemp("hecvat") / "hecvat_like.xlsx")
