"""The AWS connector against moto's server through real boto3: findings by name, evidence, readiness."""

from __future__ import annotations

import socket

import httpx
import pytest

from socready.connectors import services
from socready.connectors.crypto import seal
from socready.connectors.models import CheckResult, Connection, Run, RunStatus
from socready.core.connectors.plugin import CollectionError
from socready.evidence.models import EvidenceItem, EvidenceKind
from socready.reports.services import program_readiness
from socready.snapshot import build_view
from tests.integration.connectors.conftest import AWS_KEYS, adopt, boto, running_engagement

pytestmark = pytest.mark.django_db


def _connection(org, url: str, **options: str) -> Connection:  # type: ignore[no-untyped-def]
    stored = services.Settings({"endpoint_url": url, "regions": "us-east-1", **options}, dict(AWS_KEYS))
    return services.create_connection(org, None, kind="aws", name="production", stored=stored)


def _checks(run: Run) -> dict[str, CheckResult]:
    return {c.check_id: c for c in run.checks.all()}


def _readiness_lines(org) -> list[str]:  # type: ignore[no-untyped-def]
    readiness = program_readiness(org, None).readiness
    return [line for score in readiness.controls for line in (*score.score.missing, score.next_step)]


def test_failing_user_bucket_and_trail_are_named_then_mfa_makes_the_user_pass(personas, moto, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    org = personas.acme
    adopt(org, running_engagement(org))
    iam, s3 = boto(moto, "iam"), boto(moto, "s3")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="A-long-Passw0rd!")
    iam.create_user(UserName="svc-deploy")  # no console access: not judged by the console check
    s3.create_bucket(Bucket="open-bucket")
    s3.create_bucket(Bucket="closed-bucket")
    s3.put_public_access_block(Bucket="closed-bucket", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})

    connection = _connection(org, moto)
    first = services.execute(services.queue_run(connection))
    assert first.status == RunStatus.OK, first.error
    checks = _checks(first)
    assert checks["aws.iam.console-mfa"].status == "fail"
    assert checks["aws.iam.console-mfa"].failing == ["alice"]
    assert checks["aws.iam.console-mfa"].finding == "1 IAM user with console access and no MFA: alice"
    assert checks["aws.s3.public-access-block"].failing == ["open-bucket"]
    assert checks["aws.cloudtrail.multi-region"].status == "fail"
    assert "no trail exists" in checks["aws.cloudtrail.multi-region"].resources[0]["reason"]
    assert len(checks) == 12

    evidence = first.evidence
    assert evidence is not None and evidence.kind == EvidenceKind.RESULT
    assert evidence.effective_date == first.finished_at.date()
    assert {"IAM-05", "DPE-05", "LOG-01"} <= set(evidence.controls.values_list("code", flat=True))
    assert evidence.current.result["checks"][0]["id"] == "aws.iam.console-mfa"
    assert services.verify_run(first)
    assert "1 IAM user with console access and no MFA: alice" in " ".join(_readiness_lines(org))
    assert "1 S3 bucket without a full public-access block: open-bucket" in " ".join(_readiness_lines(org))

    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")["VirtualMFADevice"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=device["SerialNumber"], AuthenticationCode1="123456",
                          AuthenticationCode2="654321")
    second = services.execute(services.queue_run(connection))
    assert second.status == RunStatus.OK, second.error
    console = _checks(second)["aws.iam.console-mfa"]
    assert console.status == "pass"
    assert console.resources == [{"resource": "alice", "status": "pass", "reason": "MFA active"}]
    assert EvidenceItem.objects.filter(organization=org, kind=EvidenceKind.RESULT).count() == 2
    lines = " ".join(_readiness_lines(org))
    assert "alice" not in lines  # only the latest run of a connection counts
    assert "open-bucket" in lines


def test_the_checks_show_in_the_snapshot_of_each_control_they_support(personas, moto, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    org = personas.acme
    adopt(org, running_engagement(org), ("IAM-05", "LOG-01"))
    boto(moto, "iam").create_user(UserName="bob")
    boto(moto, "iam").create_login_profile(UserName="bob", Password="A-long-Passw0rd!")
    run = services.execute(services.queue_run(_connection(org, moto)))
    states = {s.id: s for s in build_view(org).snapshot.controls}
    assert states["IAM-05"].failing_checks[0] == "1 IAM user with console access and no MFA: bob"
    assert states["LOG-01"].failing_checks == ("1 account with no logging multi-region CloudTrail trail: 123456789012",)
    assert run.evidence.controls.count() == 2  # only adopted controls are linked


@pytest.mark.parametrize(("options", "message"), [
    ({"regions": "mars-north-1"}, "unknown AWS region mars-north-1"),
])
def test_bad_settings_are_refused_before_saving(personas, moto, options, message):  # type: ignore[no-untyped-def]
    with pytest.raises(CollectionError, match=message):
        _connection(personas.acme, moto, **options)
    assert not Connection.objects.exists()


def test_a_run_with_an_unknown_region_fails_and_stores_nothing(personas, moto, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    adopt(personas.acme)
    connection = _connection(personas.acme, moto)
    connection.options = {**connection.options, "regions": "us-east-1,atlantis-1"}
    connection.save()
    run = services.execute(services.queue_run(connection))
    assert run.status == RunStatus.FAILED
    assert "unknown AWS region atlantis-1" in run.error
    assert run.evidence is None and not run.checks.exists() and not EvidenceItem.objects.exists()
    connection.refresh_from_db()
    assert connection.failures_in_a_row == 1


def test_an_endpoint_that_is_down_fails_the_run_with_a_clear_message(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.CONNECTOR_MAX_ATTEMPTS, settings.CONNECTOR_TIMEOUT_S = 1, 2
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = Connection.objects.create(organization=personas.acme, kind="aws", name="down",
                                           options={"endpoint_url": f"http://127.0.0.1:{port}"},
                                           credentials=seal(AWS_KEYS))
    run = services.execute(services.queue_run(connection))
    assert run.status == RunStatus.FAILED
    assert "AWS could not be reached" in run.error and f"127.0.0.1:{port}" in run.error
    assert not EvidenceItem.objects.exists()


def test_no_credentials_at_all_fail_the_run_saying_where_they_are_looked_for(personas, moto, monkeypatch):  # type: ignore[no-untyped-def]
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    connection = Connection.objects.create(organization=personas.acme, kind="aws", name="nokeys",
                                           options={"endpoint_url": moto})
    run = services.execute(services.queue_run(connection))
    assert run.status == RunStatus.FAILED and run.error.startswith("no AWS credentials")


def _moto_auth(url: str, free_calls: bytes) -> None:
    """How many calls moto lets through before it checks keys (b"inf": never checks)."""
    httpx.post(f"{url}/moto-api/reset-auth", content=free_calls, headers={"Content-Type": "text/plain"},
               timeout=10).raise_for_status()


def test_wrong_credentials_fail_the_run_and_the_secret_is_not_in_the_message(personas, moto, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    adopt(personas.acme)
    connection = _connection(personas.acme, moto)
    # From here moto checks every request's keys against its own IAM users, as AWS does.
    _moto_auth(moto, b"0")
    try:
        run = services.execute(services.queue_run(connection))
    finally:
        _moto_auth(moto, b"inf")
    assert run.status == RunStatus.FAILED
    assert "AWS refused the call" in run.error and "InvalidClientTokenId" in run.error
    assert AWS_KEYS["secret_access_key"] not in run.error
    assert not EvidenceItem.objects.exists()
