"""Pages that only read answer 405 to a write, and the gap-to-task action to a read, after the tenant check.

The method is checked by Django's decorators (require_GET, require_safe, require_POST) inside the tenant
check, so an outsider still gets 404 and a read-only role 403 whatever the method.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.integration.conftest import Personas
from tests.integration.tenant_rows import ROW_MAKERS


@pytest.fixture
def read_only_urls(personas: Personas) -> list[str]:
    made: dict[str, Any] = {}
    for kind, make in ROW_MAKERS.items():
        made[kind] = make(personas, made)
    population, sample = made["population"].pk, made["sample"].pk
    return ["/o/acme/readiness/", "/o/acme/downloads/", "/o/acme/downloads/matrix/",
            f"/o/acme/populations/{population}/", f"/o/acme/populations/{population}/progress/",
            f"/o/acme/samples/{sample}/"]


def test_read_only_pages_refuse_a_post_from_a_member_who_may_write(
        client: Client, personas: Personas, read_only_urls: list[str]) -> None:
    client.force_login(personas.alice)
    for url in read_only_urls:
        assert client.get(url).status_code == 200, url
        refused = client.post(url)
        assert refused.status_code == 405, url
        assert "GET" in refused["Allow"], url


def test_read_only_pages_refuse_a_post_by_role_or_tenant_first(
        client: Client, personas: Personas, read_only_urls: list[str]) -> None:
    client.force_login(personas.dana)  # the auditor: a write is refused for the role, not the method
    for url in read_only_urls:
        assert client.post(url).status_code == 403, url
    client.force_login(personas.charlie)  # an outsider learns nothing, not even which methods a URL takes
    for url in read_only_urls:
        assert client.post(url).status_code == 404, url


def test_turning_a_gap_into_a_task_takes_a_post_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    refused = client.get("/o/acme/readiness/tasks/")
    assert refused.status_code == 405
    assert refused["Allow"] == "POST"
    client.force_login(personas.dana)
    assert client.get("/o/acme/readiness/tasks/").status_code == 403
    client.force_login(personas.charlie)
    assert client.get("/o/acme/readiness/tasks/").status_code == 404
