"""Shared pieces for the scoping tests: the fixed date they scope as of and the profile folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

PROFILES = Path(__file__).resolve().parents[2] / "data" / "profiles"
# Every test profile is written relative to this day, so deadlines stay in the future and months are fixed.
TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def profiles() -> Path:
    """The folder of test profiles."""
    return PROFILES
