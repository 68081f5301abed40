"""Headers that keep pages private and scripts our own; limits on reset e-mails; CSV exports quote every field."""

from __future__ import annotations

import re
from pathlib import Path

from django.core import mail
from django.test import Client

from socready.accounts.models import Membership, Organization, PasswordResetRequest, Role
from tests.integration.conftest import Personas
from tests.integration.test_tenant_access import tenant_urls  # noqa: F401 - the fixture is used by name

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "socready"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    templates = sorted(TEMPLATES.glob("**/templates/**/*.html"))
    assert len(templates) > 20
    offenders = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}" for path in templates
                 for pattern in (_INLINE_SCRIPT, _HANDLER_ATTRIBUTE)
                 for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_page_carries_a_script_policy_and_a_permissions_policy(client: Client, personas: Personas) -> None:
    for response in (client.get("/accounts/login/"), client.get("/o/acme/")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_signed_in_pages_and_downloads_are_not_stored(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    assert client.get("/o/acme/")["Cache-Control"] == "no-store"
    download = client.get("/o/acme/downloads/pbc/?format=csv")
    assert download.status_code == 200 and download.has_header("Content-Disposition")
    assert download["Cache-Control"] == "no-store"


def test_reset_emails_to_one_address_stop_at_the_hourly_limit(client: Client, personas: Personas,
                                                             settings: object) -> None:
    pages = [client.post("/accounts/password-reset/", {"email": "alice@example.test"}) for _ in range(6)]
    assert {page.status_code for page in pages} == {302}
    assert {page["Location"] for page in pages} == {"/accounts/password-reset/sent/"}  # the same every time
    assert len(mail.outbox) == 3
    assert PasswordResetRequest.objects.filter(account="alice@example.test", sent=False).count() == 3


def test_reset_requests_from_one_client_stop_at_their_limit(client: Client, personas: Personas,
                                                           settings: object) -> None:
    settings.RESET_MAX_PER_ADDRESS = 2  # type: ignore[attr-defined]
    for address in ("alice@example.test", "bob@example.test", "dana@example.test"):
        client.post("/accounts/password-reset/", {"email": address})
    assert len(mail.outbox) == 2


def test_the_pbc_csv_download_quotes_every_field(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.get("/o/acme/downloads/pbc/?format=csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    lines = body.decode("utf-8-sig").splitlines()
    assert lines and all(re.fullmatch(r'"[^"]*"(,"[^"]*")*', line) for line in lines), lines[:3]


def test_an_auditor_may_start_an_organization_of_their_own_and_stays_read_only_elsewhere(
        client: Client, personas: Personas) -> None:
    client.force_login(personas.dana)
    response = client.post("/organizations/new/", {"name": "Dana Audit LLP"})
    assert response.status_code == 302
    created = Organization.objects.get(slug="dana-audit-llp")
    assert Membership.objects.get(organization=created, user=personas.dana).role == Role.OWNER
    assert Membership.objects.get(organization=personas.acme, user=personas.dana).role == Role.AUDITOR


def test_every_tenant_page_is_private_and_under_the_script_policy(
        client: Client, personas: Personas, tenant_urls: list[tuple[str, str]]) -> None:  # noqa: F811
    client.force_login(personas.alice)
    for name, url in tenant_urls:
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", f"GET {name} {url}"
        assert response["Content-Security-Policy"].startswith("default-src 'self'"), f"GET {name} {url}"
