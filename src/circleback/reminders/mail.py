"""Sending mail through the configured SMTP server, keeping what the server answered.

Django's SMTP backend opens the connection (STARTTLS, TLS, login and time-out as
CIRCLEBACK_EMAIL_URL says); the message then goes by the three SMTP commands themselves,
because the server's answer to the last of them ("250 2.0.0 Ok: queued as 4Xk2") is what
`circleback digest test` reports and the settings page keeps.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend


class MailError(Exception):
    """The message was not accepted; the text says why, as a person would."""


@dataclass(frozen=True)
class Delivered:
    reply: str  # the server's answer to the message: "250 2.0.0 Ok: queued as 4Xk2"


def mail_configured() -> bool:
    return getattr(settings, "CIRCLEBACK_EMAIL", None) is not None


def mail_server_shown() -> str:
    config = getattr(settings, "CIRCLEBACK_EMAIL", None)
    return config.shown if config is not None else ""


def from_address() -> str:
    config = getattr(settings, "CIRCLEBACK_EMAIL", None)
    return config.from_address if config is not None else settings.DEFAULT_FROM_EMAIL


def describe(exc: BaseException) -> str:
    """Why a send failed, in a few words: "connection refused"."""
    if isinstance(exc, MailError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the server refused the user name or password"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        (address, (code, text)), *_ = exc.recipients.items()
        return f"the server refused {address} ({code} {_text(text)})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"the server refused the sender {exc.sender} ({exc.smtp_code} {_text(exc.smtp_error)})"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server answered {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "the server did not answer in time"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, socket.gaierror):
        return "the server's name could not be found"
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc)).lower()
    return f"{type(exc).__name__}: {exc}"


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:300]


def send(message: EmailMultiAlternatives) -> Delivered:
    """Hand `message` to the SMTP server; the server's answer, or MailError saying why not."""
    if not mail_configured():
        raise MailError("no mail server is configured (set CIRCLEBACK_EMAIL_URL)")
    backend = EmailBackend(fail_silently=False)
    try:
        backend.open()
        smtp = backend.connection
        assert smtp is not None
        recipients = message.recipients()
        smtp.ehlo_or_helo_if_needed()
        code, text = smtp.mail(message.from_email)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, message.from_email)
        for address in recipients:
            code, text = smtp.rcpt(address)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({address: (code, text)})
        code, text = smtp.data(message.message().as_bytes(linesep="\r\n"))
        if code != 250:
            raise smtplib.SMTPDataError(code, text)
        return Delivered(reply=f"{code} {_text(text)}")
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(describe(exc)) from exc
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection can fail any way
            backend.close()
