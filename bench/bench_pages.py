"""Page benchmark: p95 latency of every main page of the demo organization with concurrent signed-in clients.

For each backend: in an empty data folder (and, for PostgreSQL, a throwaway database), run ``socready demo
--no-serve`` to create the demo organization, start ``socready serve`` as installed (gunicorn with its default
worker processes and the background task worker) on a free loopback port, and sign in ``--clients`` clients, the
demo's owner, admin, engineer and auditor in turn. Each client walks the main pages in a rotating order until each
page has been served ``--requests`` times in all. Every response must be a 200. Then one client times the two
write actions people wait on: "create task" from a readiness gap (a different gap each time) and "build PBC list".
Prints count, median, p95, p99 and max in ms per page and action, then PASS or FAIL against the target: p95 under
100 ms for every page with 4 concurrent clients on loopback. Latencies grow with whatever else the machine runs
(the load average is printed), so each backend ends with the server CPU time of each page in one process, a
figure the rest of the machine barely moves.

Run: .venv/bin/python bench/bench_pages.py [--backend both|sqlite|postgres] [--requests 200] [--clients 4]
     [--actions 10] [--postgres-url postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench_workspace import (
    CSRF_FIELD,
    HOST,
    Client,
    free_port,
    percentile,
    postgres_available,
    postgres_parts,
    wait_until_serving,
)

TARGET_P95_MS = 100.0
SLUG = "demo"
PAGES = {
    "dashboard": f"/o/{SLUG}/",
    "controls": f"/o/{SLUG}/controls/",
    "evidence": f"/o/{SLUG}/evidence/",
    "requests": f"/o/{SLUG}/requests/",
    "readiness": f"/o/{SLUG}/readiness/",
    "engagements": f"/o/{SLUG}/engagements/",
    "tasks": f"/o/{SLUG}/tasks/",
    "populations": f"/o/{SLUG}/populations/",
    "questionnaires": f"/o/{SLUG}/questionnaires/",
    "downloads": f"/o/{SLUG}/downloads/",
    "audit trail": f"/o/{SLUG}/audit/",
    "objectives": f"/o/{SLUG}/objectives/",
}
GAP_FIELD = re.compile(rb'name="gap" value="([^"]+)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Sample:
    """Latencies (seconds) per page or action, and anything that was not the expected status."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        self.latencies.setdefault(name, []).append(seconds)


def csrf_token(client: Client, path: str) -> str:
    """The CSRF token of a page's form (the session cookie alone is not enough to post)."""
    status, body, _ = client.request("GET", path)
    match = CSRF_FIELD.search(body)
    if status != 200 or not match:
        raise RuntimeError(f"{path}: HTTP {status}, no CSRF field")
    return match.group(1).decode()


def run_client(client: Client, index: int, each: int, start: threading.Barrier, sample: Sample,
               lock: threading.Lock) -> None:
    names = list(PAGES)
    local = Sample()
    try:
        for name in names:  # warm-up: one unmeasured visit of each page
            client.request("GET", PAGES[name])
        start.wait()
        for k in range(each * len(names)):
            name = names[(k + index * 3) % len(names)]  # clients start on different pages
            status, _, elapsed = client.request("GET", PAGES[name])
            local.add(name, elapsed)
            if status != 200:
                local.errors.append(f"{name}: HTTP {status}")
    except Exception as exc:  # a broken client must not hang the others at the barrier
        start.abort()
        local.errors.append(f"client {index}: {type(exc).__name__}: {exc}")
    with lock:
        for name, values in local.latencies.items():
            sample.latencies.setdefault(name, []).extend(values)
        sample.errors.extend(local.errors)


def measure_pages(port: int, people: list[dict[str, str]], clients: int, requests: int) -> tuple[Sample, float]:
    """Sign in the clients (owner, admin, engineer, auditor, ...), then run every page concurrently."""
    signed_in = []
    for index in range(clients):
        person = people[index % len(people)]
        client = Client(port)
        client.sign_in(person["email"], person["password"])
        signed_in.append(client)
    sample, lock = Sample(), threading.Lock()
    start = threading.Barrier(clients + 1)
    threads = []
    for index, client in enumerate(signed_in):
        each = requests // clients + (1 if index < requests % clients else 0)
        thread = threading.Thread(target=run_client, daemon=True, args=(client, index, each, start, sample, lock))
        thread.start()
        threads.append(thread)
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for client in signed_in:
        client.close()
    return sample, wall


def measure_actions(port: int, owner: dict[str, str], actions: int) -> Sample:
    """Time "create task" (a new gap each time) and "build PBC list" as the owner, one after another."""
    sample = Sample()
    client = Client(port)
    client.sign_in(owner["email"], owner["password"])
    readiness = PAGES["readiness"]
    status, body, _ = client.request("GET", readiness)
    gaps = [g.decode() for g in GAP_FIELD.findall(body)]
    token = csrf_token(client, readiness)
    for gap in gaps[:actions]:
        form = urllib.parse.urlencode({"gap": gap, "csrfmiddlewaretoken": token}).encode()
        status, _, elapsed = client.request("POST", f"/o/{SLUG}/readiness/tasks/", form, FORM_HEADERS)
        sample.add("create task", elapsed)
        if status != 302:
            sample.errors.append(f"create task {gap}: HTTP {status}")
    if len(gaps) < actions:
        sample.errors.append(f"only {len(gaps)} gaps to turn into tasks")
    token = csrf_token(client, PAGES["requests"])
    for _ in range(actions):
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
        status, _, elapsed = client.request("POST", f"/o/{SLUG}/requests/generate/", form, FORM_HEADERS)
        sample.add("build PBC list", elapsed)
        if status != 302:
            sample.errors.append(f"build PBC list: HTTP {status}")
    client.close()
    return sample


def server_cpu(repeat: int) -> None:
    """In this process (the environment selects the backend): the CPU time each page costs the server, signed in
    as the owner with Django's test client; the median of ``repeat`` warm requests. Unlike the latencies above it
    does not grow with other work on the machine, so it shows what the code costs."""
    from socready.cli import django_setup

    django_setup.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from socready.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    client = TestClient()
    client.force_login(User.objects.get(email="owner@demo.socready.test"))
    print(f"{'page':<15} {'cpu ms':>8} {'queries':>8}")
    for name, path in PAGES.items():
        client.get(path)
        costs = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.process_time()
                response = client.get(path)
                costs.append(time.process_time() - started)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}")
        print(f"{name:<15} {statistics.median(costs) * 1000:>8.1f} {len(queries.captured_queries):>8}", flush=True)


def report(backend: str, sample: Sample, actions: Sample, wall: float) -> bool:
    """Print the figures of one backend; return whether every page met the target without errors."""
    ok = not sample.errors and not actions.errors
    print(f"{'backend':<9} {'page':<15} {'count':>6} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8} {'req/s':>7}  "
          f"p95 < {TARGET_P95_MS:.0f} ms")
    for name in PAGES:
        values = sorted(v * 1000 for v in sample.latencies.get(name, []))
        if not values:
            ok = False
            print(f"{backend:<9} {name:<15} no responses  FAIL")
            continue
        p95 = percentile(values, 0.95)
        passed = p95 < TARGET_P95_MS
        ok = ok and passed
        print(f"{backend:<9} {name:<15} {len(values):>6} {statistics.median(values):>8.1f} {p95:>8.1f} "
              f"{percentile(values, 0.99):>8.1f} {values[-1]:>8.1f} {len(values) / wall:>7.1f}  "
              f"{'PASS' if passed else 'FAIL'}")
    for name, raw in actions.latencies.items():
        values = sorted(v * 1000 for v in raw)
        print(f"{backend:<9} {name:<15} {len(values):>6} {statistics.median(values):>8.1f} "
              f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f} {values[-1]:>8.1f}  (one client)")
    errors = sample.errors + actions.errors
    for error in errors[:10]:
        print(f"  error: {error}")
    if len(errors) > 10:
        print(f"  ... and {len(errors) - 10} more errors")
    return ok


def bench_backend(backend: str, args: argparse.Namespace) -> bool:
    """Create the demo, serve and measure one backend; always stop the server and remove its data."""
    database = f"socready_pages_{os.getpid()}"
    assert database != "test"  # the shared test database is never touched
    socready = Path(sys.executable).parent / "socready"
    if not socready.exists():
        raise SystemExit(f"no socready command next to {sys.executable}; run with the project's .venv python")
    with tempfile.TemporaryDirectory(prefix=f"socready-pages-{backend}-") as folder:
        env = {**os.environ, "SOCREADY_DATA_DIR": folder, "SOCREADY_SECRET_KEY": secrets.token_urlsafe(50),
               "SOCREADY_DEBUG": "0", "SOCREADY_LOG_LEVEL": "WARNING"}
        env.pop("SOCREADY_DATABASE_URL", None)
        created = False
        server: subprocess.Popen[bytes] | None = None
        try:
            if backend == "postgres":
                host, port, user = postgres_parts(args.postgres_url)
                subprocess.run(["createdb", "-h", host, "-p", port, "-U", user, database], check=True)
                created = True
                env["SOCREADY_DATABASE_URL"] = f"{args.postgres_url.rstrip('/')}/{database}"
            started = time.perf_counter()
            made = subprocess.run([str(socready), "demo", "--no-serve", "--json"], env=env, check=True,
                                  capture_output=True, timeout=900)
            people = json.loads(made.stdout)["users"]
            print(f"  demo organization created in {time.perf_counter() - started:.1f} s", flush=True)
            port_number = free_port()
            log = Path(folder) / "server.log"
            with log.open("wb") as out:
                server = subprocess.Popen([str(socready), "serve", "--host", HOST, "--port", str(port_number)],
                                          env=env, stdout=out, stderr=subprocess.STDOUT)
            wait_until_serving(server, port_number, log)
            sample, wall = measure_pages(port_number, people, args.clients, args.requests)
            actions = measure_actions(port_number, people[0], args.actions)
            ok = report(backend, sample, actions, wall)
            print(f"  load average {os.getloadavg()[0]:.2f} over the last minute (CPUs: {os.cpu_count()})")
            print(f"{backend}: server CPU per request, one process, median of 20 (the database's own work on "
                  "PostgreSQL is not in it)", flush=True)
            subprocess.run([sys.executable, __file__, "--server-cpu"], env=env, check=True, timeout=600)
            return ok
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
            if created:
                host, port, user = postgres_parts(args.postgres_url)
                subprocess.run(["dropdb", "--if-exists", "--force", "-h", host, "-p", port, "-U", user, database],
                               check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page, all clients")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--actions", type=int, default=10, help="timed 'create task' and 'build PBC list' posts")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432",
                        help="server to create the throwaway database on (no database name)")
    parser.add_argument("--server-cpu", action="store_true", help=argparse.SUPPRESS)  # the CPU subprocess
    args = parser.parse_args(argv)
    if args.server_cpu:
        server_cpu(20)
        return 0
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"demo organization; {args.clients} clients, {args.requests} requests per page, {len(PAGES)} pages; "
          f"{os.cpu_count()} CPUs")
    ok = True
    for backend in backends:
        if backend == "postgres" and not postgres_available(args.postgres_url):
            print(f"postgres: no server at {args.postgres_url}")
            ok = False
            continue
        print(f"{backend}: creating the demo", flush=True)
        ok = bench_backend(backend, args) and ok
    print(f"target: p95 < {TARGET_P95_MS:.0f} ms per page with {args.clients} concurrent clients on loopback")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
