"""The Okta connector: users without an active second factor, the admin count, and deprovisioned users.

Okta rather than Google Workspace: an Okta API token is one header (``Authorization: SSWS ...``) where
Google needs a service account with domain-wide delegation and signed JWTs; Okta pages with the same Link
header as GitHub; and its user records carry ``DEPROVISIONED`` with the date the status changed, which is
exactly what a terminations population needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from socready.connectors.http import ApiClient, ApiError
from socready.core.connectors import okta_checks as rules
from socready.core.connectors.checks import CheckResult, unjudged
from socready.core.connectors.plugin import Collection, CollectionError, ConnectionConfig, OptionSpec, PopulationRows

# Statuses of people who can sign in (or are about to); staged and deprovisioned users cannot.
SIGNING_IN = ("ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY")
FACTOR_WORKERS = 8


class OktaConnector:
    """Checks an Okta organization and imports its deprovisioned users as a terminations population."""

    kind = "okta"
    label = "Okta"
    checks = rules.CHECKS
    options = (
        OptionSpec("org_url", "the Okta organization's address, e.g. https://acme.okta.com", required=True),
        OptionSpec("api_token", "an Okta API token of a read-only administrator", required=True, secret=True),
        OptionSpec("max_admins", "how many people may hold admin roles", default=str(rules.DEFAULT_MAX_ADMINS)),
        OptionSpec("import_terminations", "import deprovisioned users as a terminations population (yes/no)",
                   default="yes"),
    )

    def client(self, config: ConnectionConfig) -> ApiClient:
        """An API client for the connection's address and token."""
        headers = {"Accept": "application/json", "Authorization": f"SSWS {config.secrets.get('api_token', '')}",
                   "User-Agent": "socready"}
        return ApiClient(config.option("org_url"), headers, timeout_s=config.timeout_s,
                         max_attempts=config.max_attempts, service="Okta")

    def test(self, config: ConnectionConfig) -> str:
        """Read the token's own user."""
        with self.client(config) as api:
            try:
                me = api.get_json("/api/v1/users/me")
            except ApiError as exc:
                raise CollectionError(f"the Okta organization cannot be read: {exc}") from None
        return f"Okta organization {config.option('org_url')} (as {rules.login_of(me)})"

    def collect(self, config: ConnectionConfig) -> Collection:
        """Run both checks and gather the window's deprovisioned users."""
        try:
            max_admins = int(config.option("max_admins", str(rules.DEFAULT_MAX_ADMINS)))
        except ValueError:
            raise CollectionError("option max_admins must be a whole number") from None
        with self.client(config) as api:
            account = self.test(config)
            users = [u for u in api.paginate("/api/v1/users", {"limit": 200}) if u.get("status") in SIGNING_IN]
            results = [self._mfa(api, users), self._admins(api, users, max_admins)]
            populations: tuple[PopulationRows, ...] = ()
            if config.option("import_terminations", "yes").lower() not in ("no", "false", "0", "off"):
                gone = api.paginate("/api/v1/users", {"limit": 200, "filter": 'status eq "DEPROVISIONED"'})
                populations = (rules.terminations(config.option("org_url").split("//")[-1], gone, config.window),)
        return Collection(tuple(results), populations, account)

    def _mfa(self, api: ApiClient, users: list[Mapping[str, Any]]) -> CheckResult:
        def factors(user: Mapping[str, Any]) -> list[Mapping[str, Any]]:
            return list(api.paginate(f"/api/v1/users/{user['id']}/factors"))

        try:
            with ThreadPoolExecutor(max_workers=FACTOR_WORKERS) as pool:
                enrolled = list(pool.map(factors, users))
        except ApiError as exc:
            return unjudged(rules.USERS_MFA, f"the token cannot read users' factors ({exc})")
        return rules.users_mfa(list(zip(users, enrolled, strict=True)))

    def _admins(self, api: ApiClient, users: list[Mapping[str, Any]], max_admins: int) -> CheckResult:
        logins = {str(u.get("id")): rules.login_of(u) for u in users}
        try:
            assignees = list(api.paginate("/api/v1/iam/assignees/users", {"limit": 200}, key="value"))
        except ApiError as exc:
            return unjudged(rules.ADMIN_COUNT, f"the token cannot list admin role assignments ({exc})")
        return rules.admin_count([logins.get(str(a.get("id")), str(a.get("id"))) for a in assignees], max_admins)
