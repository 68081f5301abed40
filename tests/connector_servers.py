"""Real servers for connector tests and benchmarks: moto for AWS, and a local GitHub/Okta API server.

The local server answers the REST calls socready's GitHub and Okta connectors make, with bodies shaped as
the providers' published API descriptions say (``tests/data/connectors/*.schema.json`` hold the parts
socready reads, written for these tests; every fixture is validated against them). It pages with Link
headers, refuses a wrong token with 401, and can be told to answer the next calls to a path with a fault:
a status (503, 429 or 403 with Retry-After) or a delay longer than the client's timeout.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema

from tests.github_api_extras import GitHubApp, execute_graphql, issue_token, token_is_current, verify_jwt

SCHEMAS = Path(__file__).parent / "data" / "connectors"


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on a free loopback port; yields its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def schema(name: str) -> dict[str, Any]:
    """A schema file of tests/data/connectors (github or okta)."""
    return dict(json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")))


def validate(provider: str, definition: str, instance: Any) -> Any:
    """Check one fixture object against the provider's definition; return it for chaining."""
    document = schema(provider)
    jsonschema.validate(instance, {"$ref": f"#/$defs/{definition}", "$defs": document["$defs"]})
    return instance


@dataclass
class Fault:
    """What the server does instead of answering: a status with headers, or a delay first."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    body: Any = None  # the answer's JSON instead of {"message": "fault STATUS"}


@dataclass
class ProviderData:
    """What the server knows: one GitHub organization and one Okta organization."""

    token: str = "good-token"
    org: str = "acme"
    repos: list[dict[str, Any]] = field(default_factory=list)
    protections: dict[str, dict[str, Any]] = field(default_factory=dict)  # full_name -> protection
    members: list[dict[str, Any]] = field(default_factory=list)
    without_2fa: set[str] = field(default_factory=set)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # full_name -> pulls, newest first
    reviews: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # "full_name#n" -> reviews
    okta_users: list[dict[str, Any]] = field(default_factory=list)
    factors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    admins: list[str] = field(default_factory=list)  # user ids with an admin role
    me: str = "00u-reader"
    app: GitHubApp | None = None  # a GitHub App installed in the organization, when set


class ProviderServer:
    """A ThreadingHTTPServer on 127.0.0.1 answering GitHub and Okta calls from ``data``."""

    def __init__(self, data: ProviderData) -> None:
        self.data = data
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one write: sent apart, delayed ACKs cost 40 ms per response.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                server.handle(self)

            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                server.handle(self)

            def log_message(self, *_: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ProviderServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_next(self, path: str, *faults: Fault) -> None:
        """Answer the next calls whose path starts with ``path`` with these faults, in order."""
        with self._lock:
            self.faults.setdefault(path, []).extend(faults)

    def _fault(self, path: str) -> Fault | None:
        with self._lock:
            for prefix, queue in self.faults.items():
                if path.startswith(prefix) and queue:
                    return queue.pop(0)
        return None

    # ---- dispatch ------------------------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        parts = urllib.parse.urlsplit(request.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append(request.path)
        fault = self._fault(parts.path)
        if fault is not None and fault.delay_s:
            time.sleep(fault.delay_s)
        if fault is not None and fault.status:
            body = fault.body if fault.body is not None else {"message": f"fault {fault.status}"}
            self._send(request, fault.status, body, fault.headers)
            return
        auth = request.headers.get("Authorization", "")
        if parts.path.startswith("/api/v1/"):
            if auth != f"SSWS {self.data.token}":
                self._send(request, 401, {"errorCode": "E0000011", "errorSummary": "Invalid token provided",
                                          "errorLink": "E0000011", "errorId": "x", "errorCauses": []})
                return
            self._okta(request, parts.path, query)
        elif request.command == "POST" and parts.path.startswith("/app/installations/"):
            self._installation_token(request, parts.path, auth)
        else:
            bearer = auth.removeprefix("Bearer ")
            if bearer != self.data.token and not token_is_current(self.data.app, bearer):
                self._send(request, 401, {"message": "Bad credentials",
                                          "documentation_url": "https://docs.github.com/rest"})
                return
            if request.command == "POST" and parts.path == "/graphql":
                try:
                    self._send(request, 200, execute_graphql(self.data, json.loads(body or b"{}")))
                except ValueError:
                    self._send(request, 400, {"message": "Problems parsing JSON"})
                return
            self._github(request, parts.path, query)

    def _installation_token(self, request: BaseHTTPRequestHandler, path: str, auth: str) -> None:
        """POST /app/installations/{id}/access_tokens, signed in with the App's JWT."""
        app = self.data.app
        bits = path.strip("/").split("/")
        if app is None or len(bits) != 4 or bits[3] != "access_tokens":
            self._send(request, 404, {"message": "Not Found"})
            return
        refused = verify_jwt(app, auth.removeprefix("Bearer "), time.time())
        if refused is not None:
            self._send(request, 401, {"message": refused, "documentation_url": "https://docs.github.com/rest"})
        elif bits[2] != app.installation_id:
            self._send(request, 404, {"message": "Not Found"})
        else:
            self._send(request, 201, issue_token(app, time.time()))

    def _send(self, request: BaseHTTPRequestHandler, status: int, body: Any,
              headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(payload)

    def _page(self, request: BaseHTTPRequestHandler, path: str, query: dict[str, str], items: list[Any],
              size_key: str = "per_page", default_size: int = 30) -> None:
        size = max(1, min(int(query.get(size_key, default_size)), 200))
        page = int(query.get("page", "1"))
        chunk = items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(items):
            following = {**query, "page": str(page + 1)}
            headers["Link"] = f'<{self.url}{path}?{urllib.parse.urlencode(following)}>; rel="next"'
        self._send(request, 200, chunk, headers)

    def _github(self, request: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        data = self.data
        bits = path.strip("/").split("/")
        if bits == ["orgs", data.org]:
            self._send(request, 200, {"login": data.org, "id": 1, "url": f"{self.url}/orgs/{data.org}"})
        elif bits == ["orgs", data.org, "repos"]:
            self._page(request, path, query, data.repos)
        elif bits == ["orgs", data.org, "members"]:
            members = data.members
            if query.get("filter") == "2fa_disabled":
                members = [m for m in members if m["login"] in data.without_2fa]
            self._page(request, path, query, members)
        elif bits == ["orgs", data.org, "dependabot", "alerts"]:
            self._page(request, path, query, [a for a in data.alerts if a["state"] == query.get("state", "open")])
        elif len(bits) == 6 and bits[0] == "repos" and bits[3] == "branches" and bits[5] == "protection":
            protection = data.protections.get(f"{bits[1]}/{bits[2]}")
            if protection is None:
                self._send(request, 404, {"message": "Branch not protected"})
            else:
                self._send(request, 200, protection)
        elif len(bits) == 4 and bits[0] == "repos" and bits[3] == "pulls":
            self._page(request, path, query, data.pulls.get(f"{bits[1]}/{bits[2]}", []))
        elif len(bits) == 6 and bits[0] == "repos" and bits[3] == "pulls" and bits[5] == "reviews":
            self._page(request, path, query, data.reviews.get(f"{bits[1]}/{bits[2]}#{bits[4]}", []))
        else:
            self._send(request, 404, {"message": "Not Found"})

    def _okta(self, request: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        data = self.data
        bits = path.strip("/").split("/")[2:]
        if bits == ["users", "me"]:
            me = next((u for u in data.okta_users if u["id"] == data.me), None)
            self._send(request, 200, me or okta_user(data.me, "reader@acme.test"))
        elif bits == ["users"]:
            wanted = query.get("filter", "")
            if wanted == 'status eq "DEPROVISIONED"':
                users = [u for u in data.okta_users if u["status"] == "DEPROVISIONED"]
            else:  # the default listing leaves deprovisioned users out
                users = [u for u in data.okta_users if u["status"] != "DEPROVISIONED"]
            self._page(request, path, query, users, "limit", 200)
        elif len(bits) == 3 and bits[0] == "users" and bits[2] == "factors":
            self._send(request, 200, data.factors.get(bits[1], []))
        elif bits == ["iam", "assignees", "users"]:
            size = int(query.get("limit", "100"))
            start = int(query.get("after", "0"))
            chunk = data.admins[start: start + size]
            links: dict[str, Any] = {"self": {"href": f"{self.url}{path}"}}
            if start + size < len(data.admins):
                links["next"] = {"href": f"{self.url}{path}?after={start + size}&limit={size}"}
            self._send(request, 200, {"value": [{"id": a, "orn": f"orn:okta:directory:acme:users:{a}",
                                                 "_links": {}} for a in chunk], "_links": links})
        else:
            self._send(request, 404, {"errorCode": "E0000007", "errorSummary": "Not found", "errorLink": "E0000007",
                                      "errorId": "x", "errorCauses": []})


# ---- fixture builders (each validated against the provider's schema) -----------------------------------

def github_repo(org: str, name: str, *, default_branch: str = "main", archived: bool = False) -> dict[str, Any]:
    """A repository as GET /orgs/{org}/repos lists it."""
    return validate("github", "repository", {
        "id": abs(hash((org, name))) % 10**9, "name": name, "full_name": f"{org}/{name}", "private": True,
        "archived": archived, "default_branch": default_branch, "html_url": f"https://github.test/{org}/{name}"})


def github_protection(reviews: int) -> dict[str, Any]:
    """A branch protection with ``reviews`` required approvals."""
    return validate("github", "branch_protection", {
        "url": "https://api.github.test/protection",
        "required_pull_request_reviews": {"dismiss_stale_reviews": True, "require_code_owner_reviews": False,
                                          "required_approving_review_count": reviews}})


def github_user(login: str) -> dict[str, Any]:
    """A simple user, as members, authors and reviewers appear."""
    return validate("github", "simple_user", {"login": login, "id": abs(hash(login)) % 10**9, "type": "User",
                                              "site_admin": False})


def github_alert(repo: str, number: int, severity: str, created_at: str, state: str = "open") -> dict[str, Any]:
    """A Dependabot alert as GET /orgs/{org}/dependabot/alerts lists it."""
    return validate("github", "dependabot_alert", {
        "number": number, "state": state, "created_at": created_at, "html_url": f"https://github.test/{repo}/a/{number}",
        "security_advisory": {"ghsa_id": f"GHSA-{number:04d}-test-test", "severity": severity, "summary": "a flaw"},
        "security_vulnerability": {"severity": severity, "package": {"ecosystem": "pip", "name": "lib"}},
        "repository": {"id": 1, "name": repo.split("/")[1], "full_name": repo}})


def github_pull(repo: str, number: int, *, author: str, merged_at: str | None, updated_at: str) -> dict[str, Any]:
    """A closed pull request as GET /repos/{owner}/{repo}/pulls?state=closed lists it."""
    return validate("github", "pull_request", {
        "number": number, "state": "closed", "title": f"Change {number}", "user": github_user(author),
        "created_at": updated_at, "updated_at": updated_at, "closed_at": updated_at, "merged_at": merged_at,
        "html_url": f"https://github.test/{repo}/pull/{number}", "base": {"ref": "main"}})


def github_review(login: str, state: str, review_id: int = 1) -> dict[str, Any]:
    """A review as GET /repos/{owner}/{repo}/pulls/{n}/reviews lists it."""
    return validate("github", "review", {"id": review_id, "user": github_user(login), "state": state,
                                         "submitted_at": "2026-02-01T10:00:00Z"})


def okta_user(user_id: str, login: str, status: str = "ACTIVE",
              status_changed: str = "2026-01-01T00:00:00.000Z") -> dict[str, Any]:
    """A user as GET /api/v1/users lists it."""
    return validate("okta", "user", {
        "id": user_id, "status": status, "created": "2025-01-01T00:00:00.000Z", "activated": None,
        "statusChanged": status_changed, "lastLogin": None, "lastUpdated": status_changed,
        "profile": {"login": login, "email": login, "firstName": login.split("@")[0], "lastName": "Test"},
        "_links": {}})


def okta_factor(factor_type: str, status: str = "ACTIVE") -> dict[str, Any]:
    """An enrolled factor as GET /api/v1/users/{id}/factors lists it."""
    return validate("okta", "factor", {"id": f"f-{factor_type}", "factorType": factor_type, "provider": "OKTA",
                                       "status": status, "created": "2025-01-01T00:00:00.000Z"})
