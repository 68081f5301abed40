"""Settings for the test suite: the real settings, with a throwaway data directory and a test secret."""

import os
import tempfile

os.environ.setdefault("SOCREADY_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("SOCREADY_CONNECTOR_KEY", "dGVzdHMtb25seS1jb25uZWN0b3Ita2V5LTAxMjM0NTY=")
# Background tasks run inline in tests; the worker itself is tested with the database backend explicitly.
os.environ.setdefault("SOCREADY_TASKS_IMMEDIATE", "1")
# Each xdist worker gets its own folder: the controller imports these settings first and its environment is
# inherited, so one shared folder would let a test that damages a stored file break another worker's test.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("SOCREADY_TEST_DATA_DIR_OWNER", _worker) != _worker or "SOCREADY_DATA_DIR" not in os.environ:
    os.environ["SOCREADY_DATA_DIR"] = tempfile.mkdtemp(prefix=f"socready-tests-{_worker or 'main'}-")
    os.environ["SOCREADY_TEST_DATA_DIR_OWNER"] = _worker

from socready.web.settings import *  # noqa: E402,F403

# Argon2 is the production hasher (tests check that); a fast one keeps thousands of logins cheap here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
