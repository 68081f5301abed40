"""Connections through the web and the command line: add (tested first), run, see the failing check everywhere."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from socready.audit.models import AuditEvent
from socready.cli.main import app
from socready.connectors import services, tasks
from socready.connectors.crypto import unseal
from socready.connectors.models import Connection, Run, RunStatus
from socready.programs.models import Control
from tests.connector_servers import ProviderServer
from tests.integration.connectors.conftest import adopt, running_engagement
from tests.integration.connectors.test_github_okta import github_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    adopt(personas.acme, running_engagement(personas.acme), ("IAM-05", "CHG-01", "VUL-02"))
    return personas.acme


def _form(url: str, token: str, action: str = "save") -> dict[str, str]:
    return {"name": "github-acme", "schedule_hours": "24", "opt_organization": "acme", "opt_token": token,
            "opt_api_url": url, "opt_min_reviews": "1", "opt_import_changes": "yes", "action": action}


def test_an_owner_adds_a_tested_connection_runs_it_and_sees_the_failing_check(acme, personas):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice)
    with ProviderServer(github_data()) as server:
        refused = client.post("/o/acme/connections/new/?kind=github", _form(server.url, "wrong-token"))
        assert refused.status_code == 200 and b"The test failed, nothing was saved" in refused.content
        assert not Connection.objects.exists()
        tested = client.post("/o/acme/connections/new/?kind=github", _form(server.url, "good-token", "test"))
        assert b"GitHub organization acme" in tested.content and not Connection.objects.exists()
        saved = client.post("/o/acme/connections/new/?kind=github", _form(server.url, "good-token"))
        connection = Connection.objects.get()
        assert saved.status_code == 302 and saved["Location"] == f"/o/acme/connections/{connection.pk}/"
        assert unseal(connection.credentials) == {"token": "good-token"}
        assert "token" not in connection.options
        client.post(f"/o/acme/connections/{connection.pk}/run/")
    run = Run.objects.get()
    assert run.status == RunStatus.OK, run.error
    page = client.get(f"/o/acme/connections/{connection.pk}/").content.decode()
    assert "good-token" not in page and "stored encrypted" in page
    assert "1 member without two-factor authentication: mallory" in page
    detail = client.get(f"/o/acme/connections/runs/{run.pk}/").content.decode()
    assert "mallory" in detail and "matches" in detail
    control = Control.objects.get(organization=acme, code="IAM-05")
    control_page = client.get(f"/o/acme/controls/{control.pk}/").content.decode()
    assert "Automated checks" in control_page and "mallory" in control_page
    dashboard = client.get("/o/acme/").content.decode()
    assert "Failing checks" in dashboard and "mallory" in dashboard
    trail = json.dumps(list(AuditEvent.objects.values("before", "after")))
    assert "good-token" not in trail and '"credentials": "(hidden)"' in trail


def test_a_failed_run_shows_on_the_dashboard(acme, personas):  # type: ignore[no-untyped-def]
    connection = Connection.objects.create(organization=acme, kind="github", name="broken",
                                           options={"organization": "acme", "api_url": "http://127.0.0.1:9"})
    run = tasks.run_now(connection)
    assert run.status == RunStatus.FAILED
    client = Client()
    client.force_login(personas.alice)
    dashboard = client.get("/o/acme/").content.decode()
    assert "Failed runs" in dashboard and "broken" in dashboard and "give a token" in dashboard


def test_auditors_read_runs_but_cannot_add_or_run_and_outsiders_see_nothing(acme, personas):  # type: ignore[no-untyped-def]
    connection = Connection.objects.create(organization=acme, kind="github", name="gh", options={})
    auditor = Client()
    auditor.force_login(personas.dana)
    assert auditor.get("/o/acme/connections/").status_code == 200
    assert auditor.get("/o/acme/connections/new/?kind=github").status_code == 403
    assert auditor.post(f"/o/acme/connections/{connection.pk}/run/").status_code == 403
    outsider = Client()
    outsider.force_login(personas.charlie)
    assert outsider.get(f"/o/acme/connections/{connection.pk}/").status_code == 404


def test_the_command_line_adds_lists_and_collects_with_the_documented_json(acme, monkeypatch):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    with ProviderServer(github_data()) as server:
        monkeypatch.setenv("GITHUB_TOKEN", "good-token")
        added = runner.invoke(app, ["connectors", "add", "github", "--org", "acme", "--name", "gh",
                                    "--endpoint-url", server.url, "--option", "organization=acme"])
        assert added.exit_code == 0, added.output
        bad = runner.invoke(app, ["connectors", "add", "github", "--org", "acme", "--name", "gh2",
                                  "--endpoint-url", server.url, "--option", "organization=acme",
                                  "--option", "token=wrong"])
        assert bad.exit_code == 2 and "401" in bad.output
        listed = runner.invoke(app, ["connectors", "list", "--org", "acme", "--json"])
        assert json.loads(listed.stdout)["connections"][0]["name"] == "gh"
        assert "good-token" not in listed.stdout
        collected = runner.invoke(app, ["collect", "--org", "acme", "--json"])
    assert collected.exit_code == 0, collected.output
    document = json.loads(collected.stdout)
    (run,) = document["runs"]
    assert set(run) == {"connector", "kind", "status", "error", "checks", "evidence"}
    assert (run["connector"], run["kind"], run["status"], run["error"]) == ("gh", "github", "ok", "")
    members = next(c for c in run["checks"] if c["id"] == "github.members-2fa")
    assert members == {"id": "github.members-2fa", "title": members["title"], "status": "fail",
                       "failing": ["mallory"], "controls": ["IAM-05"]}
    assert len(run["evidence"]) == 1
    unknown = CliRunner().invoke(app, ["collect", "--org", "acme", "--connector", "nope"])
    assert unknown.exit_code == 2


def test_a_scheduled_run_queues_the_next_one_and_a_stale_task_does_nothing(acme, settings):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    connection = Connection.objects.create(organization=acme, kind="github", name="gh", options={},
                                           schedule_hours=24)
    services._after_run(connection, Run(status=RunStatus.OK))
    tasks.schedule(connection)
    queued = DBTaskResult.objects.get()
    assert queued.run_after == connection.next_run_at
    assert tasks.scheduled_collection.call(connection.pk, "2000-01-01T00:00:00+00:00") == "superseded"
    failed = services.execute(services.queue_run(connection))  # no token: the run fails
    connection.refresh_from_db()
    assert failed.status == RunStatus.FAILED and connection.failures_in_a_row == 1
    wait = connection.next_run_at - failed.finished_at
    assert services.FIRST_RETRY * 0.9 < wait < services.FIRST_RETRY * 1.1  # backs off sooner than the schedule
