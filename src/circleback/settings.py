"""Django settings for Circleback, read from CIRCLEBACK_* variables and DATABASE_URL."""

from __future__ import annotations

import logging.config
import os
from typing import Any

import dj_database_url

from circleback.conf import ConfigError, data_dir, env_bool, env_int, env_list, secret_key

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
    "circleback.web",
    "circleback.interchange",
    "circleback.api",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "circleback.api.problems.ProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "circleback.accounts.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "circleback.urls"
WSGI_APPLICATION = "circleback.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database() -> dict[str, Any]:
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
            f"DATABASE_URL could not be understood ({exc}). "
            "Expected e.g. postgres://user:password@host:5432/circleback or sqlite:///path.db"
        ) from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["ENGINE"] = engine = "circleback.db.sqlite3"
    if engine not in ("django.db.backends.postgresql", "circleback.db.sqlite3"):
        raise ConfigError(
            f"DATABASE_URL selects {engine or 'an unknown database'}; "
            "Circleback supports postgres:// and sqlite:// URLs."
        )
    if engine == "django.db.backends.postgresql":
        options: dict[str, Any] = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
        options["connect_timeout"] = env_int("CIRCLEBACK_DB_CONNECT_TIMEOUT", 5, minimum=1)
        config["OPTIONS"] = options
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
SESSION_COOKIE_SECURE = env_bool("CIRCLEBACK_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
