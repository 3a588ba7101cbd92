"""Typed readers for Circleback's environment variables.

Each helper fails loudly with a message that names the variable and says what a valid value
looks like, so a typo in a deployment is caught at start-up, not at the first request.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs


class ConfigError(Exception):
    """A setting read from the environment has a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0, true or false.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where this user's database, secret key and uploads live.

    `CIRCLEBACK_HOME` wins; otherwise the platform's user data directory
    (e.g. ~/.local/share/circleback on Linux).
    """
    raw = os.environ.get("CIRCLEBACK_HOME")
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("circleback"))
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the data directory {path}: {exc.strerror}. "
            "Set CIRCLEBACK_HOME to a directory you can write to."
        ) from None
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Owner-only access (0700 for a directory, 0600 for a file) to something that holds
    personal data, tightening what an older version or a loose umask left readable.

    Only what this user owns is changed; a path shared on purpose (owned by someone else)
    is left as it is.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    if status.st_uid != os.geteuid():
        return
    wanted = 0o700 if path.is_dir() else 0o600
    if status.st_mode & 0o777 != wanted:
        with contextlib.suppress(PermissionError):
            path.chmod(wanted)


def create_private_file(path: Path) -> None:
    """Create `path` empty and owner-only if it does not exist yet (never truncating it), so
    that whatever writes it next never leaves it readable by others, whatever the umask."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        make_private(path)


def secret_key(home: Path) -> str:
    """The secret key: CIRCLEBACK_SECRET_KEY, or one generated once into the data directory."""
    explicit = os.environ.get("CIRCLEBACK_SECRET_KEY")
    if explicit:
        if len(explicit) < 32:
            raise ConfigError("CIRCLEBACK_SECRET_KEY must be at least 32 characters long.")
        return explicit
    path = home / "secret_key"
    if path.exists():
        make_private(path)
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Create with owner-only permissions, and never overwrite a key another process just wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


# --- outgoing mail ------------------------------------------------------------------------

_MAIL_SCHEMES = {"smtp": 25, "smtps": 465}
_MAIL_FLAGS = {"tls", "ssl", "timeout", "from"}


@dataclass(frozen=True)
class EmailConfig:
    """Where digests go out: an SMTP server, read from one URL variable."""

    host: str
    port: int
    username: str
    password: str
    use_tls: bool  # STARTTLS after connecting
    use_ssl: bool  # TLS from the first byte (smtps://)
    timeout: int
    from_address: str

    @property
    def shown(self) -> str:
        """The server as a person may see it: no password."""
        security = " (TLS)" if self.use_ssl else " (STARTTLS)" if self.use_tls else ""
        who = f"{self.username}@" if self.username else ""
        return f"smtp://{who}{self.host}:{self.port}{security}"


def env_email_url(name: str = "CIRCLEBACK_EMAIL_URL") -> EmailConfig | None:
    """The mail server from e.g. `smtp://user:pass@host:587?tls`, or None when unset.

    `smtp://` is plain (add `?tls` for STARTTLS), `smtps://` is TLS from the start;
    `?timeout=SECONDS` and `?from=ADDRESS` are optional. User and password are
    percent-encoded, as in any URL (`@` is `%40`).
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    example = f"e.g. {name}=smtp://user:password@mail.example.org:587?tls"
    parts = urlsplit(raw)
    if parts.scheme not in _MAIL_SCHEMES:
        raise ConfigError(
            f"{name} must start with smtp:// or smtps:// (got {parts.scheme or 'no'} scheme); "
            f"{example}."
        )
    try:
        port = parts.port or _MAIL_SCHEMES[parts.scheme]
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number; {example}.") from None
    if not parts.hostname:
        raise ConfigError(f"{name} names no mail server; {example}.")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - _MAIL_FLAGS)
    if unknown:
        raise ConfigError(
            f"{name} has unknown option(s) {', '.join(unknown)}; the options are ?tls, ?ssl, "
            f"?timeout=SECONDS and ?from=ADDRESS."
        )
    use_ssl = parts.scheme == "smtps" or "ssl" in query
    use_tls = "tls" in query and not use_ssl
    timeout_raw = query.get("timeout", ["10"])[0]
    if not timeout_raw.isdigit() or int(timeout_raw) < 1:
        raise ConfigError(f"{name} has timeout={timeout_raw!r}; use whole seconds, e.g. 10.")
    username = unquote(parts.username or "")
    from_address = query.get("from", [""])[0] or (
        username if "@" in username else f"circleback@{parts.hostname}"
    )
    if "@" not in from_address:
        raise ConfigError(f"{name} has from={from_address!r}, which is not an email address.")
    return EmailConfig(
        host=parts.hostname,
        port=port,
        username=username,
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=int(timeout_raw),
        from_address=from_address,
    )


def env_base_url(name: str = "CIRCLEBACK_BASE_URL", default: str = "") -> str:
    """The app's address as links in mail and calendars should use, without a trailing slash."""
    raw = os.environ.get(name, "").strip() or default
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{name}={raw!r} is not a web address; use e.g. https://circleback.example.org"
        )
    return raw.rstrip("/")
