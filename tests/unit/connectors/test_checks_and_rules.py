"""Check rules in core: verdicts over plain data, findings that name resources, the run document."""

from __future__ import annotations

import datetime as dt

from socready.core.connectors import aws_checks, github_checks, okta_checks
from socready.core.connectors.checks import CheckResult, Outcome, ResourceResult, finding_text, unjudged
from socready.core.connectors.document import digest, findings_for_control, run_document
from socready.core.connectors.mapping import check_targets, unknown_controls
from socready.core.connectors.plugin import ConnectionConfig
from socready.core.controls.library import default_library
from socready.core.window import Window

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _row(user: str, **values: str) -> dict[str, str]:
    return {"user": user, "password_enabled": "false", "mfa_active": "false", "access_key_1_active": "false",
            "access_key_1_last_rotated": "N/A", "access_key_2_active": "false",
            "access_key_2_last_rotated": "N/A", **values}


def test_console_users_without_mfa_fail_and_users_without_a_password_are_not_judged() -> None:
    report = [_row("<root_account>", password_enabled="not_supported"), _row("alice", password_enabled="true"),
              _row("bob", password_enabled="true", mfa_active="true"), _row("svc")]
    result = aws_checks.console_mfa(report)
    assert [r.resource for r in result.resources] == ["alice", "bob"]
    assert result.failing == ("alice",)
    assert result.finding() == "1 IAM user with console access and no MFA: alice"


def test_access_keys_older_than_90_days_fail_per_slot() -> None:
    report = [_row("carol", access_key_1_active="true", access_key_1_last_rotated="2026-01-01T00:00:00+00:00",
                   access_key_2_active="true", access_key_2_last_rotated="2026-05-20T00:00:00+00:00")]
    result = aws_checks.access_key_age(report, NOW)
    assert result.failing == ("carol key 1",)
    assert result.resources[1].reason == "12 days old"


def test_password_policy_names_each_shortfall_and_a_missing_policy_fails() -> None:
    weak = aws_checks.password_policy("1234", {"MinimumPasswordLength": 8, "RequireSymbols": True,
                                               "RequireNumbers": True, "RequireUppercaseCharacters": True,
                                               "RequireLowercaseCharacters": False})
    assert weak.resources[0].reason == ("minimum length 8 < 14; lower case not required; "
                                        "reuse of earlier passwords allowed")
    assert aws_checks.password_policy("1234", None).resources[0].reason == "no password policy is set"


def test_a_trail_must_be_multi_region_and_logging() -> None:
    assert aws_checks.cloudtrail("1", [aws_checks.Trail("t", True, False)]).outcome == Outcome.FAIL
    assert aws_checks.cloudtrail("1", [aws_checks.Trail("a", False, True),
                                       aws_checks.Trail("b", True, True)]).outcome == Outcome.PASS


def test_buckets_need_all_four_block_settings_unless_the_account_blocks() -> None:
    half = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True}
    buckets = [aws_checks.Bucket("a", None, None), aws_checks.Bucket("b", half, "AES256")]
    result = aws_checks.s3_public_block(buckets)
    assert result.failing == ("a", "b") and result.resources[1].reason == "BlockPublicPolicy off"
    assert aws_checks.s3_public_block(buckets, dict.fromkeys(aws_checks.PUBLIC_BLOCK_SETTINGS, True)).failing == ()
    assert aws_checks.s3_encryption(buckets).failing == ("a",)


def test_admin_ports_open_to_the_world_are_found_in_ranges_and_all_protocol_rules() -> None:
    ssh_world = {"IpProtocol": "tcp", "FromPort": 20, "ToPort": 23, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    rdp_office = {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
    everything_v6 = {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}
    assert aws_checks.open_admin_ports([ssh_world, rdp_office]) == [22]
    assert 3389 in aws_checks.open_admin_ports([everything_v6])
    result = aws_checks.admin_ports([("sg-1", [ssh_world]), ("sg-2", [rdp_office])])
    assert result.failing == ("sg-1",)


def test_rds_guardduty_and_ebs_verdicts() -> None:
    encrypted, backups = aws_checks.rds([{"DBInstanceIdentifier": "db1", "StorageEncrypted": False,
                                          "BackupRetentionPeriod": 0}])
    assert encrypted.failing == ("db1",) and backups.failing == ("db1",)
    assert aws_checks.guardduty({"us-east-1": True, "eu-west-1": False}).failing == ("eu-west-1",)
    assert aws_checks.ebs_default({"us-east-1": False}).finding() == (
        "1 region without EBS encryption by default: us-east-1")


def test_github_rules() -> None:
    protection = github_checks.branch_protection([
        ("acme/a", "main", {"required_pull_request_reviews": {"required_approving_review_count": 2}}),
        ("acme/b", "main", {}), ("acme/c", "trunk", None)])
    assert protection.failing == ("acme/b", "acme/c")
    assert protection.finding().startswith("2 repositories whose default branch")
    alerts = [{"number": 1, "state": "open", "created_at": "2026-05-01T00:00:00Z",
               "security_advisory": {"severity": "critical"}, "repository": {"full_name": "acme/a"}},
              {"number": 2, "state": "open", "created_at": "2026-05-01T00:00:00Z",
               "security_advisory": {"severity": "medium"}, "repository": {"full_name": "acme/a"}}]
    assert github_checks.dependabot_sla(alerts, NOW).failing == ("acme/a#1",)
    reviews = [{"user": {"login": "x"}, "state": "APPROVED"}, {"user": {"login": "y"}, "state": "APPROVED"},
               {"user": {"login": "y"}, "state": "DISMISSED"}, {"user": {"login": "me"}, "state": "APPROVED"}]
    assert github_checks.approvers(reviews, "me") == ["x"]
    window = Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert github_checks.merged_in_window({"merged_at": "2026-02-01T00:00:00Z"}, window)
    assert not github_checks.merged_in_window({"merged_at": None}, window)


def test_okta_rules() -> None:
    users = [({"id": "1", "profile": {"login": "a@x"}}, [{"factorType": "push", "status": "ACTIVE"}]),
             ({"id": "2", "profile": {"login": "b@x"}}, [{"factorType": "question", "status": "ACTIVE"}])]
    assert okta_checks.users_mfa(users).failing == ("b@x",)
    assert okta_checks.admin_count(["c", "a", "b"], 2).failing == ("c",)
    window = Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    rows = okta_checks.terminations("acme.okta.com", [
        {"id": "1", "status": "DEPROVISIONED", "statusChanged": "2026-02-02T00:00:00.000Z", "profile": {"login": "a"}},
        {"id": "2", "status": "DEPROVISIONED", "statusChanged": "2025-02-02T00:00:00.000Z", "profile": {"login": "b"}},
        {"id": "3", "status": "ACTIVE", "statusChanged": "2026-02-02T00:00:00.000Z", "profile": {"login": "c"}}],
        window)
    assert [r["user_id"] for r in rows.rows] == ["1"] and rows.control == "IAM-02"


def test_findings_name_at_most_twenty_resources_and_errors_never_pass() -> None:
    names = [f"u{i}" for i in range(25)]
    assert finding_text(aws_checks.CONSOLE_MFA, names).endswith("u19 and 5 more")
    errored = CheckResult(aws_checks.GUARDDUTY, (ResourceResult("us-east-1", Outcome.ERROR, "AccessDenied"),))
    assert errored.outcome == Outcome.ERROR
    assert unjudged(aws_checks.GUARDDUTY, "no permission").outcome == Outcome.ERROR


def test_the_run_document_gives_back_findings_per_control_and_a_stable_digest() -> None:
    result = aws_checks.console_mfa([_row("alice", password_enabled="true")])
    error = unjudged(aws_checks.GUARDDUTY, "AccessDenied: not allowed")
    document = run_document(connection="prod", kind="aws", account="AWS account 1", collected_at=NOW,
                            results=[result, error])
    assert findings_for_control(document, "IAM-05") == ("1 IAM user with console access and no MFA: alice",)
    assert findings_for_control(document, "LOG-03") == (
        "GuardDuty is enabled: could not be checked (AccessDenied: not allowed)",)
    assert findings_for_control({"any": "manual result"}, "IAM-05") == ()
    assert digest(document) == digest(dict(reversed(list(document.items()))))


def test_every_builtin_check_maps_to_library_controls_and_through_them_to_criteria() -> None:
    library = default_library()
    checks = aws_checks.CHECKS + github_checks.CHECKS + okta_checks.CHECKS
    assert unknown_controls(checks, library) == ()
    targets = check_targets(aws_checks.CONSOLE_MFA, library)
    assert "CC6.1" in targets.criteria and "ITGC-ACCESS" in targets.objectives


def test_config_options_are_stripped_and_defaulted() -> None:
    config = ConnectionConfig("x", {"regions": " us-east-1 "}, {}, dt.date(2026, 1, 1))
    assert config.option("regions") == "us-east-1" and config.option("missing", "d") == "d"
