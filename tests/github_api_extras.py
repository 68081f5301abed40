"""The local GitHub server's GraphQL endpoint and GitHub App sign-in, beside the REST calls of connector_servers.

GraphQL queries run through graphql-core against ``tests/data/connectors/github.graphql`` (the part of
GitHub's published schema the connector uses): a query with an unknown field, a wrong argument or a page
larger than 100 is refused as GitHub refuses it. The data are the REST fixtures of ``ProviderData``, shown
in the GraphQL shape.

App sign-in follows GitHub's description: ``POST /app/installations/{id}/access_tokens`` with a JWT signed
RS256 by the App's private key (issuer: the app id; at most ten minutes of validity) answers 201 with an
installation token and its expiry; a JWT that does not verify answers 401.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from graphql import GraphQLError, GraphQLSchema, build_schema, graphql_sync

SCHEMA_FILE = Path(__file__).parent / "data" / "connectors" / "github.graphql"
MAX_PAGE = 100


@cache
def github_schema() -> GraphQLSchema:
    """The schema subset, built once."""
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _index(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1]) + 1
    except (ValueError, IndexError, binascii.Error):
        raise GraphQLError(f"`{cursor}` does not appear to be a valid cursor.") from None


def _page(items: list[Any], first: int | None, after: str | None, connection: str) -> dict[str, Any]:
    if first is None:
        raise GraphQLError(f"You must provide a `first` or `last` value to properly paginate the `{connection}` "
                           "connection.")
    if not 1 <= first <= MAX_PAGE:
        raise GraphQLError(f"Requesting {first} records on the `{connection}` connection exceeds the `first` "
                           f"limit of {MAX_PAGE} records.")
    start = _index(after)
    chunk = items[start: start + first]
    return {"nodes": chunk, "totalCount": len(items),
            "pageInfo": {"hasNextPage": start + first < len(items), "hasPreviousPage": start > 0,
                         "startCursor": _cursor(start) if chunk else None,
                         "endCursor": _cursor(start + len(chunk) - 1) if chunk else None}}


def _actor(user: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not user:
        return None
    login = str(user["login"])
    return {"__typename": "Bot" if user.get("type") == "Bot" else "User", "login": login,
            "url": f"https://github.test/{login}"}


def _review(review: Mapping[str, Any]) -> dict[str, Any]:
    return {"author": _actor(review.get("user")), "state": review["state"], "submittedAt": review.get("submitted_at")}


def _state(pull: Mapping[str, Any]) -> str:
    return "MERGED" if pull.get("merged_at") else str(pull.get("state", "open")).upper()


def _pull_node(full_name: str, pull: Mapping[str, Any], reviews: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    own = [_review(r) for r in reviews.get(f"{full_name}#{pull['number']}", [])]

    def review_page(_info: Any, first: int | None = None, after: str | None = None,
                    states: list[str] | None = None, **_: Any) -> dict[str, Any]:
        chosen = [r for r in own if not states or r["state"] in states]
        return _page(chosen, first, after, "reviews")

    return {"number": pull["number"], "title": pull["title"], "url": pull["html_url"], "state": _state(pull),
            "createdAt": pull["created_at"], "updatedAt": pull["updated_at"], "closedAt": pull.get("closed_at"),
            "mergedAt": pull.get("merged_at"), "baseRefName": (pull.get("base") or {}).get("ref", "main"),
            "author": _actor(pull.get("user")), "reviews": review_page}


def _repository(data: Any, owner: str, name: str) -> dict[str, Any] | None:
    full_name = f"{owner}/{name}"
    if not any(r["full_name"] == full_name for r in data.repos):
        return None

    def pull_page(_info: Any, first: int | None = None, after: str | None = None,
                  states: list[str] | None = None, orderBy: Mapping[str, str] | None = None,  # noqa: N803
                  **_: Any) -> dict[str, Any]:
        pulls = [p for p in data.pulls.get(full_name, []) if not states or _state(p) in states]
        if orderBy:
            key = {"UPDATED_AT": "updated_at", "CREATED_AT": "created_at"}.get(orderBy["field"], "created_at")
            pulls.sort(key=lambda p: (p[key], p["number"]), reverse=orderBy["direction"] == "DESC")
        page = _page(pulls, first, after, "pullRequests")
        page["nodes"] = [_pull_node(full_name, p, data.reviews) for p in page["nodes"]]
        return page

    return {"name": name, "nameWithOwner": full_name, "pullRequests": pull_page}


def execute_graphql(data: Any, body: Mapping[str, Any]) -> dict[str, Any]:
    """Run one GraphQL request body ({"query", "variables"}) against the data; the JSON answer."""
    reset = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = {
        "repository": lambda _info, owner, name, followRenames=True: _repository(data, owner, name),  # noqa: N803
        "rateLimit": lambda _info, dryRun=False: {"cost": 1, "limit": 5000, "nodeCount": 0,  # noqa: N803
                                                  "remaining": 4999, "resetAt": reset, "used": 1},
    }
    result = graphql_sync(github_schema(), str(body.get("query") or ""), root_value=root,
                          variable_values=body.get("variables") or {})
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [e.formatted for e in result.errors]
    return answer


# ---- GitHub App sign-in -----------------------------------------------------------------------------------

@dataclass
class GitHubApp:
    """A GitHub App the server knows: its id, its installation, its public key, and the tokens it issued."""

    app_id: str
    installation_id: str
    private_key_pem: str  # handed to the connection under test; the server keeps only the public half
    public_key: rsa.RSAPublicKey
    token_lifetime_s: int = 3600
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch)


def make_app(app_id: str = "424242", installation_id: str = "98765") -> GitHubApp:
    """A new App with a fresh 2048-bit RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode("ascii")
    return GitHubApp(app_id, installation_id, pem, key.public_key())


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jwt(app: GitHubApp, token: str, now: float) -> str | None:
    """Why GitHub would refuse this JWT, or None when it is the App's, signed and current."""
    parts = token.split(".")
    if len(parts) != 3:
        return "A JSON web token could not be decoded"
    try:
        header, claims = json.loads(_b64decode(parts[0])), json.loads(_b64decode(parts[1]))
        signature = _b64decode(parts[2])
    except (ValueError, binascii.Error):
        return "A JSON web token could not be decoded"
    if header.get("alg") != "RS256":
        return "A JSON web token could not be decoded"
    try:
        app.public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"), padding.PKCS1v15(),
                              hashes.SHA256())
    except InvalidSignature:
        return "A JSON web token could not be decoded"
    if str(claims.get("iss")) != app.app_id:
        return "Integration not found"
    iat, exp = int(claims.get("iat", 0)), int(claims.get("exp", 0))
    if exp <= now:
        return "'Expiration time' claim ('exp') must be a numeric value representing the future time"
    if iat > now + 60 or exp - iat > 600:
        return "'Expiration time' claim ('exp') is too far in the future"
    return None


def issue_token(app: GitHubApp, now: float) -> dict[str, Any]:
    """A new installation token, as the access_tokens endpoint answers (201)."""
    token = f"ghs_{secrets.token_urlsafe(27)}"
    expires = now + app.token_lifetime_s
    app.tokens[token] = expires
    stamp = dt.datetime.fromtimestamp(int(expires), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"token": token, "expires_at": stamp,
            "permissions": {"members": "read", "administration": "read", "pull_requests": "read",
                            "vulnerability_alerts": "read"},
            "repository_selection": "all"}


def token_is_current(app: GitHubApp | None, token: str) -> bool:
    """Whether ``token`` is an installation token the App issued and that has not expired."""
    return app is not None and app.tokens.get(token, 0.0) > time.time()
