"""kill -9 of `socready serve` while a large population upload is half received, then a restart.

The server (gunicorn, as installed) runs in its own process group against a data directory of its own. A
signed-in owner starts posting a 48 MB population; once the server is writing the upload to its temporary
file the whole group is killed. Nothing may be half-recorded (no population row, no stored file), the
temporary file the killed process left is removed when the server starts again, the audit trail and
every stored file verify, and the restarted server takes a whole upload.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.integration.test_worker_recovery import RUN_CLI, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

HOST = "127.0.0.1"
PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTROL_FIELD = re.compile(rb'<option value="(\d+)"[^>]*>CM-01')
SETUP = f"""
from socready.cli import django_setup
django_setup.setup(); django_setup.migrate()
from socready.accounts.models import Membership, Organization, Role, User
from socready.programs.models import Control
org = Organization.objects.create(name="Acme", slug="acme")
user = User.objects.create_user("owner@example.test", {PASSWORD!r})
Membership.objects.create(organization=org, user=user, role=Role.OWNER)
Control.objects.create(organization=org, code="CM-01", title="Changes", frequency="per-event")
"""
BOUNDARY = "socready-test-boundary"


class Browser:
    """One signed-in client: cookies and a fresh connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers={**self.headers(), **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            self.keep_cookies(response)
            return response.status, data
        finally:
            conn.close()

    def sign_in(self) -> None:
        _, page = self.request("GET", "/accounts/login/")
        token = CSRF_FIELD.search(page)
        assert token
        form = urllib.parse.urlencode({"username": "owner@example.test", "password": PASSWORD,
                                       "csrfmiddlewaretoken": token.group(1).decode()}).encode()
        status, _ = self.request("POST", "/accounts/login/", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302 and "sessionid" in self.cookies

    def upload_form(self) -> tuple[bytes, bytes]:
        """The multipart fields before and after the file's bytes, for the population form."""
        status, page = self.request("GET", "/o/acme/populations/")
        token, control = CSRF_FIELD.search(page), CONTROL_FIELD.search(page)
        assert status == 200 and token and control, status
        fields = {"csrfmiddlewaretoken": token.group(1).decode(), "control": control.group(1).decode(),
                  "kind": "changes", "id_column": "change_id", "date_column": "merged_on"}
        head = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                        for name, value in fields.items())
        head += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="changes.csv"\r\n'
                 "Content-Type: text/csv\r\n\r\n").encode()
        return head, f"\r\n--{BOUNDARY}--\r\n".encode()

    def start_post(self, path: str, length: int) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        conn.putrequest("POST", path)
        for name, value in {**self.headers(), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                            "Content-Length": str(length), "Referer": f"http://{HOST}:{self.port}{path}"}.items():
            conn.putheader(name, value)
        conn.endheaders()
        return conn


def csv_rows(count: int) -> bytes:
    return b"change_id,merged_on\n" + b"".join(b"CHG-%08d,2026-0%d-15\n" % (n, n % 6 + 1) for n in range(count))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        server = subprocess.Popen([sys.executable, "-c", RUN_CLI, "serve", "--host", HOST, "--port", str(port),
                                   "--workers", "2", "--no-worker"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)

    def answering() -> bool:
        assert server.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            return conn.getresponse().status == 200
        except OSError:
            return False

    assert wait_for(answering, 120), log.read_text(errors="replace")[-3000:]
    return server


def rows_of(database: Path, table: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - our own names


def temp_files(data: Path) -> list[Path]:
    return [path for folder in (data / "tmp" / "uploads", data / "evidence" / "tmp") if folder.is_dir()
            for path in folder.iterdir() if path.is_file()]


def test_a_server_killed_during_an_upload_leaves_nothing_half_stored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "SOCREADY_DATA_DIR": str(data), "SOCREADY_TASKS_IMMEDIATE": "0", "SOCREADY_DEBUG": "0",
           "SOCREADY_SECRET_KEY": secrets.token_urlsafe(50),
           "SOCREADY_CONNECTOR_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode()}
    env.pop("SOCREADY_DATABASE_URL", None)
    database = data / "socready.sqlite3"
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=300)
    port, log = free_port(), tmp_path / "server.log"
    body = csv_rows(2_000_000)  # about 48 MB

    server = serve(env, port, log)
    try:
        browser = Browser(port)
        browser.sign_in()
        head, tail = browser.upload_form()
        events_before = rows_of(database, "audit_auditevent")
        upload = browser.start_post("/o/acme/populations/", len(head) + len(body) + len(tail))
        upload.send(head + body[: len(body) // 2])
        # The server has begun writing the file to disk: kill it (and its web workers) mid-upload.
        assert wait_for(lambda: any(path.stat().st_size > 0 for path in temp_files(data)), 60), temp_files(data)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        upload.close()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    left = temp_files(data)
    assert left, "the killed server left no temporary file: the test did not kill it mid-upload"
    assert rows_of(database, "evidence_population") == 0  # nothing half-recorded
    assert rows_of(database, "audit_auditevent") == events_before

    server = serve(env, port, log)  # the restart removes what the killed processes left
    try:
        assert temp_files(data) == []
        assert "temporary upload file(s) left by a stopped server" in log.read_text(errors="replace")
        browser = Browser(port)
        browser.sign_in()
        head, tail = browser.upload_form()
        small = csv_rows(1000)
        upload = browser.start_post("/o/acme/populations/", len(head) + len(small) + len(tail))
        upload.send(head + small + tail)
        response = upload.getresponse()
        assert response.status == 302 and "/populations/" in (response.getheader("Location") or "")
        upload.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
    assert rows_of(database, "evidence_population") == 1
    for command in (["audit", "verify"], ["evidence", "verify"]):
        checked = subprocess.run([sys.executable, "-c", RUN_CLI, *command], env=env, capture_output=True,
                                 text=True, timeout=300, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert temp_files(data) == []
