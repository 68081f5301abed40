"""The GitHub checks and the change population, over the JSON GitHub's REST API returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from socready.core.connectors.checks import CheckDefinition, CheckResult, judged
from socready.core.connectors.plugin import PopulationRows
from socready.core.window import Window

# Days an open Dependabot alert may stay open, by severity (override with the dependabot_sla option).
DEFAULT_SLA_DAYS: dict[str, int] = {"critical": 15, "high": 30, "medium": 90, "low": 180}

BRANCH_PROTECTION = CheckDefinition(
    "github.branch-protection", "Default branches require reviewed pull requests",
    "No change reaches a repository's default branch without an approving review.", ("CHG-01",),
    "repository", "whose default branch does not require an approving review",
    "repositories")
MEMBERS_2FA = CheckDefinition(
    "github.members-2fa", "Organization members use two-factor authentication",
    "Every member of the GitHub organization signs in with a second factor.", ("IAM-05",),
    "member", "without two-factor authentication")
DEPENDABOT_SLA = CheckDefinition(
    "github.dependabot-sla", "Dependabot alerts are fixed within their deadline",
    "Known vulnerable dependencies are fixed within the deadline for their severity.", ("VUL-02", "VUL-04"),
    "Dependabot alert", "open past its deadline")

CHECKS: tuple[CheckDefinition, ...] = (BRANCH_PROTECTION, MEMBERS_2FA, DEPENDABOT_SLA)
CHANGE_COLUMNS = ("change_id", "merged_at", "title", "author", "approvers", "approved", "url")


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp as GitHub writes it ("2024-05-01T10:00:00Z"), or None."""
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def branch_protection(repos: Sequence[tuple[str, str, Mapping[str, Any] | None]], min_reviews: int = 1) -> CheckResult:
    """Per repository (full name, default branch, protection or None): at least ``min_reviews`` approvals."""
    verdicts = []
    for name, branch, protection in repos:
        if protection is None:
            verdicts.append((name, False, f"{branch} is not protected"))
            continue
        reviews = protection.get("required_pull_request_reviews") or {}
        count = int(reviews.get("required_approving_review_count") or 0)
        verdicts.append((name, count >= min_reviews,
                         f"{branch} requires {count} approving review{'s' if count != 1 else ''}"))
    return judged(BRANCH_PROTECTION, verdicts)


def members_2fa(members: Iterable[str], without_2fa: Iterable[str]) -> CheckResult:
    """Each member passes unless GitHub lists them under filter=2fa_disabled."""
    missing = set(without_2fa)
    return judged(MEMBERS_2FA, [(login, login not in missing,
                                 "two-factor authentication disabled" if login in missing else "two-factor on")
                                for login in members])


def dependabot_sla(alerts: Iterable[Mapping[str, Any]], now: dt.datetime,
                   sla_days: Mapping[str, int] = DEFAULT_SLA_DAYS) -> CheckResult:
    """Open alerts older than their severity's deadline fail; younger open alerts pass."""
    verdicts = []
    for alert in alerts:
        if alert.get("state") != "open":
            continue
        advisory = alert.get("security_advisory") or {}
        severity = str(advisory.get("severity") or (alert.get("security_vulnerability") or {}).get("severity")
                       or "low").lower()
        created = parse_time(alert.get("created_at")) or now
        age = (now - created).days
        limit = sla_days.get(severity, max(sla_days.values()))
        repository = (alert.get("repository") or {}).get("full_name", "")
        name = f"{repository}#{alert.get('number')}" if repository else f"alert {alert.get('number')}"
        verdicts.append((name, age <= limit, f"{severity}, open {age} days (deadline {limit})"))
    return judged(DEPENDABOT_SLA, verdicts)


def approvers(reviews: Iterable[Mapping[str, Any]], author: str) -> list[str]:
    """Who approved: each reviewer's latest review decides, and the author's own approval never counts."""
    latest: dict[str, str] = {}
    for review in reviews:
        login = str((review.get("user") or {}).get("login") or "")
        state = str(review.get("state") or "")
        if login and state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[login] = state
    return sorted(login for login, state in latest.items() if state == "APPROVED" and login != author)


def merged_in_window(pull: Mapping[str, Any], window: Window | None) -> bool:
    """Whether a pull request was merged, inside the window when one is given."""
    merged = parse_time(pull.get("merged_at"))
    if merged is None:
        return False
    return window is None or window.start <= merged.date() <= window.end


def change_population(organization: str, changes: Sequence[tuple[str, Mapping[str, Any], list[str]]]
                      ) -> PopulationRows:
    """Merged pull requests (repository, pull, approvers) as a change population for CHG-01."""
    rows = []
    for repository, pull, approved_by in changes:
        merged = parse_time(pull.get("merged_at"))
        rows.append({
            "change_id": f"{repository}#{pull.get('number')}",
            "merged_at": merged.date().isoformat() if merged else "",
            "title": str(pull.get("title") or ""),
            "author": str((pull.get("user") or {}).get("login") or ""),
            "approvers": " ".join(approved_by),
            "approved": "yes" if approved_by else "no",
            "url": str(pull.get("html_url") or ""),
        })
    return PopulationRows(kind="changes", control="CHG-01", source_name=f"github-{organization}-merged-prs.csv",
                          id_column="change_id", date_column="merged_at", columns=CHANGE_COLUMNS,
                          rows=tuple(rows), attribute_columns=("approved",))
