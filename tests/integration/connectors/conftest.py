"""Fixtures shared by the connector tests: moto for AWS, the local provider server, and Acme's program."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from socready.accounts.models import Organization
from socready.core.controls.library import default_library
from socready.programs.models import Control, Engagement
from tests.connector_servers import moto_server

AWS_KEYS = {"access_key_id": "AKIAEXAMPLEKEY000001", "secret_access_key": "a-secret-access-key-for-tests"}
CONTROLS = ("IAM-02", "IAM-04", "IAM-05", "IAM-06", "IAM-08", "LOG-01", "LOG-03", "DPE-01", "DPE-05", "NET-01",
            "NET-04", "BCP-01", "CHG-01", "VUL-02", "VUL-04")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def moto(moto_url: str) -> str:
    """moto with every service emptied, so each test starts from a fresh account."""
    httpx.post(f"{moto_url}/moto-api/reset", timeout=10).raise_for_status()
    return moto_url


def boto(url: str, service: str, region: str = "us-east-1") -> Any:
    """A real boto3 client pointed at moto."""
    import boto3

    return boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id="testing",
                        aws_secret_access_key="testing")  # noqa: S106


def adopt(org: Organization, engagement: Engagement | None = None, codes: tuple[str, ...] = CONTROLS) -> list[Control]:
    """Adopt library controls as rows (status operating), serving ``engagement``."""
    library = {c.id: c for c in default_library()}
    rows = []
    for code in codes:
        entry = library[code]
        row = Control.objects.create(organization=org, code=code, library_id=code, title=entry.title,
                                     frequency=entry.frequency, criteria=list(entry.criteria),
                                     objectives=list(entry.objectives), status="operating")
        if engagement is not None:
            row.engagements.add(engagement)
        rows.append(row)
    return rows


def running_engagement(org: Organization, today: dt.date | None = None) -> Engagement:
    """A SOC 2 Type II whose window runs from 60 days ago to 120 days ahead."""
    today = today or dt.date.today()
    return Engagement.objects.create(organization=org, report="soc2", report_type="type2",
                                     period_start=today - dt.timedelta(days=60),
                                     period_end=today + dt.timedelta(days=120), categories=["Security"])
