"""Merged pull requests with their reviews, read through GitHub's GraphQL API, 100 a page.

The REST API needs one call per pull request for its reviews: a Type II window of 5,000 merged pull
requests would cost 5,000 calls, the whole hourly allowance of a token. One GraphQL query returns 100
pull requests with up to 100 reviews each, so the same window takes 50 calls. A pull request with more
reviews than that (rare) has the rest read through REST. Each node is turned into the REST shape the
rules in ``core.connectors.github_checks`` read, so both paths feed the same population.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from socready.connectors.http import ApiClient
from socready.core.connectors import github_checks as rules
from socready.core.connectors.plugin import CollectionError
from socready.core.window import Window

PAGE = 100
MERGED_QUERY = """
query MergedPullRequests($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: [MERGED], first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        title
        url
        createdAt
        updatedAt
        mergedAt
        baseRefName
        author { login }
        reviews(first: 100) {
          pageInfo { hasNextPage }
          nodes { author { login } state submittedAt }
        }
      }
    }
  }
  rateLimit { cost remaining resetAt }
}
"""


def graphql_url(api_url: str) -> str:
    """The GraphQL endpoint beside a REST address: api.github.com/graphql, or HOST/api/graphql on a server."""
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):
        return base[: -len("/v3")] + "/graphql"
    return base + "/graphql"


def _login(actor: Any) -> str:
    # A deleted account ("ghost") comes back as a null author.
    return str(actor.get("login") or "") if isinstance(actor, dict) else ""


def rest_pull(node: Mapping[str, Any]) -> dict[str, Any]:
    """A GraphQL PullRequest node in the REST shape (number, title, user.login, merged_at, html_url, ...)."""
    return {"number": node.get("number"), "title": node.get("title"), "html_url": node.get("url"),
            "created_at": node.get("createdAt"), "updated_at": node.get("updatedAt"),
            "merged_at": node.get("mergedAt"), "base": {"ref": node.get("baseRefName")},
            "user": {"login": _login(node.get("author"))}}


def rest_review(node: Mapping[str, Any]) -> dict[str, Any]:
    """A GraphQL PullRequestReview node in the REST shape (user.login, state, submitted_at)."""
    return {"user": {"login": _login(node.get("author"))}, "state": node.get("state"),
            "submitted_at": node.get("submittedAt")}


class GraphQL:
    """Runs the merged-pull-requests query, honouring GraphQL's own rate-limit answers."""

    def __init__(self, api: ApiClient, url: str) -> None:
        self.api, self.url, self.max_wait_s = api, url, api.max_wait_s

    def query(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The query's ``data``; GraphQL errors fail the run with GitHub's own messages."""
        for _ in range(self.api.max_attempts):
            response = self.api.send("POST", self.url, body={"query": query, "variables": dict(variables)})
            try:
                answer = response.json()
            except ValueError:
                answer = None
            if not isinstance(answer, dict):
                raise CollectionError(f"GitHub sent an unexpected GraphQL answer from {self.url}")
            errors = answer.get("errors") or []
            if any(isinstance(e, dict) and e.get("type") == "RATE_LIMITED" for e in errors):
                self._wait_out_rate_limit(response)
                continue
            if errors:
                messages = "; ".join(str(e.get("message") if isinstance(e, dict) else e) for e in errors[:3])
                raise CollectionError(f"GitHub's GraphQL API refused the query: {messages}")
            return dict(answer.get("data") or {})
        raise CollectionError(f"GitHub kept rate limiting GraphQL queries after {self.api.max_attempts} attempts")

    def _wait_out_rate_limit(self, response: httpx.Response) -> None:
        # An exhausted GraphQL allowance is a 200 whose error says RATE_LIMITED; the headers say until when.
        reset = response.headers.get("x-ratelimit-reset") or ""
        retry_after = response.headers.get("Retry-After") or ""
        if retry_after.isdigit():
            wait = float(retry_after)
        elif reset.isdigit():
            wait = max(0.0, float(reset) - time.time())
        else:
            wait = 60.0
        if wait > self.max_wait_s:
            raise CollectionError(f"GitHub is rate limiting GraphQL queries for {wait:.0f} s more (longer than "
                                  f"{self.max_wait_s:.0f} s); the next run tries again")
        self.api.waits.append(wait)
        self.api.sleep(wait)

    def merged(self, full_name: str) -> Iterator[Mapping[str, Any]]:
        """The repository's merged pull request nodes, most recently updated first."""
        owner, _, name = full_name.partition("/")
        after: str | None = None
        while True:
            data = self.query(MERGED_QUERY, {"owner": owner, "name": name, "after": after})
            repository = data.get("repository")
            if repository is None:
                raise CollectionError(f"GitHub's GraphQL API does not show the repository {full_name}")
            connection = repository["pullRequests"]
            yield from connection.get("nodes") or []
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            after = str(info.get("endCursor"))


def merged_changes(api: ApiClient, graphql: GraphQL, repos: list[Mapping[str, Any]], window: Window
                   ) -> list[tuple[str, Mapping[str, Any], list[str]]]:
    """(repository, pull request in REST shape, approvers) for each pull request merged in the window."""
    changes: list[tuple[str, Mapping[str, Any], list[str]]] = []
    for repo in repos:
        name = str(repo["full_name"])
        for node in graphql.merged(name):
            pull = rest_pull(node)
            updated = rules.parse_time(pull["updated_at"])
            if updated is not None and updated.date() < window.start:
                break  # newest first: everything after this was last touched before the window
            if not rules.merged_in_window(pull, window):
                continue
            changes.append((name, pull, rules.approvers(_reviews(api, name, node), pull["user"]["login"])))
    return changes


def _reviews(api: ApiClient, name: str, node: Mapping[str, Any]) -> list[dict[str, Any]]:
    reviews = node.get("reviews") or {}
    if (reviews.get("pageInfo") or {}).get("hasNextPage"):
        return list(api.paginate(f"/repos/{name}/pulls/{node['number']}/reviews", {"per_page": PAGE}))
    return [rest_review(r) for r in reviews.get("nodes") or []]

