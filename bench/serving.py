"""What the HTTP benchmarks share: a throwaway install served by ``socready serve`` as installed, and signed-in clients.

``served`` makes an empty data folder (and, for PostgreSQL, a throwaway database), lets the benchmark fill it
(the demo, or a bulk load), starts ``socready serve`` (gunicorn with its worker processes and the background
task worker) on a free loopback port, and always stops the server and removes the data afterwards. ``Client``
is one signed-in browser: a keep-alive connection and its cookies.
"""

from __future__ import annotations

import base64
import http.client
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Generic, TypeVar

HOST = "127.0.0.1"
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 30
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}

T = TypeVar("T")


class Client:
    """One signed-in browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT_S) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.last_location = ""  # the Location header of the last response (redirects are not followed)

    def reconnect(self) -> None:
        """Drop the connection and open a new one (after a timeout or a reset)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """Send one request; return status, body and seconds from sending to the last byte read."""
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection; reconnect once (the time still counts). A body
            # that is a stream cannot be sent twice, so only bytes are retried.
            if body is not None and not isinstance(body, bytes):
                raise
            self.reconnect()
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        self.last_location = response.headers.get("Location", "")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data, elapsed

    def csrf_token(self, path: str) -> str:
        """The CSRF token of a page's form (the session cookie alone is not enough to post)."""
        status, body, _ = self.request("GET", path)
        match = CSRF_FIELD.search(body)
        if status != 200 or not match:
            raise RuntimeError(f"{path}: HTTP {status}, no CSRF field")
        return match.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes, float]:
        """Post a url-encoded form (the caller puts the CSRF token in ``fields``)."""
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), FORM_HEADERS)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in form, as a person would; raises when it is refused."""
        token = self.csrf_token("/accounts/login/")
        status, _, _ = self.post_form("/accounts/login/", {"username": email, "password": password,
                                                            "csrfmiddlewaretoken": token})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {email} failed: HTTP {status}")

    def close(self) -> None:
        self.conn.close()


def sign_in_all(port: int, people: Sequence[dict[str, str]], clients: int) -> list[Client]:
    """``clients`` signed-in clients, taking the people (``email``, ``password``) in turn."""
    signed_in = []
    for index in range(clients):
        person = people[index % len(people)]
        client = Client(port)
        client.sign_in(person["email"], person["password"])
        signed_in.append(client)
    return signed_in


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until_serving(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')[-2000:]}")


def postgres_parts(url: str) -> tuple[str, str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or HOST, str(parts.port or 5432), parts.username or "postgres"


def postgres_available(url: str) -> bool:
    host, port, user = postgres_parts(url)
    if not shutil.which("createdb"):
        return False
    return subprocess.run(["pg_isready", "-q", "-h", host, "-p", port, "-U", user], check=False).returncode == 0


def socready_command() -> Path:
    """The ``socready`` script installed next to this Python (the project's .venv)."""
    socready = Path(sys.executable).parent / "socready"
    if not socready.exists():
        raise SystemExit(f"no socready command next to {sys.executable}; run with the project's .venv python")
    return socready


def demo_people(env: dict[str, str]) -> list[dict[str, str]]:
    """Create the demo organization with ``socready demo --no-serve`` in ``env``; return its people."""
    import json

    started = time.perf_counter()
    made = subprocess.run([str(socready_command()), "demo", "--no-serve", "--json"], env=env, check=True,
                          capture_output=True, timeout=900)
    print(f"  demo organization created in {time.perf_counter() - started:.1f} s", flush=True)
    people: list[dict[str, str]] = json.loads(made.stdout)["users"]
    return people


@dataclass
class Served(Generic[T]):
    """A running ``socready serve``: its port, environment, data folder, and what the preparation returned."""

    port: int
    env: dict[str, str]
    folder: Path
    prepared: T
    server: subprocess.Popen[bytes]


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=40)  # the server lets a running background task finish for up to 30 s
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def served(backend: str, prepare: Callable[[dict[str, str]], T], *, postgres_url: str = DEFAULT_POSTGRES_URL,
           serve_args: Sequence[str] = (), name: str = "bench") -> Iterator[Served[T]]:
    """Prepare an empty install with ``prepare(env)``, serve it, and remove everything when done."""
    database = f"socready_{name}_{os.getpid()}"
    assert database != "test"  # the shared test database is never touched
    socready = socready_command()
    with tempfile.TemporaryDirectory(prefix=f"socready-{name}-{backend}-") as folder:
        env = {**os.environ, "SOCREADY_DATA_DIR": folder, "SOCREADY_SECRET_KEY": secrets.token_urlsafe(50),
               "SOCREADY_CONNECTOR_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "SOCREADY_DEBUG": "0", "SOCREADY_LOG_LEVEL": "WARNING"}
        env.pop("SOCREADY_DATABASE_URL", None)
        host, pg_port, user = postgres_parts(postgres_url)
        created = False
        server: subprocess.Popen[bytes] | None = None
        try:
            if backend == "postgres":
                subprocess.run(["createdb", "-h", host, "-p", pg_port, "-U", user, database], check=True)
                created = True
                env["SOCREADY_DATABASE_URL"] = f"{postgres_url.rstrip('/')}/{database}"
            prepared = prepare(env)
            port = free_port()
            log = Path(folder) / "server.log"
            with log.open("wb") as out:
                server = subprocess.Popen([str(socready), "serve", "--host", HOST, "--port", str(port),
                                           *serve_args], env=env, stdout=out, stderr=subprocess.STDOUT)
            wait_until_serving(server, port, log)
            yield Served(port, env, Path(folder), prepared, server)
        finally:
            if server is not None:
                _stop(server)
            if created:
                subprocess.run(["dropdb", "--if-exists", "--force", "-h", host, "-p", pg_port, "-U", user,
                                database], check=False)
