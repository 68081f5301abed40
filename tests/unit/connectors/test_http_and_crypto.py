"""The HTTP client's header rules and the credential sealing, without a server."""

from __future__ import annotations

import httpx

from socready.connectors.crypto import redact
from socready.connectors.http import next_link, rate_limit_wait


def test_next_link_is_read_from_the_link_header() -> None:
    header = ('<https://api.test/orgs/a/repos?page=2>; rel="next", '
              '<https://api.test/orgs/a/repos?page=5>; rel="last"')
    assert next_link(header) == "https://api.test/orgs/a/repos?page=2"
    assert next_link('<https://api.test/x?page=1>; rel="prev"') is None
    assert next_link(None) is None


def test_rate_limit_waits_follow_retry_after_and_the_reset_headers() -> None:
    assert rate_limit_wait(httpx.Response(429, headers={"Retry-After": "7"})) == 7.0
    assert rate_limit_wait(httpx.Response(403, headers={"Retry-After": "2"})) == 2.0
    assert rate_limit_wait(httpx.Response(403)) is None  # a plain refusal is not a rate limit
    github = httpx.Response(403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1100"})
    assert rate_limit_wait(github, now=1000.0) == 100.0
    okta = httpx.Response(429, headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1030"})
    assert rate_limit_wait(okta, now=1000.0) == 30.0
    assert rate_limit_wait(httpx.Response(503)) is None


def test_secrets_are_removed_from_messages() -> None:
    assert redact("token abcd1234 refused", {"token": "abcd1234"}) == "token (hidden) refused"
