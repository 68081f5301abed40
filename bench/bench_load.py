"""Load benchmark: signed-in clients walk the main pages for a while against ``socready serve`` as installed.

In an empty data folder (and, for PostgreSQL, a throwaway database), ``socready demo --no-serve`` creates the
demo organization, and ``socready serve`` (gunicorn with its default worker processes and the background task
worker) serves it on a free loopback port. ``--clients`` clients sign in (the demo's owner, admin, engineer and
auditor in turn) and each walks the main pages in a rotating order, one request after another with no pause,
for ``--seconds``. Every response must be a 200: anything else, and any failed request, is an error.

With ``--import-rows N`` one more person uploads an N-row population CSV (the changes file of
bench_population.py) through the population form while the load runs, as a browser would: one streamed
multipart POST, then the progress block polled every second, as the page does, until the background worker
has imported it. The import must finish as "done"; its upload and import times are printed.

Prints p50, p95, p99 and max in ms per page and overall, requests per second, the error count (0 is the
target), and the load average before and after.

Run: .venv/bin/python bench/bench_load.py [--backend sqlite|postgres] [--seconds 60] [--clients 8]
     [--import-rows 10000000] [--postgres-url postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from bench_pages import PAGES, SLUG
from serving import DEFAULT_POSTGRES_URL, Client, demo_people, percentile, postgres_available, served, sign_in_all

IMPORT_TIMEOUT_S = 1800
CONTROL_OPTION = re.compile(rb'<select[^>]*name="control"[^>]*>.*?<option value="(\d+)"', re.S)
POPULATION_URL = re.compile(r"/o/[^/]+/populations/(\d+)/$")
STATE = re.compile(rb'id="population-status"[^>]*data-state="([a-z]+)"')


@dataclass
class Results:
    """Latencies (seconds) per page, errors, and what the import did."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def merge(self, latencies: dict[str, list[float]], errors: list[str]) -> None:
        with self.lock:
            for name, values in latencies.items():
                self.latencies.setdefault(name, []).extend(values)
            self.errors.extend(errors)


def walk(client: Client, index: int, until: float, results: Results) -> None:
    """Request the main pages in turn, back to back, until the deadline."""
    names = list(PAGES)
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    k = index * 3  # clients start on different pages
    while time.monotonic() < until:
        name = names[k % len(names)]
        k += 1
        try:
            status, _, elapsed = client.request("GET", PAGES[name])
        except Exception as exc:  # a timeout or a dropped connection is an error, and the walk goes on
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            client.reconnect()
            continue
        latencies.setdefault(name, []).append(elapsed)
        if status != 200:
            errors.append(f"{name}: HTTP {status}")
    results.merge(latencies, errors)


# --- the population upload -------------------------------------------------------------------------------------


class MultipartFile:
    """A multipart/form-data body read from fields and one file on disk, without holding the file in memory."""

    def __init__(self, fields: dict[str, str], name: str, path: Path) -> None:
        self.boundary = f"----socready-bench-{uuid.uuid4().hex}"
        head = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items())
        head += (f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
                 "Content-Type: text/csv\r\n\r\n").encode()
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._parts: list[bytes | BinaryIO] = [head, path.open("rb"), tail]
        self.length = len(head) + path.stat().st_size + len(tail)

    def read(self, size: int = -1) -> bytes:
        while self._parts:
            part = self._parts[0]
            if isinstance(part, bytes):
                chunk, rest = (part, b"") if size < 0 else (part[:size], part[size:])
                if rest:
                    self._parts[0] = rest
                else:
                    self._parts.pop(0)
                if chunk:
                    return chunk
                continue
            data = part.read(size)
            if data:
                return data
            part.close()
            self._parts.pop(0)
        return b""

    def headers(self) -> dict[str, str]:
        return {"Content-Type": f"multipart/form-data; boundary={self.boundary}", "Content-Length": str(self.length)}


def generate_population(path: Path, rows: int) -> None:
    """The changes CSV of bench_population.py: id, date in the first half of 2026, status, owner."""
    from bench_population import generate

    started = time.perf_counter()
    generate(path, rows)
    print(f"  population file: {rows:,} rows, {path.stat().st_size / 2**20:,.0f} MiB, made in "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def upload_and_wait(port: int, person: dict[str, str], path: Path, results: Results, started: threading.Event) -> None:
    """Upload the population as a writer would, then poll its progress block every second until it finishes."""
    errors: list[str] = []
    latencies: dict[str, list[float]] = {}
    client = Client(port, timeout=IMPORT_TIMEOUT_S)
    try:
        client.sign_in(person["email"], person["password"])
        listing = f"/o/{SLUG}/populations/"
        status, page, _ = client.request("GET", listing)
        control = CONTROL_OPTION.search(page)
        if status != 200 or not control:
            raise RuntimeError(f"population form: HTTP {status}, control choice {'found' if control else 'missing'}")
        body = MultipartFile({"csrfmiddlewaretoken": client.csrf_token(listing), "control": control.group(1).decode(),
                              "engagement": "", "kind": "changes", "id_column": "id", "date_column": "date",
                              "date_format": "", "attribute_columns": "status, owner"}, "file", path)
        started.set()
        began = time.perf_counter()
        status, _, elapsed = client.request("POST", listing, body, body.headers())
        latencies["import upload"] = [elapsed]
        results.notes.append(f"upload of {body.length / 2**20:,.0f} MiB answered in {elapsed:.1f} s (HTTP {status})")
        target = _population_url(client, status)
        state, polls = "", 0
        while time.perf_counter() - began < IMPORT_TIMEOUT_S:
            time.sleep(1.0)
            status, block, elapsed = client.request("GET", f"{target}progress/", headers={"HX-Request": "true"})
            polls += 1
            latencies.setdefault("import progress", []).append(elapsed)
            found = STATE.search(block)
            if status != 200 or not found:
                errors.append(f"import progress: HTTP {status}")
                continue
            state = found.group(1).decode()
            if state in ("done", "failed"):
                break
        results.notes.append(f"import {state or 'unknown'} {time.perf_counter() - began:.1f} s after the upload "
                             f"started ({polls} progress polls)")
        if state != "done":
            errors.append(f"import ended as {state or 'unknown'}")
    except Exception as exc:
        started.set()
        errors.append(f"import: {type(exc).__name__}: {exc}")
    finally:
        client.close()
    results.merge(latencies, errors)


def _population_url(client: Client, status: int) -> str:
    """The population page the upload redirected to (the client does not follow redirects itself)."""
    if status != 302:
        raise RuntimeError(f"upload: HTTP {status} (expected a redirect to the population page)")
    location = client.last_location
    if not POPULATION_URL.search(location):
        raise RuntimeError(f"upload redirected to {location!r}, not a population page")
    return location


# --- the run -----------------------------------------------------------------------------------------------------


def report(backend: str, results: Results, wall: float) -> None:
    print(f"{'backend':<9} {'page':<16} {'count':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'req/s':>7}")
    every: list[float] = []
    for name in [*PAGES, "import upload", "import progress"]:
        values = sorted(v * 1000 for v in results.latencies.get(name, []))
        if not values:
            continue
        if name in PAGES:
            every.extend(values)
        print(f"{backend:<9} {name:<16} {len(values):>6} {statistics.median(values):>8.1f} "
              f"{percentile(values, 0.95):>8.1f} {percentile(values, 0.99):>8.1f} {values[-1]:>8.1f} "
              f"{len(values) / wall:>7.1f}")
    every.sort()
    if every:
        print(f"{backend:<9} {'all pages':<16} {len(every):>6} {statistics.median(every):>8.1f} "
              f"{percentile(every, 0.95):>8.1f} {percentile(every, 0.99):>8.1f} {every[-1]:>8.1f} "
              f"{len(every) / wall:>7.1f}")
    for note in results.notes:
        print(f"  {note}")
    print(f"  errors: {len(results.errors)}")
    for error in results.errors[:10]:
        print(f"    {error}")


def bench_backend(backend: str, args: argparse.Namespace, population: Path | None) -> bool:
    with served(backend, demo_people, postgres_url=args.postgres_url, name="load") as server:
        people = server.prepared
        clients = sign_in_all(server.port, people, args.clients)
        for client in clients:  # one unmeasured visit of each page: the workers load their code and caches
            for path in PAGES.values():
                client.request("GET", path)
        results = Results()
        importer: threading.Thread | None = None
        if population is not None:
            uploading = threading.Event()
            importer = threading.Thread(target=upload_and_wait, daemon=True,
                                        args=(server.port, people[0], population, results, uploading))
            importer.start()
            uploading.wait(timeout=120)
        print(f"  load average before: {os.getloadavg()[0]:.2f}", flush=True)
        began = time.monotonic()
        until = began + args.seconds
        threads = [threading.Thread(target=walk, daemon=True, args=(client, index, until, results))
                   for index, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
        load_after = os.getloadavg()[0]
        if importer is not None:
            importer.join(timeout=IMPORT_TIMEOUT_S)
            if importer.is_alive():
                results.errors.append("import still running after the load")
        for client in clients:
            client.close()
        report(backend, results, wall)
        print(f"  load average after the load: {load_after:.2f} (CPUs: {os.cpu_count()})")
        return not results.errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the clients walk the pages")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--import-rows", type=int, default=0,
                        help="upload a population of this many rows during the load (e.g. 10000000)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help="server to create the throwaway database on (no database name)")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    print(f"demo organization; {args.clients} clients x {args.seconds:.0f} s over {len(PAGES)} pages"
          f"{f', {args.import_rows:,}-row population import during the load' if args.import_rows else ''}; "
          f"{os.cpu_count()} CPUs", flush=True)
    ok = True
    with tempfile.TemporaryDirectory(prefix="socready-load-") as folder:
        population = None
        if args.import_rows:
            population = Path(folder) / "changes.csv"
            generate_population(population, args.import_rows)
        for backend in backends:
            if backend == "postgres" and not postgres_available(args.postgres_url):
                print(f"postgres: no server at {args.postgres_url}")
                ok = False
                continue
            print(f"{backend}: creating the demo", flush=True)
            ok = bench_backend(backend, args, population) and ok
    print("target: 0 errors" + ("" if ok else "  FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
