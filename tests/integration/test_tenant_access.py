"""Every tenant URL, generated from the URL configuration: outsiders get 404, auditors cannot write,
and every form needs its CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from socready.audit.models import AuditEvent
from tests.integration.conftest import Personas
from tests.integration.tenant_rows import AUDITOR_MAY_POST, MANAGERS_ONLY, ROW_MAKERS

TENANT_PREFIX = "o/<slug:slug>/"


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found.extend(_patterns(entry, prefix + str(entry.pattern)))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def tenant_patterns() -> list[tuple[str, URLPattern]]:
    return [(route, p) for route, p in _patterns(get_resolver()) if route.startswith(TENANT_PREFIX)]


@pytest.fixture
def tenant_urls(personas: Personas) -> list[tuple[str, str]]:
    """Concrete URLs for every tenant pattern, pointing at real rows of Acme."""
    made: dict[str, Any] = {}
    for kind, make in ROW_MAKERS.items():
        made[kind] = make(personas, made)
    ids = {kind: row.pk for kind, row in made.items()}
    urls = []
    for route, pattern in tenant_patterns():
        path = "/" + route
        for converter, value in (("<slug:slug>", "acme"), ("<int:step>", "1")):
            path = path.replace(converter, value)
        if "<int:pk>" in path:
            kind = pattern.name.split("-")[0]
            assert kind in ids, f"no test row for URL {pattern.name}; register a maker in tenant_rows.py"
            path = path.replace("<int:pk>", str(ids[kind]))
        assert "<" not in path, f"unfilled converter in {path}"
        urls.append((pattern.name, path))
    return urls


def test_the_url_walk_covers_the_tenant_screens(tenant_urls: list[tuple[str, str]]) -> None:
    names = {name for name, _ in tenant_urls}
    assert {"org-dashboard", "control-list", "control-detail", "scoping-wizard", "task-edit", "audit-log",
            "member-list"} <= names


def test_outsider_gets_404_on_every_tenant_url(client: Client, personas: Personas,
                                               tenant_urls: list[tuple[str, str]]) -> None:
    client.force_login(personas.charlie)
    for name, url in tenant_urls:
        assert client.get(url).status_code == 404, f"GET {name} {url}"
        assert client.post(url, {"title": "x"}).status_code == 404, f"POST {name} {url}"


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, tenant_urls: list[tuple[str, str]]) -> None:
    for name, url in tenant_urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_auditor_reads_but_every_write_is_refused_and_changes_nothing(
        client: Client, personas: Personas, tenant_urls: list[tuple[str, str]]) -> None:
    client.force_login(personas.dana)
    before = AuditEvent.objects.count()
    for name, url in tenant_urls:
        if name in AUDITOR_MAY_POST:
            continue
        response = client.post(url, {"title": "changed by auditor", "status": "operating", "code": "X",
                                     "email": "x@example.test", "role": "owner"})
        assert response.status_code == 403, f"POST {name} {url} gave {response.status_code}"
    assert AuditEvent.objects.count() == before
    assert client.get("/o/acme/controls/").status_code == 200


def test_contributor_cannot_use_the_managers_only_screens(client: Client, personas: Personas,
                                                         tenant_urls: list[tuple[str, str]]) -> None:
    client.force_login(personas.bob)
    before = AuditEvent.objects.count()
    walked = {name for name, _ in tenant_urls}
    assert walked >= MANAGERS_ONLY, f"not in the URL walk: {MANAGERS_ONLY - walked}"
    for name, url in tenant_urls:
        if name in MANAGERS_ONLY:
            assert client.post(url).status_code == 403, f"POST {name} {url}"
    assert AuditEvent.objects.count() == before


def test_every_form_requires_its_csrf_token(personas: Personas, tenant_urls: list[tuple[str, str]]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice)
    for name, url in tenant_urls:
        response = client.post(url, {"title": "no token"})
        assert response.status_code == 403, f"POST {name} {url} without CSRF gave {response.status_code}"
        assert b"CSRF" in response.content, name


def test_reading_any_page_as_the_auditor_writes_nothing(
        client: Client, personas: Personas, tenant_urls: list[tuple[str, str]]) -> None:
    client.force_login(personas.dana)
    before = AuditEvent.objects.count()
    for name, url in tenant_urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), f"GET {name} {url} gave {response.status_code}"
        assert AuditEvent.objects.count() == before, f"GET {name} {url} changed data"
