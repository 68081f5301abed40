"""The GitHub connector: branch protection, members' 2FA, Dependabot deadlines, and merged pull requests.

REST API v3 for the checks, signed in with a token or as a GitHub App installation (``github_auth``).
Merged pull requests and their reviews come from the GraphQL API, 100 a call (``github_changes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from socready.connectors import github_auth, github_changes
from socready.connectors.http import ApiClient, ApiError
from socready.core.connectors import github_checks as rules
from socready.core.connectors.checks import CheckResult, Outcome, ResourceResult, unjudged
from socready.core.connectors.plugin import Collection, CollectionError, ConnectionConfig, OptionSpec, PopulationRows
from socready.core.window import Window


def _sla(text: str) -> dict[str, int]:
    if not text:
        return dict(rules.DEFAULT_SLA_DAYS)
    days = dict(rules.DEFAULT_SLA_DAYS)
    for part in text.split(","):
        severity, _, value = part.partition("=")
        if not value.strip().isdigit():
            raise CollectionError(f"option dependabot_sla: {part.strip()!r} is not severity=days")
        days[severity.strip().lower()] = int(value)
    return days


class GitHubConnector:
    """Checks a GitHub organization and imports its merged pull requests as a change population."""

    kind = "github"
    label = "GitHub"
    checks = rules.CHECKS
    options = (
        OptionSpec("organization", "the GitHub organization's login, e.g. acme", required=True),
        OptionSpec("token", "a token that can read the organization, its repositories and Dependabot alerts "
                   "(or sign in as a GitHub App with the three settings below)", secret=True),
        OptionSpec("app_id", "GitHub App sign-in: the App's ID"),
        OptionSpec("installation_id", "GitHub App sign-in: the installation's ID in the organization"),
        OptionSpec("private_key", "GitHub App sign-in: the App's private key (.pem)", secret=True),
        OptionSpec("api_url", "the API address (GitHub Enterprise Server: https://HOST/api/v3)",
                   default="https://api.github.com"),
        OptionSpec("repositories", "only these repositories, comma separated (default: all not archived)"),
        OptionSpec("min_reviews", "approving reviews the default branch must require", default="1"),
        OptionSpec("dependabot_sla", "days per severity, e.g. critical=15,high=30,medium=90,low=180"),
        OptionSpec("import_changes", "import merged pull requests as a change population (yes/no)", default="yes"),
    )

    def client(self, config: ConnectionConfig) -> ApiClient:
        """An API client for the connection's address, signed in with its token or as its GitHub App."""
        api = ApiClient(config.option("api_url", "https://api.github.com"), github_auth.BASE_HEADERS,
                        timeout_s=config.timeout_s, max_attempts=config.max_attempts, service="GitHub")
        try:
            api.auth = github_auth.authorization(config, api)
        except CollectionError:
            api.close()
            raise
        return api

    def test(self, config: ConnectionConfig) -> str:
        """Read the organization once."""
        with self.client(config) as api:
            return self._organization(api, config.option("organization"))

    def _organization(self, api: ApiClient, org: str) -> str:
        try:
            data = api.get_json(f"/orgs/{org}")
        except ApiError as exc:
            raise CollectionError(f"GitHub organization {org!r} cannot be read: {exc}") from None
        return f"GitHub organization {data.get('login', org)}"

    def collect(self, config: ConnectionConfig) -> Collection:
        """Run the three checks and gather the window's merged pull requests."""
        org = config.option("organization")
        now = dt.datetime.now(dt.UTC)
        with self.client(config) as api:
            account = self._organization(api, org)
            repos = self._repositories(api, org, config)
            results = [
                self._protection(api, repos, int(config.option("min_reviews", "1") or 1)),
                self._members(api, org),
                self._dependabot(api, org, now, _sla(config.option("dependabot_sla"))),
            ]
            populations: tuple[PopulationRows, ...] = ()
            if config.option("import_changes", "yes").lower() not in ("no", "false", "0", "off"):
                populations = (rules.change_population(org, self.merged_changes(api, repos, config)),)
        return Collection(tuple(results), populations, account)

    def _repositories(self, api: ApiClient, org: str, config: ConnectionConfig) -> list[Mapping[str, Any]]:
        wanted = {r.strip() for r in config.option("repositories").split(",") if r.strip()}
        repos = [r for r in api.paginate(f"/orgs/{org}/repos", {"per_page": 100, "type": "all"})
                 if not r.get("archived")]
        if wanted:
            repos = [r for r in repos if r.get("name") in wanted or r.get("full_name") in wanted]
        return repos

    def _protection(self, api: ApiClient, repos: list[Mapping[str, Any]], min_reviews: int) -> CheckResult:
        judged: list[tuple[str, str, Mapping[str, Any] | None]] = []
        errors: list[ResourceResult] = []
        for repo in repos:
            name, branch = str(repo["full_name"]), str(repo.get("default_branch") or "main")
            try:
                judged.append((name, branch, api.get_json(f"/repos/{name}/branches/{branch}/protection")))
            except ApiError as exc:
                if exc.status == 404:
                    judged.append((name, branch, None))
                else:
                    errors.append(ResourceResult(name, Outcome.ERROR, str(exc)))
        result = rules.branch_protection(judged, min_reviews)
        return CheckResult(result.check, result.resources + tuple(errors))

    def _members(self, api: ApiClient, org: str) -> CheckResult:
        try:
            members = [str(m["login"]) for m in api.paginate(f"/orgs/{org}/members", {"per_page": 100})]
            without = [str(m["login"]) for m in api.paginate(f"/orgs/{org}/members",
                                                             {"per_page": 100, "filter": "2fa_disabled"})]
        except ApiError as exc:
            return unjudged(rules.MEMBERS_2FA, f"only an organization owner's token can see members' 2FA ({exc})")
        return rules.members_2fa(members, without)

    def _dependabot(self, api: ApiClient, org: str, now: dt.datetime, sla: Mapping[str, int]) -> CheckResult:
        try:
            alerts = list(api.paginate(f"/orgs/{org}/dependabot/alerts", {"state": "open", "per_page": 100}))
        except ApiError as exc:
            return unjudged(rules.DEPENDABOT_SLA, f"the token cannot read Dependabot alerts ({exc})")
        return rules.dependabot_sla(alerts, now, sla)

    def merged_changes(self, api: ApiClient, repos: list[Mapping[str, Any]], config: ConnectionConfig
                       ) -> list[tuple[str, Mapping[str, Any], list[str]]]:
        """(repository, pull request, approvers) for each pull request merged in the window."""
        window = config.window or Window(config.today - dt.timedelta(days=365), config.today)
        graphql = github_changes.GraphQL(api, github_changes.graphql_url(api.base_url))
        return github_changes.merged_changes(api, graphql, repos, window)
