"""Django settings for Circleback, read from CIRCLEBACK_* variables and DATABASE_URL."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging.config
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from circleback.conf import (
    ConfigError,
    data_dir,
    env_base_url,
    env_bool,
    env_email_url,
    env_int,
    env_list,
    secret_key,
)

HOME = data_dir()

DEBUG = env_bool("CIRCLEBACK_DEBUG", False)
SECRET_KEY = secret_key(HOME)
ALLOWED_HOSTS = env_list("CIRCLEBACK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CIRCLEBACK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "circleback.accounts",
    "circleback.people",
    "circleback.journal",
    "circleback.search",
    "circleback.loops",
    "circleback.insights",
    "circleback.paths",
    "circleback.groups",
    "circleback.jobs",
    "circleback.web",
    "circleback.interchange",
    "circleback.once",
    "circleback.operations.backup",
    "django_tasks",
    "django_tasks_db",
    "circleback.reminders",
    "circleback.ops",
    "axes",
    "csp",
    "circleback.api",
]

# django-ninja's packaged Swagger UI (templates and static files), found without importing
# ninja: installing it as an app would load it, and pydantic, in every CLI command.
NINJA_FILES = Path(importlib.util.find_spec("ninja").submodule_search_locations[0])  # type: ignore[union-attr,index]
STATICFILES_DIRS = [NINJA_FILES / "static"]

MIDDLEWARE = [
    # Off unless CIRCLEBACK_SERVER_TIMING=1 (measuring); first, so it times everything below.
    "circleback.ops.middleware.ServerTimingMiddleware",
    # First: a load balancer's probe is answered before host checks and HTTPS redirects.
    "circleback.ops.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "circleback.api.problems.ProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: the session's own save is a write that pins reads to the primary.
    "circleback.ops.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "circleback.accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "circleback.accounts.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "circleback.urls"
WSGI_APPLICATION = "circleback.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [NINJA_FILES / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "circleback.web.nav.navigation",
            ],
        },
    }
]


def _database(url: str | None = None, name: str = "DATABASE_URL") -> dict[str, Any]:
    if url is None:
        url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "circleback.db.sqlite3",
            "NAME": str(HOME / "circleback.sqlite3"),
            "OPTIONS": {
                # WAL lets the web app read while an import writes; IMMEDIATE avoids
                # "database is locked" surprises when two writers meet.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except (ValueError, KeyError) as exc:
        raise ConfigError(
            f"{name} could not be understood ({exc}). "
            "Expected e.g. postgres://user:password@host:5432/circleback or sqlite:///path.db"
        ) from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["ENGINE"] = engine = "circleback.db.sqlite3"
    if engine not in ("django.db.backends.postgresql", "circleback.db.sqlite3"):
        raise ConfigError(
            f"{name} selects {engine or 'an unknown database'}; "
            "Circleback supports postgres:// and sqlite:// URLs."
        )
    if engine == "django.db.backends.postgresql":
        options: dict[str, Any] = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options["connect_timeout"] = env_int("CIRCLEBACK_DB_CONNECT_TIMEOUT", 5, minimum=1)
        config["OPTIONS"] = options
    return config


DATABASES = {"default": _database()}
# A streaming replica of the primary for the web app's reads (see circleback.ops.replica).
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigError(
            "DATABASE_REPLICA_URL needs DATABASE_URL to name the PostgreSQL primary it follows."
        )
    DATABASES["replica"] = _database(_replica_url, "DATABASE_REPLICA_URL")
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigError("DATABASE_REPLICA_URL must be a postgres:// URL.")
    # The test suite's database has no replica of its own: reads there go to the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["circleback.ops.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Uploaded files waiting between an import's preview and its confirmation (owner-only).
IMPORT_UPLOADS_DIR = HOME / "uploads"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the apps by WhiteNoise; collectstatic is optional.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps' folders: no collectstatic step for a local install.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- behind a proxy, over HTTPS (docs/deploy.md) ---------------------------------------------
# How many reverse proxies stand in front of the app. With N > 0 the visitor's address is the
# Nth from the right in X-Forwarded-For (each proxy appends the address it was called from),
# and X-Forwarded-Proto says whether the visitor used HTTPS. With 0, both headers are ignored:
# a visitor could write them.
CIRCLEBACK_TRUSTED_PROXIES = env_int("CIRCLEBACK_TRUSTED_PROXIES", 0, minimum=0)
if CIRCLEBACK_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The site is reached over HTTPS only: HTTPS-only cookies, http:// redirected, and browsers told
# (HSTS) to use nothing else for a year. /healthz stays reachable over plain HTTP for probes.
HTTPS = env_bool("CIRCLEBACK_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS or env_bool("CIRCLEBACK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("CIRCLEBACK_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CIRCLEBACK_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("CIRCLEBACK_HSTS_PRELOAD", True)

# Only the app's own files: no inline script or style, no other origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# --- sign-in throttling (django-axes; counters are rows in the database, so every app process
# counts the same failures) ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "circleback.accounts.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CIRCLEBACK_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("CIRCLEBACK_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Either way counts: many passwords tried on one account from anywhere, or many accounts
# tried from one address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "circleback.ops.client.client_address"
AXES_LOCKOUT_CALLABLE = "circleback.accounts.throttle.locked_out"
AXES_USERNAME_CALLABLE = "circleback.accounts.throttle.username_of"
AXES_VERBOSE = False
# Failures are what throttling needs; a row for every successful sign-in (address, browser)
# would be personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Applied here instead of by Django, which would first apply its own defaults: their handler
# that emails ADMINS (a local app has none) imports the debug page's template engine, a
# tenth of the start-up of every command.
LOGGING_CONFIG = None
logging.config.dictConfig(LOGGING)

# Requests per minute per API token (or browser session), counted in the database.
CIRCLEBACK_API_RATE_PER_MINUTE = env_int("CIRCLEBACK_API_RATE_PER_MINUTE", 600, minimum=1)

# `circleback serve` turns this on when it binds a loopback address, so that a fresh install
# can create its owner account from the browser; never on a public interface.
CIRCLEBACK_WELCOME_ENABLED = env_bool("CIRCLEBACK_WELCOME_ENABLED", False)
# A Server-Timing header on every response (app, CPU, SQL and GC time) for measuring.
CIRCLEBACK_SERVER_TIMING = env_bool("CIRCLEBACK_SERVER_TIMING", False)
# `serve` freezes what start-up made out of the garbage collector's sight (cli/serve.py).
CIRCLEBACK_GC_FREEZE = env_bool("CIRCLEBACK_GC_FREEZE", True)

# Background work: Django's tasks framework, its queue kept in our own database (no broker).
# `circleback worker` runs the tasks; `circleback serve` starts one beside itself on SQLite.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Outgoing mail (the digest), from one URL: CIRCLEBACK_EMAIL_URL=smtp://user:pass@host:587?tls
CIRCLEBACK_EMAIL = env_email_url("CIRCLEBACK_EMAIL_URL")
if CIRCLEBACK_EMAIL is not None:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CIRCLEBACK_EMAIL.host
    EMAIL_PORT = CIRCLEBACK_EMAIL.port
    EMAIL_HOST_USER = CIRCLEBACK_EMAIL.username
    EMAIL_HOST_PASSWORD = CIRCLEBACK_EMAIL.password
    EMAIL_USE_TLS = CIRCLEBACK_EMAIL.use_tls
    EMAIL_USE_SSL = CIRCLEBACK_EMAIL.use_ssl
    EMAIL_TIMEOUT = CIRCLEBACK_EMAIL.timeout
    DEFAULT_FROM_EMAIL = CIRCLEBACK_EMAIL.from_address
# Links in digests and the calendar feed point here (`circleback serve` sets it to its own
# address when unset).
CIRCLEBACK_BASE_URL = env_base_url("CIRCLEBACK_BASE_URL")
# /healthz asks this function (a dotted path) when a worker last reported in (its heartbeat
# in the database), and fails when none was seen for CIRCLEBACK_HEALTHZ_WORKER_MAX_AGE seconds.
CIRCLEBACK_HEALTHZ_WORKER = "circleback.reminders.queries.worker_last_seen"
CIRCLEBACK_HEALTHZ_WORKER_MAX_AGE = env_int("CIRCLEBACK_HEALTHZ_WORKER_MAX_AGE", 300, minimum=1)
