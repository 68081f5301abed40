"""Shared paths for the questionnaire tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "questionnaires"


@pytest.fixture
def fixtures() -> Path:
    """The folder of questionnaire fixtures written by make_fixtures.py."""
    return FIXTURES
