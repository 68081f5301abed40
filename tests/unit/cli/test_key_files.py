"""Keys the demo keeps in its data directory are readable by their owner only."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from socready.cli import django_setup


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_demo_connector_key_and_secret_are_written_mode_0600_even_under_a_lax_umask(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import os

    for name in ("SOCREADY_SECRET_KEY", "SOCREADY_CONNECTOR_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOCREADY_DATA_DIR", str(tmp_path))
    previous = os.umask(0o002)
    try:
        django_setup.demo_secret_key()
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "connector-key") == 0o600
    assert _mode(tmp_path / "demo-secret-key") == 0o600
    key = (tmp_path / "connector-key").read_text(encoding="utf-8")
    assert len(base64.urlsafe_b64decode(key)) == 32 and os.environ["SOCREADY_CONNECTOR_KEY"] == key


def test_a_key_file_left_readable_by_others_is_narrowed_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "connector-key"
    path.write_text("existing-key\n", encoding="utf-8")
    path.chmod(0o644)
    assert django_setup.private_key_file(path, lambda: pytest.fail("an existing key is never replaced")) == (
        "existing-key")
    assert _mode(path) == 0o600
