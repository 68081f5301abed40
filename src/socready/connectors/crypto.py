"""Connection secrets at rest: a JSON object encrypted with Fernet under ``settings.CONNECTOR_KEY``."""

from __future__ import annotations

import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class CredentialsUnreadable(Exception):
    """Stored secrets that this server's key cannot decrypt (the key changed, or the row was altered)."""


def _fernet() -> Fernet:
    key: str | None = settings.CONNECTOR_KEY
    if not key:  # settings refuse to start without one; this guards a settings module that skipped them
        raise CredentialsUnreadable("no connector key is configured (SOCREADY_CONNECTOR_KEY)")
    return Fernet(key.encode("ascii"))


def seal(secrets: Mapping[str, str]) -> bytes:
    """Encrypt the secrets; an empty mapping is stored as no bytes at all."""
    if not secrets:
        return b""
    return _fernet().encrypt(json.dumps(dict(secrets), sort_keys=True).encode("utf-8"))


def unseal(token: bytes | memoryview | None) -> dict[str, str]:
    """Decrypt stored secrets; raise CredentialsUnreadable when the key does not open them."""
    data = bytes(token or b"")
    if not data:
        return {}
    try:
        opened = json.loads(_fernet().decrypt(data).decode("utf-8"))
    except InvalidToken:
        raise CredentialsUnreadable("the stored credentials cannot be decrypted with SOCREADY_CONNECTOR_KEY "
                                    "(was the key changed?); enter them again") from None
    return {str(k): str(v) for k, v in opened.items()}


def redact(text: str, secrets: Mapping[str, str]) -> str:
    """Remove every secret value from a message before it is stored or shown (errors can echo input)."""
    for value in secrets.values():
        if value and len(value) >= 4:
            text = text.replace(value, "(hidden)")
    return text
