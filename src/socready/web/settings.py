"""Django settings. Every value comes from a ``SOCREADY_*`` environment variable (see docs/settings.md)."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from socready.web.env import (
    data_dir,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    fernet_keys,
    sqlite_database,
)

# Django's generic classes take their model as a type parameter at run time too (ModelAdmin[Control],
# ModelForm[Control]), as the type checker reads them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)

# Known placeholders are refused outside DEBUG so a copied example config never reaches production.
_PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "insecure", "dev", "placeholder"}
_DEV_SECRET = "socready-development-only-secret-key-not-for-production"  # noqa: S105 - DEBUG only
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY.strip().lower() in _PLACEHOLDER_SECRETS or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SOCREADY_SECRET_KEY must be set to a random value of at least 32 characters when "
            "SOCREADY_DEBUG is off (generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = _DEV_SECRET

# Connection credentials (socready.connectors) are encrypted with the first of these Fernet keys; the
# others (older keys, while ``socready connectors rotate-key`` re-encrypts) still decrypt. Like the secret
# key, a missing or placeholder key is refused outside DEBUG; DEBUG gets a fixed development key.
_DEV_CONNECTOR_KEY = "c29jcmVhZHktZGV2ZWxvcG1lbnQtb25seS1mZXJuZXQ="  # noqa: S105 - DEBUG only
_connector_keys = fernet_keys("CONNECTOR_KEY")
_connector_key = _connector_keys[0] if _connector_keys else None
if _connector_key is None or _connector_key == _DEV_CONNECTOR_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SOCREADY_CONNECTOR_KEY must be set to a Fernet key when SOCREADY_DEBUG is off (generate one with: "
            "python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
        )
    _connector_key = _DEV_CONNECTOR_KEY
    _connector_keys = (_DEV_CONNECTOR_KEY, *_connector_keys[1:])
CONNECTOR_KEY: str = _connector_key  # the key that encrypts
CONNECTOR_KEYS: tuple[str, ...] = _connector_keys  # every key that decrypts, the encrypting one first

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "socready.work",
    "socready.accounts",
    "socready.audit",
    "socready.programs",
    "socready.evidence",
    "socready.questionnaires",
    "socready.reports",
    "socready.vendors",
    "socready.dashboard",
    "socready.connectors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the limit depends on who asks), before anything reads the body.
    "socready.web.limits.BodySizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "socready.web.headers.SecurityHeadersMiddleware",
    "socready.audit.middleware.CurrentActorMiddleware",
]

ROOT_URLCONF = "socready.web.urls"
WSGI_APPLICATION = "socready.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socready.accounts.context.organizations",
            ],
        },
    },
]

# "default" is each process's own memory (template fragments drawn once per program version). "shared" is
# a folder every process of the install reads: figures that cost a scoring (readiness, the program read
# from the database) are computed by the first process that needs them and loaded by the others.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}},
    "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": str(DATA_DIR / "cache" / "shared"), "TIMEOUT": 2 * 24 * 3600,
               "OPTIONS": {"MAX_ENTRIES": 400}},
}

_database_url = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(_database_url) if _database_url else sqlite_database(DATA_DIR / "socready.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Guessing limits for passwords and second-factor codes. The failures are counted in the database, so every
# worker process sees the same count. A limit of 0 turns that limit off.
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5, minimum=0)
SIGNIN_MAX_FAILURES_PER_ADDRESS = env_int("SIGNIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=0)
SIGNIN_WINDOW_MINUTES = env_int("SIGNIN_WINDOW_MINUTES", 15, minimum=1)
SIGNIN_COOLDOWN_MINUTES = env_int("SIGNIN_COOLDOWN_MINUTES", 15, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts only the connection's address.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True
# Django's English default writes "Nov. 23, 2026"; the screens, files and reports write ISO dates.
FORMAT_MODULE_PATH = ["socready.web.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even when serving from the finders
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Without collected files (tests, demo from a checkout) WhiteNoise serves from the finders.
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Password-reset e-mails: at most this many an hour to one address, and requests from one client address.
RESET_MAX_PER_ACCOUNT = env_int("RESET_MAX_PER_ACCOUNT", 3)
RESET_MAX_PER_ADDRESS = env_int("RESET_MAX_PER_ADDRESS", 20)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "socready@localhost")

# Background work (population imports) is queued in the database; `socready serve` runs the worker.
# SOCREADY_TASKS_IMMEDIATE=1 runs tasks inline instead (the test suite does).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend" if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Task worker processes `socready serve` keeps (and `socready worker` starts): one long import per process, so
# with two a tenant's large import does not hold up everyone else's work.
TASK_WORKERS = env_int("TASK_WORKERS", 2, minimum=1)
# A worker writes a heartbeat every 5 s; one silent this long is declared dead and its tasks queued again.
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 30, minimum=10)

# Behind a reverse proxy that ends TLS, Django sees plain HTTP; the proxy's X-Forwarded-Proto header
# tells it the client used HTTPS. Trusting that header is only safe when the proxy always sets it, so
# it is opt-in.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and (SITE_URL.startswith("https") or BEHIND_TLS_PROXY))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Upload limits: evidence files are streamed to disk; anything above these is refused with a message.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "socready.web.limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "socready.web.upload_files.NamedTemporaryFileUploadHandler",
]
MAX_UPLOAD_FILES = env_int("MAX_UPLOAD_FILES", 20)
# Large uploads are spooled here rather than in the system's /tmp, so the worker can remove what a killed
# server left behind (socready.storage.uploads.remove_stale_temp_files).
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp" / "uploads")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# Django's own hard stop answers with a bare 400; keep it well above our limit so the forms can say why.
DATA_UPLOAD_MAX_NUMBER_FILES = max(100, 5 * MAX_UPLOAD_FILES)
# Populations can be far larger than evidence files (millions of rows); they have their own limit.
MAX_POPULATION_BYTES = env_int("MAX_POPULATION_MB", 2048) * 1024 * 1024
# An uploaded population is parsed in a child process of the worker, stopped past these limits.
IMPORT_SECONDS = env_int("IMPORT_SECONDS", 1800)
IMPORT_MEMORY_MB = env_int("IMPORT_MEMORY_MB", 3072)
# A running import whose worker has not written its heartbeat (every 5 s) for this long is queued again.
IMPORT_STALE_SECONDS = env_int("IMPORT_STALE_SECONDS", 45)

# Connectors: how long one call to a system may take, and how many tries a call gets before the run fails.
CONNECTOR_TIMEOUT_S = env_int("CONNECTOR_TIMEOUT_S", 30, minimum=1)
CONNECTOR_MAX_ATTEMPTS = env_int("CONNECTOR_MAX_ATTEMPTS", 4, minimum=1)

# Evidence files are stored by SHA-256 under the data directory, or in an S3-compatible bucket if one is set.
EVIDENCE_DIR = DATA_DIR / "evidence"
EVIDENCE_S3_BUCKET = env_str("S3_BUCKET")
EVIDENCE_S3_PREFIX = env_str("S3_PREFIX")
EVIDENCE_S3_ENDPOINT = env_str("S3_ENDPOINT_URL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
