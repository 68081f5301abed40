"""Connection secrets at rest: a JSON object encrypted with Fernet under ``settings.CONNECTOR_KEYS``.

The first key encrypts; every key decrypts (MultiFernet), so a new key can be put first while the old
ones still open what they sealed, until ``rotate_credentials`` has re-encrypted every connection.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from socready.connectors.models import Connection


class CredentialsUnreadable(Exception):
    """Stored secrets that this server's keys cannot decrypt (the key changed, or the row was altered)."""


def _keys() -> list[str]:
    keys = list(getattr(settings, "CONNECTOR_KEYS", ()) or ())
    if not keys and settings.CONNECTOR_KEY:
        keys = [settings.CONNECTOR_KEY]
    return keys


def _fernet() -> MultiFernet:
    keys = _keys()
    if not keys:  # settings refuse to start without one; this guards a settings module that skipped them
        raise CredentialsUnreadable("no connector key is configured (SOCREADY_CONNECTOR_KEY)")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def seal(secrets: Mapping[str, str]) -> bytes:
    """Encrypt the secrets with the first key; an empty mapping is stored as no bytes at all."""
    if not secrets:
        return b""
    return _fernet().encrypt(json.dumps(dict(secrets), sort_keys=True).encode("utf-8"))


def unseal(token: bytes | memoryview | None) -> dict[str, str]:
    """Decrypt stored secrets with any configured key; raise CredentialsUnreadable when none opens them."""
    data = bytes(token or b"")
    if not data:
        return {}
    try:
        opened = json.loads(_fernet().decrypt(data).decode("utf-8"))
    except InvalidToken:
        raise CredentialsUnreadable("the stored credentials cannot be decrypted with SOCREADY_CONNECTOR_KEY "
                                    "(was the key changed?); enter them again") from None
    return {str(k): str(v) for k, v in opened.items()}


@dataclass
class Rotation:
    """What a re-encryption did: connections re-encrypted, without secrets, and those no key opens."""

    rotated: list[Connection] = field(default_factory=list)
    empty: list[Connection] = field(default_factory=list)
    unreadable: list[Connection] = field(default_factory=list)


def rotate_credentials(*, dry_run: bool = False) -> Rotation:
    """Re-encrypt every connection's secrets with the first key (each save audited, values hidden).

    A connection no configured key opens is left as it is and reported, so the old key can be added back
    and the rotation run again; nothing else is stopped by it.
    """
    fernet = _fernet()
    rotation = Rotation()
    for connection in Connection.objects.select_related("organization").order_by("organization__slug", "name"):
        sealed = bytes(connection.credentials or b"")
        if not sealed:
            rotation.empty.append(connection)
            continue
        try:
            resealed = fernet.rotate(sealed)
        except InvalidToken:
            rotation.unreadable.append(connection)
            continue
        if not dry_run:
            connection.credentials = resealed
            connection.save(update_fields=["credentials"])
        rotation.rotated.append(connection)
    return rotation


def redact(text: str, secrets: Mapping[str, str]) -> str:
    """Remove every secret value from a message before it is stored or shown (errors can echo input)."""
    for value in secrets.values():
        if not value:
            continue
        for piece in [value, *value.splitlines()]:  # a key's lines can show up one at a time
            piece = piece.strip()
            if len(piece) >= 4:
                text = text.replace(piece, "(hidden)")
    return text
