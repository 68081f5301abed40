"""`socready backup` then `socready restore` give back the same rows and files, on SQLite and on PostgreSQL,
with the files in the data directory or in an S3-compatible bucket (moto's server on loopback).

Each run is the installed command in its own process, pointed at data directories (and PostgreSQL
databases) of its own, as an operator would run it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

RUN_CLI = "from socready.cli.main import main; main()"
# Creates an organization with its owner (audited rows) and stores two evidence files.
MAKE_DATA = """
from socready.cli import django_setup
django_setup.setup(); django_setup.migrate()
from django.core.management import call_command
from socready.accounts.models import Organization, User, Membership
from socready.storage.blobs import blob_store
org = Organization.objects.create(name="Acme", slug="acme")
user = User.objects.create_user("alice@example.test", "a long enough password 1")
Membership.objects.create(organization=org, user=user, role="owner")
for body in (b"first evidence file", b"second evidence file" * 1000):
    blob_store().put([body], 10**9)
"""
STATE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from socready.cli import django_setup
django_setup.setup()
from socready.storage.backup import table_counts
from socready.storage.blobs import blob_store
store = blob_store()
blobs = {name: hashlib.sha256(store.open(name).read()).hexdigest() for name in store.names()}
print(json.dumps({"tables": table_counts(), "blobs": blobs}))
"""


def _pg_base() -> str | None:
    url = os.environ.get("SOCREADY_TEST_DATABASE_URL", "")
    return url if url.startswith("postgres") and os.environ.get("SOCREADY_DATABASE_URL") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def environments(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Two environments (source and target) with data directories and, for PostgreSQL, databases of their own."""
    base = dict(os.environ)
    base.pop("SOCREADY_DATABASE_URL", None)
    base["SOCREADY_TASKS_IMMEDIATE"] = "1"
    made: list[str] = []
    envs = []
    pg = _pg_base()
    if request.param == "postgresql" and pg is None:
        pytest.skip("PostgreSQL run only (SOCREADY_DATABASE_URL is not set)")
    for side in ("source", "target"):
        env = {**base, "SOCREADY_DATA_DIR": str(tmp_path / side)}
        if request.param == "postgresql" and pg is not None:
            name = f"socready_bk_{uuid.uuid4().hex[:10]}"
            server = pg.rsplit("/", 1)[0]
            subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
            made.append(name)
            env["SOCREADY_DATABASE_URL"] = f"{server}/{name}"
        envs.append(env)
    yield envs[0], envs[1]
    for name in made:
        server = str(pg).rsplit("/", 1)[0]
        subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       check=False)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_CLI, *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def state(env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", STATE], env=env, capture_output=True, text=True, timeout=300,
                         check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_a_backup_restores_the_same_rows_and_files_and_refuses_a_used_target(
        environments: tuple[dict[str, str], dict[str, str]], tmp_path: Path) -> None:
    source, target = environments
    subprocess.run([sys.executable, "-c", MAKE_DATA], env=source, check=True, timeout=300)
    before = state(source)
    assert len(before["blobs"]) == 2  # type: ignore[arg-type]

    made = run(source, "backup", str(tmp_path / "backup"), "--json")
    assert made.returncode == 0, made.stderr
    manifest = json.loads(made.stdout)
    assert manifest["tables"] == before["tables"] and set(manifest["blobs"]) == set(before["blobs"])  # type: ignore[arg-type]

    restored = run(target, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    after = state(target)
    assert after == before  # identical row counts, and every file hashing to its name
    assert all(name == digest for name, digest in after["blobs"].items())  # type: ignore[union-attr]
    assert run(target, "audit", "verify").returncode == 0
    assert run(target, "evidence", "verify").returncode == 0

    again = run(source, "restore", str(tmp_path / "backup"))
    assert again.returncode == 2 and "already holds data" in again.stderr
    assert run(source, "restore", str(tmp_path / "backup"), "--force").returncode == 0
    assert run(source, "backup", str(tmp_path / "backup")).returncode == 2  # not an empty folder


def test_evidence_verify_names_a_tampered_file(tmp_path: Path) -> None:
    env = {**os.environ, "SOCREADY_DATA_DIR": str(tmp_path / "data"), "SOCREADY_TASKS_IMMEDIATE": "1"}
    env.pop("SOCREADY_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", MAKE_DATA], env=env, check=True, timeout=300)
    assert run(env, "evidence", "verify").returncode == 0
    stored = next(p for p in (tmp_path / "data" / "evidence").rglob("*") if p.is_file() and len(p.name) == 64)
    stored.write_bytes(b"altered")
    checked = run(env, "evidence", "verify", "--json")
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["bad"] == [stored.name]


def test_files_in_an_s3_bucket_are_backed_up_and_restored_into_another_bucket(tmp_path: Path) -> None:
    import boto3

    from tests.connector_servers import moto_server

    with moto_server() as endpoint:
        base = {**os.environ, "SOCREADY_TASKS_IMMEDIATE": "1", "SOCREADY_S3_ENDPOINT_URL": endpoint,
                "SOCREADY_S3_PREFIX": "evidence", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1"}
        base.pop("SOCREADY_DATABASE_URL", None)
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
        for bucket in ("source-evidence", "target-evidence"):
            s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket="source-evidence", Key="not-socready.txt", Body=b"someone else's object")
        source = {**base, "SOCREADY_DATA_DIR": str(tmp_path / "source"), "SOCREADY_S3_BUCKET": "source-evidence"}
        target = {**base, "SOCREADY_DATA_DIR": str(tmp_path / "target"), "SOCREADY_S3_BUCKET": "target-evidence"}
        subprocess.run([sys.executable, "-c", MAKE_DATA], env=source, check=True, timeout=300)
        before = state(source)
        assert len(before["blobs"]) == 2  # type: ignore[arg-type]
        assert not (tmp_path / "source" / "evidence").exists() or not any(
            p.is_file() and len(p.name) == 64 for p in (tmp_path / "source" / "evidence").rglob("*"))

        made = run(source, "backup", str(tmp_path / "backup"), "--json")
        assert made.returncode == 0, made.stderr
        manifest = json.loads(made.stdout)
        assert set(manifest["blobs"]) == set(before["blobs"]) and manifest["blobs_left_out"] == []  # type: ignore[arg-type]
        assert manifest["storage"] == "s3://source-evidence/evidence"
        for sha256 in manifest["blobs"]:  # the files themselves are in the backup folder, by hash
            copy = tmp_path / "backup" / "blobs" / sha256[:2] / sha256[2:4] / sha256
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == sha256

        s3.put_object(Bucket="target-evidence", Key=f"evidence/{'0' * 64}", Body=b"left from before")
        refused = run(target, "restore", str(tmp_path / "backup"))
        assert refused.returncode == 2 and "already holds data" in refused.stderr
        restored = run(target, "restore", str(tmp_path / "backup"), "--force")
        assert restored.returncode == 0, restored.stderr
        assert state(target) == before  # identical row counts; every object hashing to its name, no other
        assert run(target, "audit", "verify").returncode == 0
        assert run(target, "evidence", "verify").returncode == 0

        # evidence verify reads the bucket: an altered object is named
        altered = sorted(before["blobs"])[0]  # type: ignore[call-overload]
        s3.put_object(Bucket="target-evidence", Key=f"evidence/{altered}", Body=b"altered")
        checked = run(target, "evidence", "verify", "--json")
        assert checked.returncode == 1 and json.loads(checked.stdout)["bad"] == [altered]
        # and a backup leaves it out, saying so
        partial = run(target, "backup", str(tmp_path / "backup-2"), "--json")
        assert partial.returncode == 1 and json.loads(partial.stdout)["blobs_left_out"] == [altered]
