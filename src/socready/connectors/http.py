"""An HTTP client for REST APIs that retries with back-off, honours rate limits and fails with a clear message.

* 429, and 403 carrying Retry-After (or a rate-limit header saying none remain): wait as told, then retry;
  a wait longer than ``max_wait_s`` fails the run instead of holding a worker for an hour.
* 5xx and connection resets: retry after ``backoff_s * 2**attempt`` seconds.
* A response slower than ``timeout_s``: retried like a 5xx; the last one fails the run naming the timeout.
* 401: fails the run at once (retrying a refused token changes nothing).
Pagination follows the ``Link: <...>; rel="next"`` header (GitHub and Okta both use it). POSTs (GitHub's
GraphQL queries, which change nothing) get the same retries. One client keeps its connections open
(HTTP/1.1 keep-alive), so a run's hundreds of calls do not each open a new connection.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from socready.core.connectors.plugin import CollectionError

RETRY_STATUSES = frozenset({500, 502, 503, 504})
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([^";]+)"?')


class CredentialsRefused(CollectionError):
    """The server answered 401: the credentials themselves are wrong, as opposed to a server out of reach."""


class ApiError(Exception):
    """A call the server refused for a reason that retrying does not fix (403 without a wait, 404, 422)."""

    def __init__(self, status: int, url: str, message: str) -> None:
        self.status = status
        self.url = url
        super().__init__(f"{url} answered {status}: {message}")


def next_link(header: str | None) -> str | None:
    """The rel="next" URL of a Link header, or None on the last page."""
    for url, rel in _LINK.findall(header or ""):
        if rel == "next":
            return str(url)
    return None


def _seconds_until(value: str, now: float) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def rate_limit_wait(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, or None when the response is not a rate limit."""
    now = time.time() if now is None else now
    if response.status_code not in (403, 429):
        return None
    retry_after = response.headers.get("Retry-After")
    if retry_after is not None:
        return _seconds_until(retry_after, now)
    # GitHub: x-ratelimit-remaining 0 with x-ratelimit-reset (epoch); Okta: x-rate-limit-* likewise.
    for remaining, reset in (("x-ratelimit-remaining", "x-ratelimit-reset"),
                             ("x-rate-limit-remaining", "x-rate-limit-reset")):
        if response.headers.get(remaining) == "0" and (response.headers.get(reset) or "").isdigit():
            return max(0.0, float(response.headers[reset]) - now)
    return 0.0 if response.status_code == 429 else None


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "no message"
    if isinstance(body, dict):
        return str(body.get("message") or body.get("errorSummary") or response.reason_phrase)
    return response.reason_phrase or "no message"


def _body_next(page: Any) -> str | None:
    """Okta's newer listings name the next page in the body: {"_links": {"next": {"href": ...}}}."""
    if isinstance(page, dict):
        href = ((page.get("_links") or {}).get("next") or {}).get("href")
        return str(href) if href else None
    return None


class ApiClient:
    """Call one API with the retry rules above; ``sleep`` is injectable so tests can count waits."""

    def __init__(self, base_url: str, headers: Mapping[str, str], *, timeout_s: float = 30.0, max_attempts: int = 4,
                 backoff_s: float = 0.5, max_wait_s: float = 120.0, service: str = "the API",
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.service = service
        self.max_attempts = max(1, max_attempts)
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self.waits: list[float] = []
        self.calls = 0
        self._client = httpx.Client(base_url=self.base_url, headers=dict(headers), timeout=timeout_s,
                                    follow_redirects=True, transport=transport)
        self.timeout_s = timeout_s
        # Called before each call that brings no Authorization header: a token that is renewed during a run.
        self.auth: Callable[[], Mapping[str, str]] | None = None

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _headers(self, given: Mapping[str, str] | None) -> dict[str, str]:
        """The call's own headers, with ``auth``'s current Authorization unless the call brings its own."""
        headers = dict(given or {})
        if self.auth is not None and "Authorization" not in headers:
            headers.update(self.auth())
        return headers

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sleep(seconds)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET with retries; raise CollectionError when the run cannot go on, ApiError for a refused call."""
        return self.send("GET", url, params)

    def post_json(self, url: str, body: Any, headers: Mapping[str, str] | None = None) -> Any:
        """POST a JSON body with the same retries and decode the JSON answer."""
        response = self.send("POST", url, body=body, headers=headers)
        try:
            return response.json()
        except ValueError:
            raise CollectionError(f"{self.service} sent something that is not JSON from {self._where(url)}") from None

    def send(self, method: str, url: str, params: Mapping[str, Any] | None = None, *, body: Any = None,
             headers: Mapping[str, str] | None = None) -> httpx.Response:
        """One call with retries (GETs and idempotent POSTs such as GraphQL queries)."""
        last = ""
        for attempt in range(self.max_attempts):
            self.calls += 1
            response, last, asked_wait = self._attempt(method, url, params, body, headers)
            if response is not None:
                return response
            if attempt + 1 < self.max_attempts:
                # A server that said how long to wait is obeyed; otherwise back off exponentially.
                self._wait(asked_wait if asked_wait is not None else self.backoff_s * 2 ** attempt)
        raise CollectionError(f"{last} after {self.max_attempts} attempts")

    def _attempt(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any,
                 headers: Mapping[str, str] | None) -> tuple[httpx.Response | None, str, float | None]:
        """One try: the response when it succeeded, else why not and how long the server asked to wait."""
        try:
            response = self._client.request(method, url, params=params, json=body, headers=self._headers(headers))
        except httpx.TimeoutException:
            return None, f"{self.service} did not answer within {self.timeout_s:g} s ({self._where(url)})", None
        except httpx.TransportError as exc:
            return None, f"could not reach {self.service} at {self._where(url)}: {exc.__class__.__name__} {exc}", None
        return self._judge(response, url)

    def _judge(self, response: httpx.Response, url: str) -> tuple[httpx.Response | None, str, float | None]:
        """Sort an answer: success, a retry (with the server's wait, if any), or an error that ends the call."""
        if response.status_code == 401:
            raise CredentialsRefused(f"{self.service} refused the credentials (401 at {self._where(url)}): "
                                  f"{_message(response)}")
        wait = rate_limit_wait(response)
        if wait is not None:
            if wait > self.max_wait_s:
                raise CollectionError(f"{self.service} is rate limiting this connection for {wait:.0f} s "
                                      f"more (longer than {self.max_wait_s:.0f} s); the next run tries again")
            return None, f"{self.service} kept rate limiting ({response.status_code} at {self._where(url)})", wait
        if response.status_code in RETRY_STATUSES:
            return None, f"{self.service} failed with {response.status_code} at {self._where(url)}", None
        if response.status_code >= 400:
            raise ApiError(response.status_code, self._where(url), _message(response))
        return response, "", None

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and decode JSON; a body that is not JSON fails the run naming the URL."""
        response = self.get(url, params)
        try:
            return response.json()
        except ValueError:
            raise CollectionError(f"{self.service} sent something that is not JSON from {self._where(url)}") from None

    def paginate(self, url: str, params: Mapping[str, Any] | None = None, *, key: str | None = None
                 ) -> Iterator[Any]:
        """Every item of a listing, following Link rel="next" (items under ``key`` when the page is an object)."""
        next_url: str | None = url
        query: Mapping[str, Any] | None = params
        while next_url:
            response = self.get(next_url, query)
            try:
                page = response.json()
            except ValueError:
                raise CollectionError(f"{self.service} sent a page that is not JSON from "
                                      f"{self._where(next_url)}") from None
            items = page.get(key, []) if key and isinstance(page, dict) else page
            if not isinstance(items, list):
                raise CollectionError(f"{self.service} sent an unexpected page from {self._where(next_url)}")
            yield from items
            next_url, query = next_link(response.headers.get("Link")) or _body_next(page), None

    def _where(self, url: str) -> str:
        return url if url.startswith("http") else f"{self.base_url}{url if url.startswith('/') else '/' + url}"
