"""Slowing down the guessing of passwords and second-factor codes, across every worker process.

Each wrong password or code is a row in the database (``SignInFailure``), so all the server's processes
count the same failures. When the failures for one account reach ``SIGNIN_MAX_FAILURES``, or those from one
client address reach ``SIGNIN_MAX_FAILURES_PER_ADDRESS``, within ``SIGNIN_WINDOW_MINUTES``, every attempt
for that account or from that address is refused for ``SIGNIN_COOLDOWN_MINUTES``, even a right one; then
the count starts again. A successful sign-in clears the account's count but never the address's, or an
attacker could clear it by signing in to an account of their own between guesses.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from socready.accounts.models import SignInFailure, User

log = logging.getLogger("socready.signin")

# Every reading of the time goes through here, so tests can move it on instead of waiting.
clock: Callable[[], datetime] = timezone.now


def account_key(email: str) -> str:
    """How an account is counted: the address trimmed, lower-cased and NFKC-normalized.

    The sign-in form normalizes the typed name the same way (NFKC) before looking the user up, so a
    full-width "ａlice@..." reaches alice's account; counted apart, each such spelling would get its own
    allowance of guesses.
    """
    return unicodedata.normalize("NFKC", email).strip().lower()[:254]


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the connection's, or the one the trusted reverse proxies forwarded for."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        # Each proxy appends the address it was reached from; anything further left the client wrote itself.
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Pause:
    """Sign-in attempts are refused until ``until``."""

    until: datetime

    def seconds_left(self) -> int:
        """Whole seconds until attempts are accepted again (at least one)."""
        return max(1, math.ceil((self.until - clock()).total_seconds()))

    def message(self) -> str:
        """What to tell the person; the same whether or not the account exists."""
        minutes = math.ceil(self.seconds_left() / 60)
        local = timezone.localtime(self.until)
        when = f"{local:%H:%M}" if local.date() == timezone.localtime(clock()).date() else f"{local:%Y-%m-%d %H:%M}"
        return (f"Too many failed attempts, so sign-in is paused. Try again after {when} {local.tzname()} "
                f"(in {minutes} minute{'' if minutes == 1 else 's'}).")


def _window() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)


def _cooldown() -> timedelta:
    return timedelta(minutes=settings.SIGNIN_COOLDOWN_MINUTES)


def _account_failures(account: str) -> QuerySet[SignInFailure]:
    return SignInFailure.objects.filter(account=account, cleared_at=None)


def _client_failures(client: str) -> QuerySet[SignInFailure]:
    return SignInFailure.objects.filter(client=client)


def current_pause(account: str, client: str) -> Pause | None:
    """The pause in force for this account or this client address, if any."""
    moment = clock()
    found: list[datetime | None] = []
    if settings.SIGNIN_MAX_FAILURES:
        found.append(_account_failures(account).filter(account_locked_until__gt=moment)
                     .aggregate(end=Max("account_locked_until"))["end"])
    if settings.SIGNIN_MAX_FAILURES_PER_ADDRESS:
        found.append(_client_failures(client).filter(client_locked_until__gt=moment)
                     .aggregate(end=Max("client_locked_until"))["end"])
    ends = [end for end in found if end is not None]
    return Pause(max(ends)) if ends else None


def _reaches_limit(failures: QuerySet[SignInFailure], lock_field: str, limit: int, moment: datetime) -> bool:
    """Whether the failures since the window opened, or since the last pause ended if later, reach ``limit``."""
    if limit <= 0:
        return False
    # Only a pause that ended inside the window matters; older ones are before the window anyway.
    recent_pauses = failures.filter(at__gt=moment - _window() - _cooldown(), **{f"{lock_field}__lte": moment})
    last_pause_end = recent_pauses.aggregate(end=Max(lock_field))["end"]
    since = moment - _window()
    if last_pause_end is not None and last_pause_end > since:
        since = last_pause_end
    return failures.filter(at__gt=since, at__lte=moment).count() >= limit


def record_failure(step: str, account: str, client: str, user: User | None = None) -> Pause | None:
    """Record a wrong password or code; return the pause it starts if it brings a count to its limit.

    The pause is checked before the password is, and a failure is recorded only after the (slow) password
    check, so requests for one account that arrive together are all checked before any of them is
    counted: a burst can get up to one guess past the limit per request served at the same time (workers
    times threads). A pause never starts early.
    """
    moment = clock()
    changed: dict[str, Any] = {}
    with transaction.atomic():
        failure = SignInFailure.objects.create(at=moment, step=step, account=account, client=client, user=user)
        if _reaches_limit(_account_failures(account), "account_locked_until", settings.SIGNIN_MAX_FAILURES, moment):
            changed["account_locked_until"] = moment + _cooldown()
        if _reaches_limit(_client_failures(client), "client_locked_until",
                          settings.SIGNIN_MAX_FAILURES_PER_ADDRESS, moment):
            changed["client_locked_until"] = moment + _cooldown()
        if changed:
            SignInFailure.objects.filter(pk=failure.pk).update(**changed)
    log.warning("sign-in failure: wrong %s for %s from %s", step, account, client or "an unknown address")
    if not changed:
        return None
    pause = Pause(max(changed.values()))
    paused = " and ".join(f"the {field.split('_')[0]}" for field in changed)
    log.warning("sign-in paused until %s for %s (%s, %s)", pause.until.isoformat(), paused, account, client)
    return pause


def record_success(account: str) -> None:
    """A complete sign-in: the account's earlier failures stop counting (they stay as a record)."""
    _account_failures(account).update(cleared_at=clock())
