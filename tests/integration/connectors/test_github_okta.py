"""The GitHub and Okta connectors against a local API server: checks, populations, and every failure mode."""

from __future__ import annotations

import datetime as dt
import time

import jsonschema
import pytest

from socready.connectors import services
from socready.connectors.models import Connection, Run, RunStatus
from socready.core.connectors.plugin import CollectionError
from socready.evidence.models import EvidenceItem, ImportState, Population
from tests.connector_servers import (
    Fault,
    ProviderData,
    ProviderServer,
    github_alert,
    github_protection,
    github_pull,
    github_repo,
    github_review,
    github_user,
    okta_factor,
    okta_user,
    validate,
)
from tests.integration.connectors.conftest import adopt, running_engagement

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _iso(days_ago: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def github_data() -> ProviderData:
    data = ProviderData()
    data.repos = [github_repo("acme", "api"), github_repo("acme", "web"), github_repo("acme", "docs"),
                  github_repo("acme", "old", archived=True)]
    data.protections = {"acme/api": github_protection(1), "acme/web": github_protection(0)}
    data.members = [github_user(f"dev{i:03d}") for i in range(130)] + [github_user("mallory")]
    data.without_2fa = {"mallory"}
    data.alerts = [github_alert("acme/api", 1, "critical", _iso(20)), github_alert("acme/web", 2, "low", _iso(10)),
                   github_alert("acme/web", 3, "high", _iso(200), state="fixed")]
    data.pulls = {"acme/api": [
        github_pull("acme/api", 12, author="dev001", merged_at=_iso(1), updated_at=_iso(1)),
        github_pull("acme/api", 11, author="dev002", merged_at=_iso(3), updated_at=_iso(3)),
        github_pull("acme/api", 10, author="dev003", merged_at=None, updated_at=_iso(4)),
        github_pull("acme/api", 9, author="dev004", merged_at=_iso(400), updated_at=_iso(400)),
    ]}
    data.reviews = {"acme/api#12": [github_review("dev005", "APPROVED", 1)],
                    "acme/api#11": [github_review("dev002", "APPROVED", 2),  # the author's own approval
                                    github_review("dev006", "APPROVED", 3),
                                    github_review("dev006", "CHANGES_REQUESTED", 4)]}
    return data


def okta_data() -> ProviderData:
    data = ProviderData()
    users = [okta_user(f"00u{i:04d}", f"user{i:04d}@acme.test") for i in range(205)]
    users.append(okta_user("00u-bob", "bob@acme.test"))
    users.append(okta_user("00u-gone", "gone@acme.test", "DEPROVISIONED", _iso(5).replace("Z", ".000Z")))
    users.append(okta_user("00u-long-gone", "old@acme.test", "DEPROVISIONED", _iso(900).replace("Z", ".000Z")))
    data.okta_users = users
    data.factors = {u["id"]: [okta_factor("token:software:totp")] for u in users}
    data.factors["00u-bob"] = [okta_factor("question"), okta_factor("push", "PENDING_ACTIVATION")]
    data.admins = ["00u0001", "00u0002", "00u0003"]
    data.me = "00u0001"
    return data


def _github(org, server: ProviderServer, token: str = "good-token", **options: str) -> Connection:  # type: ignore[no-untyped-def]  # noqa: S107
    stored = services.Settings({"organization": "acme", "api_url": server.url, **options}, {"token": token})
    return services.create_connection(org, None, kind="github", name="github", stored=stored)


def _okta(org, server: ProviderServer, **options: str) -> Connection:  # type: ignore[no-untyped-def]
    stored = services.Settings({"org_url": server.url, "max_admins": "2", **options}, {"api_token": "good-token"})
    return services.create_connection(org, None, kind="okta", name="okta", stored=stored)


def _run(connection: Connection) -> Run:
    return services.execute(services.queue_run(connection))


@pytest.fixture
def acme(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.CONNECTOR_TIMEOUT_S = 5
    adopt(personas.acme, running_engagement(personas.acme))
    return personas.acme


def test_github_checks_name_failing_repositories_members_and_alerts_and_import_merged_changes(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        run = _run(_github(acme, server))
        requests = list(server.requests)
    assert run.status == RunStatus.OK, run.error
    checks = {c.check_id: c for c in run.checks.all()}
    assert checks["github.branch-protection"].failing == ["acme/web", "acme/docs"]
    assert checks["github.members-2fa"].failing == ["mallory"]
    assert len(checks["github.members-2fa"].resources) == 131  # both pages of members, through the Link header
    assert any("/orgs/acme/members?" in r and "page=2" in r for r in requests)
    assert checks["github.dependabot-sla"].failing == ["acme/api#1"]
    population = Population.objects.get(pk=run.population_ids[0])
    assert population.state == ImportState.DONE and population.kind == "changes"
    assert population.control.code == "CHG-01" and population.rows == 2  # merged in the window only
    assert len(population.sha256) == 64 and population.record["rows"] == 2
    with open(_blob(population), encoding="utf-8") as handle:
        text = handle.read()
    assert "acme/api#12" in text and "dev005" in text
    line_11 = next(line for line in text.splitlines() if line.startswith("acme/api#11"))
    assert ",no," in line_11  # the author's approval does not count and dev006's latest review asked for changes


def _blob(population: Population) -> str:
    from socready.storage.blobs import LocalBlobStore, blob_store

    store = blob_store()
    assert isinstance(store, LocalBlobStore)
    return str(store.path(population.sha256))


def test_a_wrong_github_token_is_refused_before_saving_and_fails_a_later_run(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        with pytest.raises(CollectionError, match=r"GitHub refused the credentials \(401"):
            _github(acme, server, token="wrong-token")
        assert not Connection.objects.exists()
        connection = _github(acme, server)
        server.data.token = "rotated"
        run = _run(connection)
    assert run.status == RunStatus.FAILED and "GitHub refused the credentials (401" in run.error
    assert "good-token" not in run.error
    assert not EvidenceItem.objects.exists() and not run.checks.exists()


@pytest.mark.parametrize("status", [429, 403])
def test_rate_limits_with_retry_after_are_waited_out(acme, status):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        connection = _github(acme, server)
        server.fail_next("/orgs/acme/members", Fault(status, {"Retry-After": "1"}))
        started = time.monotonic()
        run = _run(connection)
        elapsed = time.monotonic() - started
    assert run.status == RunStatus.OK, run.error
    assert elapsed >= 1.0
    assert {c.check_id: c for c in run.checks.all()}["github.members-2fa"].failing == ["mallory"]


def test_a_rate_limit_longer_than_the_run_may_wait_fails_the_run(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        connection = _github(acme, server)
        server.fail_next("/orgs/acme/repos", Fault(429, {"Retry-After": "3600"}))
        run = _run(connection)
    assert run.status == RunStatus.FAILED and "rate limiting this connection for 3600 s" in run.error


def test_server_errors_are_retried_with_back_off(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        connection = _github(acme, server)
        server.fail_next("/orgs/acme/dependabot", Fault(503), Fault(502))
        run = _run(connection)
        tries = [r for r in server.requests if r.startswith("/orgs/acme/dependabot")]
    assert run.status == RunStatus.OK, run.error
    assert len(tries) == 3


def test_server_errors_that_do_not_stop_fail_the_run(acme, settings):  # type: ignore[no-untyped-def]
    settings.CONNECTOR_MAX_ATTEMPTS = 2
    with ProviderServer(github_data()) as server:
        connection = _github(acme, server)
        server.fail_next("/orgs/acme/repos", Fault(500), Fault(500), Fault(500))
        run = _run(connection)
    assert run.status == RunStatus.FAILED
    assert "GitHub failed with 500" in run.error and "after 2 attempts" in run.error
    assert not EvidenceItem.objects.exists()


def test_a_slow_response_hits_the_timeout_and_fails_the_run(acme, settings):  # type: ignore[no-untyped-def]
    with ProviderServer(github_data()) as server:
        connection = _github(acme, server)
        settings.CONNECTOR_TIMEOUT_S, settings.CONNECTOR_MAX_ATTEMPTS = 1, 1
        server.fail_next("/orgs/acme/repos", Fault(delay_s=2.5))
        run = _run(connection)
    assert run.status == RunStatus.FAILED and "GitHub did not answer within 1 s" in run.error


def test_okta_checks_users_without_mfa_and_admins_and_imports_terminations(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(okta_data()) as server:
        run = _run(_okta(acme, server))
        requests = list(server.requests)
    assert run.status == RunStatus.OK, run.error
    checks = {c.check_id: c for c in run.checks.all()}
    assert checks["okta.users-mfa"].failing == ["bob@acme.test"]
    assert len(checks["okta.users-mfa"].resources) == 206  # two pages of users
    assert any(r.startswith("/api/v1/users?") and "page=2" in r for r in requests)
    assert checks["okta.admin-count"].failing == ["user0003@acme.test"]
    population = Population.objects.get(pk=run.population_ids[0])
    assert (population.kind, population.control.code, population.rows) == ("terminations", "IAM-02", 1)
    assert population.state == ImportState.DONE


def test_a_wrong_okta_token_is_refused(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(okta_data()) as server:
        stored = services.Settings({"org_url": server.url}, {"api_token": "nope"})
        with pytest.raises(CollectionError, match=r"Okta refused the credentials \(401.*Invalid token provided"):
            services.create_connection(acme, None, kind="okta", name="okta", stored=stored)


def test_the_fixtures_follow_the_published_shapes_and_a_wrong_one_is_caught() -> None:
    data = github_data()
    for repo in data.repos:
        validate("github", "repository", repo)
    with pytest.raises(jsonschema.ValidationError):
        validate("github", "dependabot_alert", {**data.alerts[0], "state": "ignored"})
    with pytest.raises(jsonschema.ValidationError):
        validate("okta", "user", {"id": "x", "status": "GONE", "statusChanged": None, "profile": {"login": "a"}})
    validate("okta", "role_assignees", {"value": [{"id": "00u1", "orn": "orn:okta:directory:1:users:00u1"}],
                                        "_links": {}})
