"""Several connector keys: the first encrypts, all decrypt; ``connectors rotate-key`` re-encrypts everything."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from socready.audit.models import AuditEvent
from socready.cli.main import app
from socready.connectors import services
from socready.connectors.crypto import CredentialsUnreadable, rotate_credentials, unseal
from socready.connectors.models import Connection

pytestmark = pytest.mark.django_db
OLD, NEW, LOST = (Fernet.generate_key().decode("ascii") for _ in range(3))


def _connection(org, name: str, secrets: dict[str, str]) -> Connection:  # type: ignore[no-untyped-def]
    stored = services.Settings({"organization": "acme"}, secrets)
    return services.create_connection(org, None, kind="github", name=name, stored=stored, test_first=False)


def _keys(settings, *keys: str) -> None:  # type: ignore[no-untyped-def]
    settings.CONNECTOR_KEYS, settings.CONNECTOR_KEY = keys, keys[0]


def test_a_new_key_first_still_reads_old_credentials_and_rotation_moves_them_to_it(personas, settings):  # type: ignore[no-untyped-def]
    _keys(settings, OLD)
    first = _connection(personas.acme, "github", {"token": "ghp_first-token"})
    second = _connection(personas.other, "github", {"token": "ghp_second-token"})
    _connection(personas.acme, "no-secrets", {})
    _keys(settings, NEW, OLD)
    assert services.stored_settings(first).secrets == {"token": "ghp_first-token"}  # the old key still opens it
    before = AuditEvent.objects.filter(model__icontains="connection", action="update").count()

    rotation = rotate_credentials()

    assert sorted(c.name for c in rotation.rotated) == ["github", "github"] and len(rotation.empty) == 1
    assert not rotation.unreadable
    _keys(settings, NEW)  # the old key dropped
    for connection, token in ((first, "ghp_first-token"), (second, "ghp_second-token")):
        connection.refresh_from_db()
        assert unseal(connection.credentials) == {"token": token}
    _keys(settings, OLD)
    with pytest.raises(CredentialsUnreadable):
        unseal(first.credentials)
    updates = AuditEvent.objects.filter(model__icontains="connection", action="update")
    assert updates.count() == before + 2
    assert all("ghp_" not in json.dumps([e.before, e.after]) for e in updates)
    assert {e.after["credentials"] for e in updates} == {"(hidden, replaced)"}


def test_credentials_no_key_opens_are_reported_and_left_alone(personas, settings):  # type: ignore[no-untyped-def]
    _keys(settings, LOST)
    lost = _connection(personas.acme, "lost", {"token": "ghp_lost"})
    sealed = bytes(lost.credentials)
    _keys(settings, NEW, OLD)
    kept = _connection(personas.acme, "kept", {"token": "ghp_kept"})

    rotation = rotate_credentials()

    assert [c.name for c in rotation.unreadable] == ["lost"] and [c.name for c in rotation.rotated] == ["kept"]
    lost.refresh_from_db()
    assert bytes(lost.credentials) == sealed
    assert unseal(Connection.objects.get(pk=kept.pk).credentials) == {"token": "ghp_kept"}


def test_the_rotate_key_command_reports_in_json_and_exits_1_on_unreadable_credentials(personas, settings):  # type: ignore[no-untyped-def]
    _keys(settings, OLD)
    connection = _connection(personas.acme, "github", {"token": "ghp_token"})
    _keys(settings, NEW, OLD)
    runner = CliRunner()
    dry = runner.invoke(app, ["connectors", "rotate-key", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout) == {"dry_run": True, "rotated": ["acme/github"], "without_credentials": [],
                                      "unreadable": []}
    _keys(settings, NEW)
    with pytest.raises(CredentialsUnreadable):  # the dry run changed nothing
        unseal(Connection.objects.get(pk=connection.pk).credentials)
    _keys(settings, NEW, OLD)
    done = runner.invoke(app, ["connectors", "rotate-key"])
    assert done.exit_code == 0 and "Re-encrypted the credentials of 1 connection(s)" in done.output
    _keys(settings, LOST)
    failed = runner.invoke(app, ["connectors", "rotate-key"])
    assert failed.exit_code == 1 and "acme/github: no configured key opens its credentials" in failed.output
