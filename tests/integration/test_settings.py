"""Settings refuse an unsafe configuration instead of starting with it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from socready.web.env import database_from_url

LOAD = "import socready.web.settings as s; print(s.DATABASES['default']['ENGINE'])"
CONNECTOR_KEY = "ZXZlcnktc2V0dGluZ3MtdGVzdC1jb25uZWN0b3Ita3k="


def _load_settings(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOCREADY_")}
    clean.update({"SOCREADY_DATA_DIR": str(tmp_path), "SOCREADY_CONNECTOR_KEY": CONNECTOR_KEY}, **env)
    return subprocess.run([sys.executable, "-c", LOAD], env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("secret", ["", "change-me", "short-secret"])
def test_production_refuses_missing_or_placeholder_secret(tmp_path, secret: str) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_SECRET_KEY=secret, SOCREADY_DEBUG="0")
    assert result.returncode != 0
    assert "SOCREADY_SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_SECRET_KEY="x" * 20 + "y" * 30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    assert (tmp_path / "socready.sqlite3").exists() is False  # no database is created just by loading settings


@pytest.mark.parametrize("key", ["", "change-me"])
def test_production_refuses_a_missing_or_placeholder_connector_key(tmp_path, key: str) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_SECRET_KEY="x" * 20 + "y" * 30, SOCREADY_CONNECTOR_KEY=key,
                            SOCREADY_DEBUG="0")
    assert result.returncode != 0
    assert "SOCREADY_CONNECTOR_KEY" in result.stderr


def test_a_connector_key_that_is_not_a_fernet_key_is_refused_even_in_debug(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_CONNECTOR_KEY="not-base64-of-32-bytes", SOCREADY_DEBUG="1")
    assert result.returncode != 0
    assert "SOCREADY_CONNECTOR_KEY is not a Fernet key" in result.stderr


def test_bad_boolean_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_DEBUG="maybe")
    assert result.returncode != 0 and "SOCREADY_DEBUG" in result.stderr


def test_database_url_parsing() -> None:
    config = database_from_url("postgres://user:p%40ss@db.internal:6543/socready")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "user", "p@ss", "db.internal", "6543", "socready")


def test_production_hasher_is_argon2() -> None:
    import socready.web.settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sqlite_is_tuned_with_wal_and_immediate_transactions() -> None:
    from socready.web.env import sqlite_database

    options = sqlite_database(__import__("pathlib").Path("/tmp/x.sqlite3"))["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_behind_a_tls_proxy_cookies_are_secure_and_the_forwarded_scheme_is_trusted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    probe = ("import socready.web.settings as s; "
             "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCREADY_")}
    env.update(SOCREADY_DATA_DIR=str(tmp_path), SOCREADY_SECRET_KEY="x" * 20 + "y" * 30,
               SOCREADY_CONNECTOR_KEY=CONNECTOR_KEY)
    plain = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert plain.stdout.split() == ["False", "False", "None", "0"], plain.stderr
    env.update(SOCREADY_BEHIND_TLS_PROXY="1", SOCREADY_HSTS_SECONDS="3600")
    proxied = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert proxied.stdout.strip() == "True True ('HTTP_X_FORWARDED_PROTO', 'https') 3600", proxied.stderr
@pytest.mark.parametrize(("name", "value"), [("SOCREADY_SIGNIN_WINDOW_MINUTES", "0"),
                                             ("SOCREADY_SIGNIN_MAX_FAILURES", "-1"),
                                             ("SOCREADY_SIGNIN_COOLDOWN_MINUTES", "soon")])
def test_sign_in_limits_refuse_values_that_make_no_sense(tmp_path, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    result = _load_settings(tmp_path, SOCREADY_DEBUG="1", **{name: value})
    assert result.returncode != 0 and name in result.stderr


def test_sign_in_limits_have_the_documented_defaults() -> None:
    import socready.web.settings as real

    assert (real.SIGNIN_MAX_FAILURES, real.SIGNIN_MAX_FAILURES_PER_ADDRESS, real.SIGNIN_WINDOW_MINUTES,
            real.SIGNIN_COOLDOWN_MINUTES, real.TRUSTED_PROXIES) == (5, 20, 15, 15, 0)


def test_several_connector_keys_are_read_in_order_and_a_bad_one_is_named_by_position(tmp_path) -> None:  # type: ignore[no-untyped-def]
    older = "b2xkZXItY29ubmVjdG9yLWtleS1mb3ItdGVzdHMtMDE="
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOCREADY_")}
    clean.update(SOCREADY_DATA_DIR=str(tmp_path), SOCREADY_SECRET_KEY="x" * 20 + "y" * 30,
                 SOCREADY_CONNECTOR_KEY=f"{CONNECTOR_KEY}, {older}")
    show = "import socready.web.settings as s; print(s.CONNECTOR_KEY, ','.join(s.CONNECTOR_KEYS))"
    result = subprocess.run([sys.executable, "-c", show], env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [CONNECTOR_KEY, f"{CONNECTOR_KEY},{older}"]
    bad = _load_settings(tmp_path, SOCREADY_CONNECTOR_KEY=f"{CONNECTOR_KEY},not-a-key", SOCREADY_DEBUG="1")
    assert bad.returncode != 0 and "SOCREADY_CONNECTOR_KEY: key 2 of 2 is not a Fernet key" in bad.stderr
