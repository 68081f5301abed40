"""GitHub: merged pull requests through GraphQL (100 a call), and signing in as a GitHub App installation."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from graphql import parse, validate

from socready.audit.models import AuditEvent
from socready.connectors import services
from socready.connectors.github_auth import load_private_key
from socready.connectors.github_changes import MERGED_QUERY, GraphQL, graphql_url
from socready.connectors.http import ApiClient
from socready.connectors.models import Connection, Run, RunStatus
from socready.core.connectors.plugin import CollectionError
from socready.evidence.models import Population
from tests.connector_servers import (
    Fault,
    ProviderData,
    ProviderServer,
    github_pull,
    github_repo,
    github_review,
    github_user,
)
from tests.github_api_extras import github_schema, make_app
from tests.integration.connectors.conftest import adopt, running_engagement

pytestmark = pytest.mark.django_db


def _iso(hours_ago: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def changes_data(merged: int = 250) -> ProviderData:
    """``merged`` pull requests merged in the window (every third approved by someone else), plus noise."""
    data = ProviderData()
    data.repos = [github_repo("acme", "api")]
    data.members = [github_user("dev")]
    pulls = [github_pull("acme/api", n, author="author", merged_at=_iso(n), updated_at=_iso(n))
             for n in range(1, merged + 1)]
    pulls.append(github_pull("acme/api", 9001, author="author", merged_at=None, updated_at=_iso(0.5)))  # closed
    pulls.append(github_pull("acme/api", 9002, author="author", merged_at=_iso(24 * 400),
                             updated_at=_iso(24 * 400)))  # before the window
    data.pulls = {"acme/api": sorted(pulls, key=lambda p: p["updated_at"], reverse=True)}
    data.reviews = {f"acme/api#{n}": [github_review("reviewer", "APPROVED", n)] for n in range(1, merged + 1, 3)}
    return data


@pytest.fixture
def acme(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.CONNECTOR_TIMEOUT_S = 10
    adopt(personas.acme, running_engagement(personas.acme))
    return personas.acme


def _run(connection: Connection) -> Run:
    return services.execute(services.queue_run(connection))


def _rows(run: Run) -> dict[str, dict[str, str]]:
    import csv

    from socready.storage.blobs import blob_store

    population = Population.objects.get(pk=run.population_ids[0])
    with blob_store().open(population.sha256) as handle:
        return {r["change_id"]: r for r in csv.DictReader(handle.read().decode("utf-8").splitlines())}


def test_merged_pull_requests_and_their_reviews_come_100_to_a_graphql_call(acme):  # type: ignore[no-untyped-def]
    with ProviderServer(changes_data(250)) as server:
        stored = services.Settings({"organization": "acme", "api_url": server.url}, {"token": "good-token"})
        run = _run(services.create_connection(acme, None, kind="github", name="github", stored=stored))
        requests = list(server.requests)
    assert run.status == RunStatus.OK, run.error
    assert requests.count("/graphql") == 3  # 250 merged pull requests, 100 a page
    assert not [r for r in requests if "/reviews" in r or "/pulls" in r]  # no REST call per pull request
    rows = _rows(run)
    assert len(rows) == 250 and "acme/api#9001" not in rows and "acme/api#9002" not in rows
    assert rows["acme/api#1"]["approvers"] == "reviewer" and rows["acme/api#2"]["approvers"] == ""


def test_a_pull_request_with_more_than_100_reviews_has_the_rest_read_through_rest(acme):  # type: ignore[no-untyped-def]
    data = changes_data(2)
    data.reviews["acme/api#2"] = ([github_review(f"commenter{n}", "COMMENTED", n) for n in range(100)]
                                  + [github_review("late", "APPROVED", 101)])
    with ProviderServer(data) as server:
        stored = services.Settings({"organization": "acme", "api_url": server.url}, {"token": "good-token"})
        run = _run(services.create_connection(acme, None, kind="github", name="github", stored=stored))
        requests = list(server.requests)
    assert run.status == RunStatus.OK, run.error
    assert [r for r in requests if "/reviews" in r] == ["/repos/acme/api/pulls/2/reviews?per_page=100",
                                                         "/repos/acme/api/pulls/2/reviews?per_page=100&page=2"]
    assert _rows(run)["acme/api#2"]["approvers"] == "late"


def test_the_query_is_valid_against_githubs_schema_and_a_page_over_100_is_refused() -> None:
    assert validate(github_schema(), parse(MERGED_QUERY)) == []
    with ProviderServer(changes_data(5)) as server, ApiClient(server.url, {"Authorization": "Bearer good-token"},
                                                              service="GitHub") as api:
        graphql = GraphQL(api, graphql_url(server.url))
        with pytest.raises(CollectionError, match="exceeds the `first` limit of 100"):
            graphql.query(MERGED_QUERY.replace("first: 100, after", "first: 101, after"),
                          {"owner": "acme", "name": "api"})
        with pytest.raises(CollectionError, match="Cannot query field 'mergedBye'"):
            graphql.query(MERGED_QUERY.replace("mergedAt", "mergedBye"), {"owner": "acme", "name": "api"})


RATE_LIMITED = {"data": None, "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user"}]}


def test_an_exhausted_graphql_allowance_is_waited_out_until_its_reset_or_fails_the_run_when_too_far() -> None:
    waits: list[float] = []
    with ProviderServer(changes_data(5)) as server, ApiClient(server.url, {"Authorization": "Bearer good-token"},
                                                              service="GitHub", sleep=waits.append) as api:
        graphql = GraphQL(api, graphql_url(server.url))
        soon = str(int(time.time()) + 30)
        server.fail_next("/graphql", Fault(200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": soon},
                                           body=RATE_LIMITED))
        nodes = list(graphql.merged("acme/api"))
        assert len(nodes) == 6 and len(waits) == 1 and 25 <= waits[0] <= 30  # 5 merged in the window, 1 before
        later = str(int(time.time()) + 3600)
        server.fail_next("/graphql", Fault(200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": later},
                                           body=RATE_LIMITED))
        with pytest.raises(CollectionError, match=r"rate limiting GraphQL queries for 3\d\d\d s more"):
            list(graphql.merged("acme/api"))


def test_the_graphql_address_of_github_and_of_an_enterprise_server() -> None:
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url("https://git.acme.test/api/v3/") == "https://git.acme.test/api/graphql"


# ---- GitHub App ----------------------------------------------------------------------------------------------

def _app_settings(server: ProviderServer, key: str) -> services.Settings:
    app = server.data.app
    assert app is not None
    return services.Settings({"organization": "acme", "api_url": server.url, "app_id": app.app_id,
                              "installation_id": app.installation_id}, {"private_key": key})


def test_a_github_app_signs_in_with_a_signed_jwt_and_collects_with_its_installation_token(acme):  # type: ignore[no-untyped-def]
    data = changes_data(3)
    data.app = make_app()
    with ProviderServer(data) as server:
        connection = services.create_connection(acme, None, kind="github", name="github-app",
                                                stored=_app_settings(server, data.app.private_key_pem))
        run = _run(connection)
    assert run.status == RunStatus.OK, run.error
    assert len(_rows(run)) == 3
    assert len(data.app.tokens) == 2  # one for the test before saving, one for the run: renewed only when due
    connection.refresh_from_db()
    assert "private_key" not in connection.options and b"PRIVATE KEY" not in bytes(connection.credentials)
    assert services.stored_settings(connection).secrets == {"private_key": data.app.private_key_pem}
    trail = " ".join(f"{e.before} {e.after}" for e in AuditEvent.objects.filter(organization=acme))
    assert "PRIVATE KEY" not in trail and data.app.app_id in trail


def test_an_installation_token_is_renewed_before_it_expires(acme):  # type: ignore[no-untyped-def]
    data = changes_data(3)
    data.app = make_app()
    data.app.token_lifetime_s = 299  # inside the five minutes of margin: every call needs a new one
    with ProviderServer(data) as server:
        connection = services.create_connection(acme, None, kind="github", name="github-app",
                                                stored=_app_settings(server, data.app.private_key_pem),
                                                test_first=False)
        run = _run(connection)
    assert run.status == RunStatus.OK, run.error
    assert len(data.app.tokens) > 5


def test_a_jwt_signed_with_another_key_is_refused_with_401_and_nothing_is_saved(acme):  # type: ignore[no-untyped-def]
    data = changes_data(1)
    data.app = make_app()
    other = make_app()
    refused = r"401.*JSON web token could not be decoded.*check app_id"
    with ProviderServer(data) as server, pytest.raises(CollectionError, match=refused):
        services.create_connection(acme, None, kind="github", name="github-app",
                                   stored=_app_settings(server, other.private_key_pem))
    assert not Connection.objects.exists() and not data.app.tokens


def test_an_unknown_installation_is_named(acme):  # type: ignore[no-untyped-def]
    data = changes_data(1)
    data.app = make_app()
    with ProviderServer(data) as server:
        stored = _app_settings(server, data.app.private_key_pem)
        stored.options["installation_id"] = "1"
        with pytest.raises(CollectionError, match="installation 1 a token.*404"):
            services.create_connection(acme, None, kind="github", name="github-app", stored=stored)


@pytest.mark.parametrize(("options", "secrets", "message"), [
    ({}, {}, "give a token, or app_id, installation_id and private_key"),
    ({"app_id": "1"}, {"private_key": "x"}, "missing: installation_id"),
    ({"app_id": "1", "installation_id": "2"}, {"private_key": "x", "token": "t"}, "not both"),
    ({"app_id": "1", "installation_id": "2"}, {"private_key": "not a key"}, "paste the GitHub App's private key"),
])
def test_incomplete_or_mixed_sign_in_settings_are_refused(acme, options, secrets, message):  # type: ignore[no-untyped-def]
    stored = services.Settings({"organization": "acme", "api_url": "http://127.0.0.1:9", **options}, secrets)
    with pytest.raises(CollectionError, match=message):
        services.create_connection(acme, None, kind="github", name="github", stored=stored)


def test_a_private_key_pasted_on_one_line_is_read() -> None:
    pem = make_app().private_key_pem
    assert load_private_key(pem.replace("\n", " ")).key_size == 2048
    assert load_private_key(pem.replace("\n", "")).key_size == 2048  # a browser's password field drops line breaks


def test_an_api_out_of_reach_is_not_blamed_on_the_app_id_or_key(acme, settings):  # type: ignore[no-untyped-def]
    settings.CONNECTOR_MAX_ATTEMPTS = 1
    data = changes_data(1)
    data.app = make_app()
    with ProviderServer(data) as server:
        stored = _app_settings(server, data.app.private_key_pem)
    # The server has stopped: nothing answers at its address any more.
    with pytest.raises(CollectionError, match="could not reach GitHub") as refused:
        services.create_connection(acme, None, kind="github", name="github-app", stored=stored)
    assert "check app_id" not in str(refused.value) and not Connection.objects.exists()
