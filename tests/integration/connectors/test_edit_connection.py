"""Editing a connection in the web app: tested before saving, secrets never shown back, every change audited."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from socready.audit.models import AuditEvent
from socready.connectors import services
from socready.connectors.crypto import unseal
from socready.connectors.models import Connection
from tests.connector_servers import ProviderServer
from tests.github_api_extras import make_app
from tests.integration.connectors.test_github_okta import github_data

pytestmark = pytest.mark.django_db


def _connection(org, url: str) -> Connection:  # type: ignore[no-untyped-def]
    stored = services.Settings({"organization": "acme", "api_url": url, "min_reviews": "1"}, {"token": "good-token"})
    return services.create_connection(org, None, kind="github", name="github", stored=stored)


def _form(url: str, **changes: str) -> dict[str, str]:
    return {"name": "github", "schedule_hours": "24", "opt_organization": "acme", "opt_api_url": url,
            "opt_min_reviews": "1", "opt_token": "", "action": "save", **changes}


def _updates(connection: Connection) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(model="connectors.Connection", object_id=str(connection.pk),
                                          action="update").order_by("id"))


def test_an_owner_renames_and_reschedules_without_retyping_the_token_which_is_never_shown(personas, settings):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice)
    with ProviderServer(github_data()) as server:
        connection = _connection(personas.acme, server.url)
        sealed = bytes(connection.credentials)
        page = client.get(f"/o/acme/connections/{connection.pk}/edit/").content.decode()
        assert "good-token" not in page and "stored: leave blank to keep it" in page
        assert f'value="{server.url}"' in page  # plain options are shown as they are
        saved = client.post(f"/o/acme/connections/{connection.pk}/edit/",
                            _form(server.url, name="github-acme", schedule_hours="168", opt_min_reviews="2"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    connection.refresh_from_db()
    assert (connection.name, connection.schedule_hours, connection.options["min_reviews"]) == ("github-acme", 168, "2")
    assert bytes(connection.credentials) == sealed  # untouched, so no "replaced" in the trail
    (event,) = _updates(connection)
    assert event.actor_label == personas.alice.email
    assert event.after["name"] == "github-acme" and event.after["schedule_hours"] == 168
    assert event.after["options"]["min_reviews"] == "2" and "credentials" not in event.after


def test_replacing_the_token_is_tested_first_then_stored_encrypted_and_audited_as_hidden(personas, settings):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice)
    with ProviderServer(github_data()) as server:
        connection = _connection(personas.acme, server.url)
        server.data.token = "new-token"  # the old token was revoked
        refused = client.post(f"/o/acme/connections/{connection.pk}/edit/",
                              _form(server.url, name="renamed", opt_token="mistyped-token"))
        assert refused.status_code == 200 and "The test failed, nothing was changed" in refused.content.decode()
        assert "mistyped-token" not in refused.content.decode()
        connection.refresh_from_db()
        assert connection.name == "github" and unseal(connection.credentials) == {"token": "good-token"}
        saved = client.post(f"/o/acme/connections/{connection.pk}/edit/", _form(server.url, opt_token="new-token"))
    assert saved.status_code == 302
    connection.refresh_from_db()
    assert unseal(connection.credentials) == {"token": "new-token"}
    (event,) = _updates(connection)
    assert event.before == {"credentials": "(hidden)"} and event.after == {"credentials": "(hidden, replaced)"}
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")))
    assert "good-token" not in trail and "new-token" not in trail


def test_forgetting_the_token_and_entering_app_settings_switches_to_github_app_sign_in(personas, settings):  # type: ignore[no-untyped-def]
    data = github_data()
    data.app = make_app()
    client = Client()
    client.force_login(personas.alice)
    with ProviderServer(data) as server:
        connection = _connection(personas.acme, server.url)
        kept_both = client.post(f"/o/acme/connections/{connection.pk}/edit/", _form(
            server.url, opt_app_id=data.app.app_id, opt_installation_id=data.app.installation_id,
            opt_private_key=data.app.private_key_pem))
        assert "not both" in kept_both.content.decode()
        switched = client.post(f"/o/acme/connections/{connection.pk}/edit/", _form(
            server.url, forget_token="on", opt_app_id=data.app.app_id,
            opt_installation_id=data.app.installation_id, opt_private_key=data.app.private_key_pem))
    assert switched.status_code == 302
    connection.refresh_from_db()
    assert set(unseal(connection.credentials)) == {"private_key"}
    assert connection.options["app_id"] == data.app.app_id and data.app.tokens


def test_only_owners_and_admins_edit_and_outsiders_see_nothing(personas, settings):  # type: ignore[no-untyped-def]
    connection = Connection.objects.create(organization=personas.acme, kind="github", name="gh", options={})
    for user, status in ((personas.bob, 403), (personas.dana, 403), (personas.charlie, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(f"/o/acme/connections/{connection.pk}/edit/").status_code == status
        posted = client.post(f"/o/acme/connections/{connection.pk}/edit/", _form("http://x", name="x"))
        assert posted.status_code == status
    connection.refresh_from_db()
    assert connection.name == "gh"
