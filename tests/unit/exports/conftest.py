"""Shared inputs for the exporter tests: the demo snapshot, its readiness and golden-file comparison."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from socready.core.controls.library import default_library
from socready.core.readiness.result import Readiness
from socready.core.readiness.scoring import assess
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.core.scoping.profile import Profile
from socready.core.scoping.profile_reader import profile_from_dict
from socready.core.scoping.recommendation import Recommendation, recommend
from tests.unit.readiness.snapshots import TODAY, demo_snapshot

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden"
GENERATED = dt.datetime(2026, 4, 15, 9, 30, tzinfo=dt.UTC)
REASONS = (
    "SOC 2 because three prospects asked for it",
    "Availability because the contract promises 99.9% uptime",
)


def golden(name: str, actual: Any) -> None:
    """Compare with tests/data/golden/<name>; SOCREADY_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    text = actual if isinstance(actual, str) else json.dumps(actual, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("SOCREADY_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


@pytest.fixture(scope="session")
def snapshot() -> ProgramSnapshot:
    return demo_snapshot()


@pytest.fixture(scope="session")
def readiness(snapshot: ProgramSnapshot) -> Readiness:
    return assess(snapshot, library=default_library())


@pytest.fixture(scope="session")
def profile() -> Profile:
    return profile_from_dict(
        {
            "name": "Acme Payroll Cloud",
            "description": "Acme runs payroll for small US companies.",
            "services": [{"name": "Payroll", "does": "calculates gross-to-net pay and files payroll taxes"}],
            "subservice_organizations": [{"name": "AWS", "service": "cloud hosting"}],
            "commitments": {"uptime_sla_percent": 99.9, "confidentiality": True},
        }
    )


@pytest.fixture(scope="session")
def recommendation(profile: Profile) -> Recommendation:
    return recommend(profile, today=TODAY)
