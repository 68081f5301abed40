"""Time-based one-time passwords (RFC 6238, the codes authenticator apps show) for two-factor sign-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """A random 160-bit secret, base32-encoded as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, moment: float) -> str:
    """The code an authenticator shows for ``secret`` at a Unix time."""
    key = base64.b32decode(secret, casefold=True)
    counter = struct.pack(">Q", int(moment // STEP_SECONDS))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def matched_step(secret: str, code: str, *, now: float | None = None, drift_steps: int = 1) -> int | None:
    """The time step (Unix time // STEP_SECONDS) whose code ``code`` is, now or one step either side; else None.

    The caller records the step it accepted and refuses that step and earlier ones afterwards, so a code
    seen over a shoulder or in a log cannot be used a second time.
    """
    code = code.strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != DIGITS:
        return None
    moment = time.time() if now is None else now
    found = None
    for step in range(-drift_steps, drift_steps + 1):
        # Every candidate is compared (no early exit), so the time taken says nothing about which matched.
        if hmac.compare_digest(code_at(secret, moment + step * STEP_SECONDS), code):
            found = int((moment + step * STEP_SECONDS) // STEP_SECONDS)
    return found


def verify(secret: str, code: str, *, now: float | None = None, drift_steps: int = 1) -> bool:
    """True if ``code`` matches now or one step either side (clocks drift)."""
    return matched_step(secret, code, now=now, drift_steps=drift_steps) is not None


def provisioning_uri(secret: str, email: str, issuer: str = "socready") -> str:
    """The otpauth:// address an authenticator app can import (type it in or turn it into a QR code)."""
    return (f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}&issuer={quote(issuer)}"
            f"&digits={DIGITS}&period={STEP_SECONDS}")
