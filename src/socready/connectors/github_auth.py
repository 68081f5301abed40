"""How the GitHub connector signs in: a token, or a GitHub App installation.

A GitHub App signs a short JSON Web Token (RS256) with its private key, trades it at
``POST /app/installations/{id}/access_tokens`` for an installation token, and uses that token for the API.
An installation token lasts an hour; a new one is fetched a few minutes before it runs out, so a long run
(thousands of pull requests) never meets an expired token.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
import time
from collections.abc import Callable, Mapping

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from socready.connectors.http import ApiClient, ApiError, CredentialsRefused
from socready.core.connectors.plugin import CollectionError, ConnectionConfig

API_VERSION = "2022-11-28"
BASE_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "socready"}
APP_SETTINGS = ("app_id", "installation_id", "private_key")  # the first two are options, the key a secret
# GitHub refuses a JWT issued in the future or valid for more than ten minutes; backdating covers clock drift.
JWT_BACKDATE_S, JWT_LIFETIME_S = 60, 540
REFRESH_MARGIN_S = 300
_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", re.S)


def b64url(data: bytes) -> str:
    """Base64url without padding, as JSON Web Tokens write their parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    """The App's RSA private key from PEM text; a key pasted on one line (newlines become spaces) is rewrapped."""
    match = _PEM.search(text.strip())
    if match is None:
        raise CollectionError("private_key: paste the GitHub App's private key (.pem), from -----BEGIN to -----END")
    label, body = match.group(1), "".join(match.group(2).split())
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    pem = "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----", ""])
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError):
        raise CollectionError("private_key: this is not a readable unencrypted private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CollectionError("private_key: GitHub App keys are RSA keys; this one is not")
    return key


def app_jwt(app_id: str, key: rsa.RSAPrivateKey, now: float) -> str:
    """The JSON Web Token that signs in as the App itself (RS256, issued by the app id)."""
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"iat": int(now) - JWT_BACKDATE_S, "exp": int(now) + JWT_LIFETIME_S, "iss": app_id}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = key.sign(f"{header}.{payload}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(signature)}"


class InstallationToken:
    """An installation token of a GitHub App, fetched when first needed and again shortly before it expires."""

    def __init__(self, api: ApiClient, app_id: str, private_key: str, installation_id: str,
                 clock: Callable[[], float] = time.time) -> None:
        if not app_id.isdigit() and not app_id.startswith("Iv"):
            raise CollectionError("app_id: the GitHub App's ID (a number) or its client ID (Iv...)")
        if not installation_id.isdigit():
            raise CollectionError("installation_id: the number at the end of the installation's settings address")
        self.api, self.app_id, self.installation_id = api, app_id, installation_id
        self.key = load_private_key(private_key)
        self.clock = clock
        self.fetched = 0
        self._token = ""
        self._expires = 0.0
        self._lock = threading.Lock()

    def value(self) -> str:
        """A token valid for at least a few more minutes."""
        with self._lock:
            if not self._token or self._expires - REFRESH_MARGIN_S <= self.clock():
                self._fetch()
            return self._token

    def _fetch(self) -> None:
        jwt = app_jwt(self.app_id, self.key, self.clock())
        url = f"/app/installations/{self.installation_id}/access_tokens"
        try:
            answer = self.api.post_json(url, {}, headers={"Authorization": f"Bearer {jwt}"})
        except ApiError as exc:
            raise CollectionError(f"GitHub would not give the App installation {self.installation_id} a token "
                                  f"({exc}); check installation_id and that the App is installed") from None
        except CredentialsRefused as exc:
            # Only a refusal points at the App's settings; a server out of reach says so on its own.
            raise CollectionError(f"{exc}; check app_id and private_key") from None
        token = answer.get("token") if isinstance(answer, dict) else None
        if not token:
            raise CollectionError(f"GitHub answered {url} without a token")
        self._token = str(token)
        self._expires = _expiry(answer.get("expires_at"), self.clock())
        self.fetched += 1


def _expiry(text: object, now: float) -> float:
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return now + 3600  # the documented lifetime, when the answer does not say


def _app_settings(config: ConnectionConfig) -> dict[str, str]:
    given = {"app_id": config.option("app_id"), "installation_id": config.option("installation_id"),
             "private_key": config.secrets.get("private_key", "")}
    return {name: value for name, value in given.items() if value}


def uses_app(config: ConnectionConfig) -> bool:
    """Whether the connection signs in as a GitHub App rather than with a token."""
    return bool(_app_settings(config))


def check_sign_in(config: ConnectionConfig) -> None:
    """Refuse settings that give neither a token nor all three App settings, or both."""
    if uses_app(config):
        app = _app_settings(config)
        missing = [n for n in APP_SETTINGS if n not in app]
        if missing:
            raise CollectionError(f"a GitHub App connection needs {', '.join(APP_SETTINGS)}; missing: "
                                  f"{', '.join(missing)}")
        if config.secrets.get("token"):
            raise CollectionError("give either token or the GitHub App settings, not both")
    elif not config.secrets.get("token"):
        raise CollectionError("give a token, or app_id, installation_id and private_key of a GitHub App")


def authorization(config: ConnectionConfig, api: ApiClient) -> Callable[[], Mapping[str, str]]:
    """The Authorization header for each call: the token as given, or the App's current installation token."""
    check_sign_in(config)
    if not uses_app(config):
        fixed = {"Authorization": f"Bearer {config.secrets['token']}"}
        return lambda: fixed
    app = _app_settings(config)
    installation = InstallationToken(api, app["app_id"], app["private_key"], app["installation_id"])
    return lambda: {"Authorization": f"Bearer {installation.value()}"}
