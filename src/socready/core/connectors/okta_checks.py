"""The Okta checks and the terminations population, over the JSON Okta's management API returns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from socready.core.connectors.checks import CheckDefinition, CheckResult, judged
from socready.core.connectors.github_checks import parse_time
from socready.core.connectors.plugin import PopulationRows
from socready.core.window import Window

DEFAULT_MAX_ADMINS = 5
# Factor types that are a real second factor; security questions and email alone are not.
STRONG_FACTORS = frozenset({"token:software:totp", "push", "webauthn", "u2f", "token:hardware", "token",
                            "signed_nonce", "sms", "call"})

USERS_MFA = CheckDefinition(
    "okta.users-mfa", "Active Okta users have MFA enrolled",
    "Every person who can sign in through the identity provider has an active second factor.", ("IAM-05",),
    "Okta user", "without an active second factor")
ADMIN_COUNT = CheckDefinition(
    "okta.admin-count", "Few people hold Okta admin roles",
    "Administrator roles in the identity provider are held by a small, known group.", ("IAM-04",),
    "Okta admin", "beyond the allowed number of administrators")

CHECKS: tuple[CheckDefinition, ...] = (USERS_MFA, ADMIN_COUNT)
TERMINATION_COLUMNS = ("user_id", "login", "deprovisioned_on", "status")


def login_of(user: Mapping[str, Any]) -> str:
    """The user's login, or their id when the profile has none."""
    return str((user.get("profile") or {}).get("login") or user.get("id") or "?")


def users_mfa(users: Sequence[tuple[Mapping[str, Any], Iterable[Mapping[str, Any]]]]) -> CheckResult:
    """Per active user (user, enrolled factors): at least one active strong factor."""
    verdicts = []
    for user, factors in users:
        active = sorted({str(f.get("factorType")) for f in factors
                         if f.get("status") == "ACTIVE" and f.get("factorType") in STRONG_FACTORS})
        verdicts.append((login_of(user), bool(active),
                         f"factors: {', '.join(active)}" if active else "no active second factor"))
    return judged(USERS_MFA, verdicts)


def admin_count(admins: Sequence[str], max_admins: int = DEFAULT_MAX_ADMINS) -> CheckResult:
    """Admins up to ``max_admins`` pass, in login order; each one past the limit fails, naming them all."""
    ordered = sorted(admins)
    verdicts = [(login, i < max_admins, f"admin {i + 1} of {len(ordered)} (at most {max_admins} allowed)")
                for i, login in enumerate(ordered)]
    return judged(ADMIN_COUNT, verdicts)


def terminations(domain: str, users: Iterable[Mapping[str, Any]], window: Window | None) -> PopulationRows:
    """Deprovisioned users whose status changed inside the window, as a terminations population for IAM-02."""
    rows = []
    for user in users:
        changed = parse_time(user.get("statusChanged"))
        if user.get("status") != "DEPROVISIONED" or changed is None:
            continue
        if window is not None and not window.start <= changed.date() <= window.end:
            continue
        rows.append({"user_id": str(user.get("id") or ""), "login": login_of(user),
                     "deprovisioned_on": changed.date().isoformat(), "status": "DEPROVISIONED"})
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in domain) or "okta"
    return PopulationRows(kind="terminations", control="IAM-02", source_name=f"okta-{safe}-deprovisioned.csv",
                          id_column="user_id", date_column="deprovisioned_on", columns=TERMINATION_COLUMNS,
                          rows=tuple(rows))
