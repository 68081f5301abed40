"""A run's document is stored as a hashed file, so downloads and the auditor's bundle carry it."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from django.test import Client

from socready.connectors import services
from socready.connectors.models import Run, RunStatus
from socready.core.connectors.document import digest
from socready.reports.exports import write_export
from socready.reports.services import program_readiness
from tests.connector_servers import ProviderServer
from tests.integration.connectors.conftest import adopt, running_engagement
from tests.integration.connectors.test_github_okta import github_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(personas, settings, tmp_path) -> Run:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    adopt(personas.acme, running_engagement(personas.acme), ("IAM-05", "CHG-01", "VUL-02"))
    with ProviderServer(github_data()) as server:
        stored = services.Settings({"organization": "acme", "api_url": server.url, "import_changes": "no"},
                                   {"token": "good-token"})
        connection = services.create_connection(personas.acme, None, kind="github", name="github", stored=stored)
        finished = services.execute(services.queue_run(connection))
    assert finished.status == RunStatus.OK, finished.error
    return finished


def test_the_run_document_is_a_file_whose_sha256_is_the_runs_digest(run, personas):  # type: ignore[no-untyped-def]
    revision = run.evidence.current
    assert revision.sha256 == run.result_sha256 == digest(revision.result)
    assert revision.file_name.startswith("github-github-run-") and revision.file_name.endswith(".json")
    assert revision.content_type == "application/json"
    client = Client()
    client.force_login(personas.dana)  # auditors may download
    response = client.get(f"/o/acme/evidence/{run.evidence.pk}/download/")
    assert response.status_code == 200 and response["X-Content-SHA256"] == run.result_sha256
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == run.result_sha256
    assert json.loads(body) == revision.result


def test_the_auditors_bundle_carries_the_run_document_under_each_control_with_its_hash(run, personas, tmp_path):  # type: ignore[no-untyped-def]
    path = write_export(program_readiness(personas.acme), "bundle", tmp_path / "bundle.zip")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        name = run.evidence.current.file_name
        for control in ("IAM-05", "CHG-01", "VUL-02"):
            entry = next(f for f in manifest["files"] if f["path"] == f"evidence/{control}/{name}")
            assert entry["sha256"] == run.result_sha256
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == run.result_sha256
        document = json.loads(archive.read(f"evidence/IAM-05/{name}"))
    assert {c["id"]: c["failing"] for c in document["checks"]}["github.members-2fa"] == ["mallory"]
