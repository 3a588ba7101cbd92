"""CIRCLEBACK_EMAIL_URL: one URL, read by a typed helper that names the variable when wrong."""

from __future__ import annotations

import pytest

from circleback.conf import ConfigError, env_base_url, env_email_url


def test_it_reads_a_submission_server_with_starttls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "CIRCLEBACK_EMAIL_URL", "smtp://ada%40example.org:s%3Acret@mail.example.org:587?tls"
    )
    config = env_email_url()
    assert config is not None
    assert (config.host, config.port, config.use_tls, config.use_ssl) == (
        "mail.example.org",
        587,
        True,
        False,
    )
    assert (config.username, config.password) == ("ada@example.org", "s:cret")
    assert config.from_address == "ada@example.org"
    assert "s:cret" not in config.shown and "587" in config.shown


def test_smtps_is_tls_from_the_start_on_465(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "CIRCLEBACK_EMAIL_URL", "smtps://mail.example.org?from=cb@example.org&timeout=3"
    )
    config = env_email_url()
    assert config is not None
    assert (config.port, config.use_ssl, config.use_tls, config.timeout) == (465, True, False, 3)
    assert config.from_address == "cb@example.org"


def test_unset_means_no_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIRCLEBACK_EMAIL_URL", raising=False)
    assert env_email_url() is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("http://mail.example.org", "must start with smtp://"),
        ("smtp://mail.example.org:notaport", "port that is not a number"),
        ("smtp://:25", "names no mail server"),
        ("smtp://mail.example.org?starttls", "unknown option(s) starttls"),
        ("smtp://mail.example.org?timeout=soon", "timeout='soon'"),
        ("smtp://mail.example.org?from=nobody", "not an email address"),
    ],
)
def test_a_bad_value_names_the_variable_and_says_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch, value: str, fragment: str
) -> None:
    monkeypatch.setenv("CIRCLEBACK_EMAIL_URL", value)
    with pytest.raises(ConfigError) as raised:
        env_email_url()
    assert "CIRCLEBACK_EMAIL_URL" in str(raised.value) and fragment in str(raised.value)


def test_the_base_url_must_be_a_web_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLEBACK_BASE_URL", "https://cb.example.org/")
    assert env_base_url() == "https://cb.example.org"
    monkeypatch.setenv("CIRCLEBACK_BASE_URL", "cb.example.org")
    with pytest.raises(ConfigError, match="CIRCLEBACK_BASE_URL"):
        env_base_url()
