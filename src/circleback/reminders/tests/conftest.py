"""A real SMTP server (aiosmtpd) on loopback, and the app's mail settings pointed at it; the
program on a database of its own, for the tests that run the worker and server as processes."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from circleback.cli.tests.processes import Program, on_suite_database
from circleback.conf import EmailConfig


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server accepted, as a mail store keeps it."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse_with: str = ""  # e.g. "451 4.3.0 try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 2.0.0 Ok: queued as CB42"

    def unique(self) -> list[EmailMessage]:
        """One per Message-ID, as a mail store shows them."""
        seen: dict[str, EmailMessage] = {}
        for message in self.messages:
            seen.setdefault(str(message["Message-ID"]), message)
        return list(seen.values())


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}?from=digest@circleback.test"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, mailbox)
    finally:
        controller.stop()


def use_mail(settings: Any, host: str, port: int) -> None:
    settings.CIRCLEBACK_EMAIL = EmailConfig(
        host=host,
        port=port,
        username="",
        password="",
        use_tls=False,
        use_ssl=False,
        timeout=5,
        from_address="digest@circleback.test",
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "digest@circleback.test"
    settings.CIRCLEBACK_BASE_URL = "https://cb.example.org"


@pytest.fixture
def mail(settings: Any, smtp_server: SmtpServer) -> SmtpServer:
    """The app's mail goes to the test's SMTP server."""
    use_mail(settings, smtp_server.host, smtp_server.port)
    return smtp_server


@pytest.fixture
def program(tmp_path: Path) -> Iterator[Program]:
    """The program on a new database of the suite's kind, migrated already (a copy of the
    one the program migrated for this test run)."""
    settings = {"COLUMNS": "200", "CIRCLEBACK_SECRET_KEY": "p" * 40}
    with on_suite_database(tmp_path, prefix="cb_process", **settings) as program:
        yield program
