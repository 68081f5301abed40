"""The AWS checks: definitions and verdicts over plain data the AWS client gathered.

Inputs are what AWS reports (the IAM credential report's rows, a bucket's public-access block, a security
group's permissions) as dicts and small dataclasses, so every rule is tested here without a network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socready.core.connectors.checks import CheckDefinition, CheckResult, judged

KEY_MAX_AGE_DAYS = 90
ADMIN_PORTS: tuple[int, ...] = (22, 3389, 3306, 5432, 1433, 5900, 6379, 9200, 27017)
WORLD = ("0.0.0.0/0", "::/0")
PUBLIC_BLOCK_SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")

CONSOLE_MFA = CheckDefinition(
    "aws.iam.console-mfa", "IAM users with console access have MFA",
    "Every IAM user who can sign in to the console needs a second factor.", ("IAM-05",),
    "IAM user", "with console access and no MFA")
ROOT_MFA = CheckDefinition(
    "aws.iam.root-mfa", "The root user has MFA",
    "The account's root user, which no policy restricts, is protected by a second factor.", ("IAM-05", "IAM-04"),
    "account", "whose root user has no MFA")
ACCESS_KEY_AGE = CheckDefinition(
    "aws.iam.access-key-age", f"Active access keys are younger than {KEY_MAX_AGE_DAYS} days",
    "Long-lived keys are rotated, so a leaked key stops working.", ("IAM-08",),
    "access key", f"active for more than {KEY_MAX_AGE_DAYS} days")
PASSWORD_POLICY = CheckDefinition(
    "aws.iam.password-policy", "The IAM password policy is strong enough",
    "Console passwords have a minimum length and mixed characters, and cannot be reused at once.", ("IAM-06",),
    "account", "with a weak or missing password policy")
CLOUDTRAIL = CheckDefinition(
    "aws.cloudtrail.multi-region", "A multi-region CloudTrail trail is logging",
    "API activity in every region is recorded by a trail that is switched on.", ("LOG-01",),
    "account", "with no logging multi-region CloudTrail trail")
S3_PUBLIC_BLOCK = CheckDefinition(
    "aws.s3.public-access-block", "S3 buckets block public access",
    "No bucket can be opened to the internet by an ACL or a bucket policy.", ("DPE-05", "NET-01"),
    "S3 bucket", "without a full public-access block")
S3_ENCRYPTION = CheckDefinition(
    "aws.s3.default-encryption", "S3 buckets encrypt by default",
    "Objects written to each bucket are encrypted at rest.", ("DPE-01",),
    "S3 bucket", "without default encryption")
RDS_ENCRYPTION = CheckDefinition(
    "aws.rds.encryption", "RDS databases are encrypted",
    "Database storage, its snapshots and backups are encrypted at rest.", ("DPE-01",),
    "RDS instance", "without storage encryption")
RDS_BACKUPS = CheckDefinition(
    "aws.rds.backups", "RDS databases have automated backups",
    "Each database keeps automated backups for at least a day.", ("BCP-01",),
    "RDS instance", "without automated backups")
GUARDDUTY = CheckDefinition(
    "aws.guardduty.enabled", "GuardDuty is enabled",
    "Threat detection watches the account in every region examined.", ("LOG-03",),
    "region", "without an enabled GuardDuty detector")
EBS_DEFAULT = CheckDefinition(
    "aws.ec2.ebs-encryption-default", "EBS encryption by default is on",
    "New EBS volumes in every region examined are encrypted without anyone asking.", ("DPE-01",),
    "region", "without EBS encryption by default")
ADMIN_PORTS_OPEN = CheckDefinition(
    "aws.ec2.admin-ports", "No security group opens admin ports to the world",
    "Remote administration (SSH, RDP, database ports) is not reachable from any address.", ("NET-01", "NET-04"),
    "security group", "open to the world on an admin port")

CHECKS: tuple[CheckDefinition, ...] = (
    CONSOLE_MFA, ROOT_MFA, ACCESS_KEY_AGE, PASSWORD_POLICY, CLOUDTRAIL, S3_PUBLIC_BLOCK, S3_ENCRYPTION,
    RDS_ENCRYPTION, RDS_BACKUPS, GUARDDUTY, EBS_DEFAULT, ADMIN_PORTS_OPEN,
)


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _timestamp(value: str | None) -> dt.datetime | None:
    text = (value or "").strip()
    if not text or text in ("N/A", "not_supported", "no_information"):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def console_mfa(report: Iterable[Mapping[str, str]]) -> CheckResult:
    """Users whose password is enabled (console access) must have MFA active; the root row is judged apart."""
    verdicts = []
    for row in report:
        if row.get("user") == "<root_account>" or not _true(row.get("password_enabled")):
            continue
        mfa = _true(row.get("mfa_active"))
        verdicts.append((row["user"], mfa, "MFA active" if mfa else "console password set, no MFA device"))
    return judged(CONSOLE_MFA, verdicts)


def root_mfa(account: str, mfa_enabled: bool) -> CheckResult:
    """The root user's MFA as the account summary reports it (AccountMFAEnabled)."""
    return judged(ROOT_MFA, [(account, mfa_enabled, "root MFA enabled" if mfa_enabled else "root MFA not enabled")])


def access_key_age(report: Iterable[Mapping[str, str]], now: dt.datetime,
                   max_days: int = KEY_MAX_AGE_DAYS) -> CheckResult:
    """Each active access key (two slots per user) must have been rotated within ``max_days``."""
    verdicts = []
    for row in report:
        for slot in ("1", "2"):
            if not _true(row.get(f"access_key_{slot}_active")):
                continue
            rotated = _timestamp(row.get(f"access_key_{slot}_last_rotated"))
            name = f"{row.get('user', '?')} key {slot}"
            if rotated is None:
                verdicts.append((name, False, "active key with no rotation date"))
                continue
            age = (now - rotated).days
            verdicts.append((name, age <= max_days, f"{age} days old"))
    return judged(ACCESS_KEY_AGE, verdicts)


@dataclass(frozen=True)
class PasswordRules:
    """What the password policy must ask at least."""

    min_length: int = 14
    require_symbols: bool = True
    require_numbers: bool = True
    require_uppercase: bool = True
    require_lowercase: bool = True
    reuse_prevention: int = 1


def password_policy(account: str, policy: Mapping[str, Any] | None,
                    rules: PasswordRules = PasswordRules()) -> CheckResult:  # noqa: B008 - frozen default
    """The account password policy against ``rules``; a missing policy fails."""
    if policy is None:
        return judged(PASSWORD_POLICY, [(account, False, "no password policy is set")])
    short: list[str] = []
    if int(policy.get("MinimumPasswordLength", 0)) < rules.min_length:
        short.append(f"minimum length {policy.get('MinimumPasswordLength', 0)} < {rules.min_length}")
    for key, wanted, words in (("RequireSymbols", rules.require_symbols, "symbols"),
                               ("RequireNumbers", rules.require_numbers, "numbers"),
                               ("RequireUppercaseCharacters", rules.require_uppercase, "upper case"),
                               ("RequireLowercaseCharacters", rules.require_lowercase, "lower case")):
        if wanted and not policy.get(key):
            short.append(f"{words} not required")
    if int(policy.get("PasswordReusePrevention", 0) or 0) < rules.reuse_prevention:
        short.append("reuse of earlier passwords allowed")
    return judged(PASSWORD_POLICY, [(account, not short, "; ".join(short) or "meets the rules")])


@dataclass(frozen=True)
class Trail:
    """A CloudTrail trail as describe_trails and get_trail_status report it."""

    name: str
    multi_region: bool
    logging: bool


def cloudtrail(account: str, trails: Sequence[Trail]) -> CheckResult:
    """At least one trail must be multi-region and logging."""
    good = [t.name for t in trails if t.multi_region and t.logging]
    if good:
        return judged(CLOUDTRAIL, [(account, True, f"trail {good[0]} is multi-region and logging")])
    if not trails:
        reason = "no trail exists"
    else:
        reason = "; ".join(f"{t.name}: {'multi-region' if t.multi_region else 'single region'}, "
                           f"{'logging' if t.logging else 'not logging'}" for t in trails)
    return judged(CLOUDTRAIL, [(account, False, reason)])


@dataclass(frozen=True)
class Bucket:
    """An S3 bucket's public-access block settings (None: none set) and default encryption (None: none)."""

    name: str
    public_access_block: Mapping[str, bool] | None
    encryption: str | None


def s3_public_block(buckets: Sequence[Bucket], account_block: Mapping[str, bool] | None = None) -> CheckResult:
    """Each bucket must block public access with all four settings, itself or through the account's block."""
    account_full = account_block is not None and all(account_block.get(k) for k in PUBLIC_BLOCK_SETTINGS)
    verdicts = []
    for bucket in buckets:
        if account_full:
            verdicts.append((bucket.name, True, "blocked by the account's public-access block"))
            continue
        block = bucket.public_access_block
        off = [k for k in PUBLIC_BLOCK_SETTINGS if not (block or {}).get(k)]
        reason = "no public-access block" if block is None else (f"{', '.join(off)} off" if off else "all four on")
        verdicts.append((bucket.name, not off, reason))
    return judged(S3_PUBLIC_BLOCK, verdicts)


def s3_encryption(buckets: Sequence[Bucket]) -> CheckResult:
    """Each bucket must have a default encryption rule."""
    return judged(S3_ENCRYPTION, [(b.name, b.encryption is not None,
                                   f"default encryption {b.encryption}" if b.encryption else "no default encryption")
                                  for b in buckets])


def rds(instances: Sequence[Mapping[str, Any]]) -> tuple[CheckResult, CheckResult]:
    """Storage encryption and automated backups (retention of at least one day) per DB instance."""
    encrypted = [(str(i["DBInstanceIdentifier"]), bool(i.get("StorageEncrypted")),
                  "storage encrypted" if i.get("StorageEncrypted") else "storage not encrypted") for i in instances]
    backups = [(str(i["DBInstanceIdentifier"]), int(i.get("BackupRetentionPeriod") or 0) >= 1,
                f"backups kept {int(i.get('BackupRetentionPeriod') or 0)} days") for i in instances]
    return judged(RDS_ENCRYPTION, encrypted), judged(RDS_BACKUPS, backups)


def guardduty(detectors: Mapping[str, bool]) -> CheckResult:
    """Per region: an enabled detector (``{region: enabled}``)."""
    return judged(GUARDDUTY, [(region, on, "detector enabled" if on else "no enabled detector")
                              for region, on in detectors.items()])


def ebs_default(regions: Mapping[str, bool]) -> CheckResult:
    """Per region: EBS encryption by default switched on."""
    return judged(EBS_DEFAULT, [(region, on, "on" if on else "off") for region, on in regions.items()])


def open_admin_ports(permissions: Iterable[Mapping[str, Any]], ports: Sequence[int] = ADMIN_PORTS) -> list[int]:
    """The admin ports that inbound rules open to any address (0.0.0.0/0 or ::/0); all protocols count too."""
    opened: set[int] = set()
    for rule in permissions:
        ranges = [r.get("CidrIp") for r in rule.get("IpRanges", [])] + \
                 [r.get("CidrIpv6") for r in rule.get("Ipv6Ranges", [])]
        if not any(cidr in WORLD for cidr in ranges):
            continue
        if str(rule.get("IpProtocol")) == "-1":
            opened.update(ports)
            continue
        low, high = rule.get("FromPort"), rule.get("ToPort")
        if low is None or high is None:
            continue
        opened.update(p for p in ports if int(low) <= p <= int(high))
    return sorted(opened)


def admin_ports(groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]) -> CheckResult:
    """Per security group (name, inbound permissions): no admin port open to the world."""
    verdicts = []
    for name, permissions in groups:
        opened = open_admin_ports(permissions)
        verdicts.append((name, not opened, f"open to the world on {', '.join(map(str, opened))}" if opened
                         else "no admin port open to the world"))
    return judged(ADMIN_PORTS_OPEN, verdicts)
