"""Settings for the test suite: the real settings, with a throwaway data directory and a test secret."""

import os
import tempfile

os.environ.setdefault("SOCREADY_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")
os.environ.setdefault("SOCREADY_CONNECTOR_KEY", "dGVzdHMtb25seS1jb25uZWN0b3Ita2V5LTAxMjM0NTY=")
# Background tasks run inline in tests; the worker itself is tested with the database backend explicitly.
os.environ.setdefault("SOCREADY_TASKS_IMMEDIATE", "1")
os.environ.setdefault("SOCREADY_DATA_DIR", tempfile.mkdtemp(prefix="socready-tests-"))

from socready.web.settings import *  # noqa: E402,F403

# Argon2 is the production hasher (tests check that); a fast one keeps thousands of logins cheap here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
