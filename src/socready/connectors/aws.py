"""The AWS connector: IAM, CloudTrail, S3, RDS, GuardDuty, EBS and security groups, in any list of regions.

boto3 with the usual credential chain (environment, profile, instance role) unless keys are given as
options. botocore's standard retry mode backs off on throttling; a run that cannot reach AWS or whose
credentials are refused fails with botocore's own words. Buckets are examined a few at a time in parallel.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from socready.core.connectors import aws_checks as rules
from socready.core.connectors.checks import CheckDefinition, CheckResult, unjudged
from socready.core.connectors.plugin import Collection, CollectionError, ConnectionConfig, OptionSpec

BUCKET_WORKERS = 16
REPORT_WAIT_S = 30.0
T = TypeVar("T")


@functools.cache
def known_regions() -> frozenset[str]:
    """Every region botocore knows, across partitions (read once: a new session re-reads its data files)."""
    session = boto3.session.Session()
    return frozenset(r for p in session.get_available_partitions() for r in session.get_available_regions("ec2", p))


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class AwsConnector:
    """Checks one AWS account across the given regions."""

    kind = "aws"
    label = "AWS"
    checks = rules.CHECKS
    options = (
        OptionSpec("regions", "regions to examine, comma separated", default="us-east-1"),
        OptionSpec("endpoint_url", "an AWS-compatible endpoint instead of AWS itself"),
        OptionSpec("profile", "a profile of the AWS config files, instead of keys"),
        OptionSpec("access_key_id", "an access key id (default: the usual AWS credential chain)", secret=True),
        OptionSpec("secret_access_key", "its secret access key", secret=True),
        OptionSpec("session_token", "a session token for temporary credentials", secret=True),
    )

    def regions(self, config: ConnectionConfig) -> list[str]:
        """The regions to examine; an unknown name fails the run before any call."""
        regions = [r.strip() for r in config.option("regions", "us-east-1").split(",") if r.strip()]
        unknown = sorted(set(regions) - known_regions())
        if unknown:
            raise CollectionError(f"unknown AWS region {', '.join(unknown)} (option regions)")
        return regions or ["us-east-1"]

    def session(self, config: ConnectionConfig, region: str) -> boto3.session.Session:
        """A boto3 session with the connection's keys or profile, or the default credential chain."""
        keys = {k: config.secrets[k] for k in ("access_key_id", "secret_access_key", "session_token")
                if config.secrets.get(k)}
        try:
            return boto3.session.Session(aws_access_key_id=keys.get("access_key_id"),
                                         aws_secret_access_key=keys.get("secret_access_key"),
                                         aws_session_token=keys.get("session_token"),
                                         profile_name=config.option("profile") or None, region_name=region)
        except BotoCoreError as exc:
            raise CollectionError(f"AWS credentials: {exc}") from None

    def _clients(self, config: ConnectionConfig, region: str) -> Callable[[str], BaseClient]:
        session = self.session(config, region)
        retry = Config(retries={"mode": "standard", "max_attempts": config.max_attempts},
                       connect_timeout=config.timeout_s, read_timeout=config.timeout_s,
                       max_pool_connections=BUCKET_WORKERS)
        endpoint = config.option("endpoint_url") or None
        made: dict[str, BaseClient] = {}

        def client(service: str) -> BaseClient:
            # Creating a client loads its service model (tens of milliseconds): one per service and region.
            if service not in made:
                made[service] = session.client(service, endpoint_url=endpoint, config=retry)
            return made[service]
        return client

    def test(self, config: ConnectionConfig) -> str:
        """Ask STS who the credentials belong to."""
        self.regions(config)
        client = self._clients(config, self.regions(config)[0])
        identity = self._call(lambda: client("sts").get_caller_identity())
        return f"AWS account {identity['Account']} (as {identity['Arn']})"

    def _call(self, action: Callable[[], T]) -> T:
        """A call whose failure ends the run (identity, listings every check needs)."""
        try:
            return action()
        except ClientError as exc:
            raise CollectionError(f"AWS refused the call: {exc}") from None
        except NoCredentialsError:
            raise CollectionError("no AWS credentials: give the access_key_id and secret_access_key options, a "
                                  "profile, or set up the usual AWS credential chain (environment, config files, "
                                  "instance role)") from None
        except BotoCoreError as exc:
            raise CollectionError(f"AWS could not be reached: {exc}") from None

    def collect(self, config: ConnectionConfig) -> Collection:
        """Run every AWS check; a check AWS refuses (no permission) is an error, not a pass."""
        regions = self.regions(config)
        account = self.test(config)
        account_id = account.split()[2]
        client = self._clients(config, regions[0])
        report = self._credential_report(client("iam"))
        now = dt.datetime.now(dt.UTC)
        results: list[CheckResult] = [
            rules.console_mfa(report),
            self._guarded(rules.ROOT_MFA, lambda: rules.root_mfa(
                account_id, bool(client("iam").get_account_summary()["SummaryMap"].get("AccountMFAEnabled")))),
            rules.access_key_age(report, now),
            self._guarded(rules.PASSWORD_POLICY, lambda: rules.password_policy(account_id,
                                                                             self._password_policy(client("iam")))),
        ]
        per_region = {region: self._clients(config, region) for region in regions}
        results.append(self._guarded(rules.CLOUDTRAIL, lambda: rules.cloudtrail(account_id, self._trails(per_region))))
        results.extend(self._s3(client("s3")))
        results.extend(self._guarded_pair((rules.RDS_ENCRYPTION, rules.RDS_BACKUPS), lambda: rules.rds(
            [i for region, c in per_region.items() for i in self._rds(c("rds"), region)])))
        results.append(self._guarded(rules.GUARDDUTY, lambda: rules.guardduty(
            {region: self._guardduty(c("guardduty")) for region, c in per_region.items()})))
        results.append(self._guarded(rules.EBS_DEFAULT, lambda: rules.ebs_default(
            {region: bool(c("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"])
             for region, c in per_region.items()})))
        results.append(self._guarded(rules.ADMIN_PORTS_OPEN, lambda: rules.admin_ports(
            [group for region, c in per_region.items() for group in self._groups(c("ec2"), region)])))
        return Collection(tuple(results), (), account)

    def _guarded(self, check: CheckDefinition, action: Callable[[], CheckResult]) -> CheckResult:
        try:
            return action()
        except ClientError as exc:
            return unjudged(check, f"{_code(exc)}: {exc}")

    def _guarded_pair(self, checks: tuple[CheckDefinition, CheckDefinition],
                      action: Callable[[], tuple[CheckResult, CheckResult]]) -> tuple[CheckResult, CheckResult]:
        try:
            return action()
        except ClientError as exc:
            return unjudged(checks[0], f"{_code(exc)}: {exc}"), unjudged(checks[1], f"{_code(exc)}: {exc}")

    def _credential_report(self, iam: BaseClient) -> list[dict[str, str]]:
        deadline = time.monotonic() + REPORT_WAIT_S
        pause = 0.2
        while self._call(lambda: iam.generate_credential_report())["State"] != "COMPLETE":
            if time.monotonic() > deadline:
                raise CollectionError(f"AWS did not finish the IAM credential report within {REPORT_WAIT_S:g} s")
            time.sleep(pause)
            pause = min(pause * 2, 5.0)
        content = self._call(lambda: iam.get_credential_report())["Content"]
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))

    def _password_policy(self, iam: BaseClient) -> dict[str, Any] | None:
        try:
            return dict(iam.get_account_password_policy()["PasswordPolicy"])
        except ClientError as exc:
            if _code(exc) == "NoSuchEntity":
                return None
            raise

    def _trails(self, per_region: dict[str, Callable[[str], BaseClient]]) -> list[rules.Trail]:
        trails: dict[str, rules.Trail] = {}
        for client in per_region.values():
            cloudtrail = client("cloudtrail")
            for trail in cloudtrail.describe_trails(includeShadowTrails=True)["trailList"]:
                arn = str(trail.get("TrailARN") or trail["Name"])
                if arn in trails:
                    continue
                status = cloudtrail.get_trail_status(Name=arn)
                trails[arn] = rules.Trail(str(trail["Name"]), bool(trail.get("IsMultiRegionTrail")),
                                          bool(status.get("IsLogging")))
        return list(trails.values())

    def _s3(self, s3: BaseClient) -> tuple[CheckResult, CheckResult]:
        try:
            names = [str(b["Name"]) for b in s3.list_buckets().get("Buckets", [])]
        except ClientError as exc:
            return (unjudged(rules.S3_PUBLIC_BLOCK, f"{_code(exc)}: {exc}"),
                    unjudged(rules.S3_ENCRYPTION, f"{_code(exc)}: {exc}"))

        def settings(name: str) -> rules.Bucket:
            try:
                block: dict[str, bool] | None = dict(
                    s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"])
            except ClientError as exc:
                if _code(exc) != "NoSuchPublicAccessBlockConfiguration":
                    raise
                block = None
            try:
                rules_ = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]
                encryption = str(rules_[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]) if rules_ else None
            except ClientError as exc:
                if _code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
                    raise
                encryption = None
            return rules.Bucket(name, block, encryption)

        try:
            with ThreadPoolExecutor(max_workers=BUCKET_WORKERS) as pool:
                buckets = list(pool.map(settings, names))
        except ClientError as exc:
            return (unjudged(rules.S3_PUBLIC_BLOCK, f"{_code(exc)}: {exc}"),
                    unjudged(rules.S3_ENCRYPTION, f"{_code(exc)}: {exc}"))
        return rules.s3_public_block(buckets), rules.s3_encryption(buckets)

    def _rds(self, rds: BaseClient, region: str) -> list[dict[str, Any]]:
        found = []
        for page in rds.get_paginator("describe_db_instances").paginate():
            for instance in page["DBInstances"]:
                found.append({**instance, "DBInstanceIdentifier": f"{region}/{instance['DBInstanceIdentifier']}"})
        return found

    def _guardduty(self, guardduty: BaseClient) -> bool:
        return any(guardduty.get_detector(DetectorId=d).get("Status") == "ENABLED"
                   for d in guardduty.list_detectors().get("DetectorIds", []))

    def _groups(self, ec2: BaseClient, region: str) -> list[tuple[str, list[dict[str, Any]]]]:
        groups = []
        for page in ec2.get_paginator("describe_security_groups").paginate():
            for group in page["SecurityGroups"]:
                groups.append((f"{region}/{group['GroupId']} ({group.get('GroupName', '')})",
                               list(group.get("IpPermissions", []))))
        return groups
