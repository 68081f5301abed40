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
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from serving import (
    DEFAULT_POSTGRES_URL,
    Client,
    demo_people,
    percentile,
    postgres_available,
    served,
    sign_in_all,
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


@dataclass
class Sample:
    """Latencies (seconds) per page or action, and anything that was not the expected status."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        self.latencies.setdefault(name, []).append(seconds)


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
    signed_in = sign_in_all(port, people, clients)
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
    """Time "create task" and "build PBC list" as the owner, one after another.

    Each task is made from the first untracked gap of the readiness page as the redirect after the previous
    one shows it (that page view, which scores the change, is not timed: the click is).
    """
    sample = Sample()
    client = Client(port)
    client.sign_in(owner["email"], owner["password"])
    readiness = PAGES["readiness"]
    for _ in range(actions):
        status, body, _ = client.request("GET", readiness)
        gaps = GAP_FIELD.findall(body)
        if status != 200 or not gaps:
            sample.errors.append(f"readiness: HTTP {status}, {len(gaps)} untracked gaps left to turn into tasks")
            break
        token = client.csrf_token(readiness)
        status, _, elapsed = client.post_form(f"/o/{SLUG}/readiness/tasks/",
                                              {"gap": gaps[0].decode(), "csrfmiddlewaretoken": token})
        sample.add("create task", elapsed)
        if status != 302:
            sample.errors.append(f"create task: HTTP {status}")
    token = client.csrf_token(PAGES["requests"])
    for _ in range(actions):
        status, _, elapsed = client.post_form(f"/o/{SLUG}/requests/generate/", {"csrfmiddlewaretoken": token})
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
    with served(backend, demo_people, postgres_url=args.postgres_url, name="pages") as server:
        people = server.prepared
        sample, wall = measure_pages(server.port, people, args.clients, args.requests)
        actions = measure_actions(server.port, people[0], args.actions)
        ok = report(backend, sample, actions, wall)
        print(f"  load average {os.getloadavg()[0]:.2f} over the last minute (CPUs: {os.cpu_count()})")
        print(f"{backend}: server CPU per request, one process, median of 20 (the database's own work on "
              "PostgreSQL is not in it)", flush=True)
        subprocess.run([sys.executable, __file__, "--server-cpu"], env=server.env, check=True, timeout=600)
        return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page, all clients")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--actions", type=int, default=10, help="timed 'create task' and 'build PBC list' posts")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
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
