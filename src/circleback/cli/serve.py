"""`circleback serve`: the web app on a production WSGI server (waitress)."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import signal
import socket
from types import FrameType

import typer

from circleback.cli import app
from circleback.cli._common import console, django_ready, fail


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@app.command(rich_help_panel="Getting started")
def serve(
    host: str = typer.Option(
        "127.0.0.1",
        help="Address to listen on. The default is this machine only; "
        "use 0.0.0.0 only behind a proxy with HTTPS.",
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    threads: int = typer.Option(8, min=1, max=64, help="Worker threads."),
) -> None:
    """Serve the web app (static files included) until Ctrl-C.

    Applies pending database migrations first. On a fresh install bound to this machine,
    the first page offers to create your account.
    """
    if is_loopback(host):
        os.environ["CIRCLEBACK_WELCOME_ENABLED"] = "1"
    django_ready()
    from waitress import serve as waitress_serve

    from circleback.accounts.models import User
    from circleback.wsgi import application

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    console.print(f"Circleback is serving on [bold]{url}[/] — press Ctrl-C to stop.")
    if not User.objects.exists():
        if is_loopback(host):
            console.print(f"No account yet: open {url} to create yours.")
        else:
            console.print("No account yet: create one with `circleback user create YOUR-NAME`.")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
    except OSError as exc:
        fail(
            f"cannot listen on {host}:{port} ({exc.strerror}). "
            "Is another server using it? Try another port with --port."
        )
    signal.signal(signal.SIGTERM, _stop)
    # Waitress returns normally when Ctrl-C (or SIGTERM, via _stop) ends its loop.
    with contextlib.suppress(KeyboardInterrupt):
        waitress_serve(
            application, host=host, port=port, threads=threads, ident="circleback", _quiet=True
        )
    console.print("Stopped.")
