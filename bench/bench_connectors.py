"""Connector benchmarks: collect from moto with 1,000 IAM users and 500 buckets (target < 30 s), and import
5,000 merged pull requests from a local GitHub API server as a change population (target < 10 s).

Run with the project's .venv: `.venv/bin/python bench/bench_connectors.py`. Both servers run on loopback;
nothing leaves the machine. Figures are wall-clock seconds of the collection itself (setting the servers up
is not counted). The second figure covers the whole run: the checks, the 50 GraphQL calls that bring the
pull requests with their reviews (100 a call; the local server executes each against GitHub's schema with
graphql-core, which is most of the figure), the population's CSV, its hashing and validation, and the
evidence rows.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.queues
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

USERS, BUCKETS, PULLS = 1000, 500, 5000
AWS_TARGET_S, PULLS_TARGET_S = 30.0, 10.0


def setup_django(folder: str) -> None:
    os.environ.update(SOCREADY_DATA_DIR=folder, SOCREADY_DEBUG="1", SOCREADY_TASKS_IMMEDIATE="1",
                      DJANGO_SETTINGS_MODULE="socready.web.settings", SOCREADY_LOG_LEVEL="ERROR")
    os.environ.pop("SOCREADY_DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bench_aws() -> float:
    import boto3

    from socready.connectors.aws import AwsConnector
    from socready.core.connectors.plugin import ConnectionConfig
    from tests.connector_servers import moto_server

    with moto_server() as url:
        keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # noqa: S105
        iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1", **keys)
        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", **keys)
        for n in range(USERS):
            iam.create_user(UserName=f"user{n:04d}")
            if n % 10 == 0:
                iam.create_login_profile(UserName=f"user{n:04d}", Password="A-long-Passw0rd!")
        for n in range(BUCKETS):
            s3.create_bucket(Bucket=f"bench-bucket-{n:04d}")
        config = ConnectionConfig(name="bench", options={"endpoint_url": url, "regions": "us-east-1"},
                                  secrets={"access_key_id": "testing", "secret_access_key": "testing"},
                                  today=dt.date.today())
        started = time.perf_counter()
        collection = AwsConnector().collect(config)
        elapsed = time.perf_counter() - started
    by_id = {r.check.id: r for r in collection.checks}
    assert len(by_id["aws.iam.console-mfa"].failing) == USERS // 10
    assert len(by_id["aws.s3.public-access-block"].resources) == BUCKETS
    return elapsed


def bench_pulls() -> tuple[float, int]:
    from socready.accounts.models import Organization
    from socready.connectors import services
    from socready.evidence.models import Population
    from socready.programs.models import Control, Engagement
    from tests.connector_servers import ProviderData, github_repo, github_user

    today = dt.date.today()
    org = Organization.objects.create(name="Bench", slug="bench")
    engagement = Engagement.objects.create(organization=org, report="soc2", report_type="type2",
                                           period_start=today - dt.timedelta(days=300),
                                           period_end=today + dt.timedelta(days=60), categories=["Security"])
    control = Control.objects.create(organization=org, code="CHG-01", library_id="CHG-01", title="Changes approved",
                                     frequency="per-event", criteria=["CC8.1"], status="operating")
    control.engagements.add(engagement)
    data = ProviderData()
    data.repos = [github_repo("acme", "monorepo")]
    data.members = [github_user("dev")]
    pulls, reviews = [], {}
    now = dt.datetime.now(dt.UTC)
    author, reviewer = github_user("author"), github_user("reviewer")
    for n in range(PULLS, 0, -1):  # newest first, as the API sorts by update time
        stamp = (now - dt.timedelta(minutes=80 * (PULLS - n))).strftime("%Y-%m-%dT%H:%M:%SZ")
        pulls.append({"number": n, "state": "closed", "title": f"Change {n}", "user": author, "created_at": stamp,
                      "updated_at": stamp, "closed_at": stamp, "merged_at": stamp,
                      "html_url": f"https://github.test/acme/monorepo/pull/{n}", "base": {"ref": "main"}})
        reviews[f"acme/monorepo#{n}"] = [{"id": n, "user": reviewer, "state": "APPROVED",
                                          "submitted_at": stamp}]
    data.pulls = {"acme/monorepo": pulls}
    data.reviews = reviews
    # The API server gets a process of its own, as GitHub is another machine: in this process it would
    # compete with the client for the interpreter lock and the figure would measure both.
    context = multiprocessing.get_context("fork")
    urls: multiprocessing.queues.Queue[str] = context.Queue()
    child = context.Process(target=_serve, args=(data, urls), daemon=True)
    child.start()
    url = urls.get(timeout=60)
    try:
        stored = services.Settings({"organization": "acme", "api_url": url}, {"token": "good-token"})
        connection = services.create_connection(org, None, kind="github", name="github", stored=stored)
        started = time.perf_counter()
        run = services.execute(services.queue_run(connection))
        elapsed = time.perf_counter() - started
    finally:
        child.terminate()
        child.join(10)
    assert run.status == "ok", run.error
    population = Population.objects.get(pk=run.population_ids[0])
    return elapsed, int(population.rows or 0)


def _serve(data: object, urls: multiprocessing.queues.Queue[str]) -> None:
    from tests.connector_servers import ProviderServer

    with ProviderServer(data) as server:  # type: ignore[arg-type]
        urls.put(server.url)
        threading.Event().wait()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="socready-bench-connectors-") as folder:
        setup_django(folder)
        aws = 0.0 if "--github-only" in sys.argv else bench_aws()
        print(f"aws collect, {USERS} IAM users and {BUCKETS} buckets (moto): {aws:.1f} s "
              f"(target < {AWS_TARGET_S:.0f} s) {'OK' if aws < AWS_TARGET_S else 'SLOW'}", flush=True)
        pulls, rows = bench_pulls()
        print(f"github run, {PULLS} merged pull requests imported as a population ({rows} rows): {pulls:.1f} s "
              f"(target < {PULLS_TARGET_S:.0f} s) {'OK' if pulls < PULLS_TARGET_S else 'SLOW'}", flush=True)
    return 0 if aws < AWS_TARGET_S and pulls < PULLS_TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
