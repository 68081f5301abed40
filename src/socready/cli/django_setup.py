"""Start Django from the command line, with the data directory and secret the command needs."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def demo_secret_key() -> None:
    """Give a demo install a random secret kept in its data directory, unless one is configured.

    Only the demo does this; ``socready serve`` requires SOCREADY_SECRET_KEY to be set.
    """
    if os.environ.get("SOCREADY_SECRET_KEY"):
        return
    from socready.web.env import data_dir

    os.environ["SOCREADY_SECRET_KEY"] = private_key_file(Path(data_dir()) / "demo-secret-key",
                                                         lambda: secrets.token_urlsafe(50))
    local_connector_key()


def private_key_file(path: Path, make: Callable[[], str]) -> str:
    """The key kept in ``path``, first written by ``make``; the file is readable by its owner only.

    The file is created with mode 0600 (never world-readable, not even between creating and restricting
    it), and a file left with wider permissions by an older version is narrowed to 0600.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(make())
    return path.read_text(encoding="utf-8").strip()


def local_connector_key() -> None:
    """Without SOCREADY_CONNECTOR_KEY, use (and on first use create) a key kept in the data directory.

    The demo and one-off commands use it; ``socready serve`` outside the demo requires the key to be set.
    Connections encrypted with this key need the same file (or the same key set) to be read again.
    """
    if os.environ.get("SOCREADY_CONNECTOR_KEY"):
        return
    from socready.web.env import data_dir

    os.environ["SOCREADY_CONNECTOR_KEY"] = private_key_file(
        Path(data_dir()) / "connector-key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))


def setup(*, serving: bool = False) -> None:
    """Configure and start Django (idempotent); a configuration problem becomes a one-line error.

    Commands that do not serve requests sign nothing that outlives the process, so when no secret is
    configured they get a random one for this run. Serving always needs the configured secret.
    """
    if not serving:
        os.environ.setdefault("SOCREADY_SECRET_KEY", secrets.token_urlsafe(50))
        local_connector_key()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socready.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from socready.cli.output import fail

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise fail(f"configuration: {exc}") from None


def migrate(verbosity: int = 0) -> None:
    """Apply pending database migrations."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
