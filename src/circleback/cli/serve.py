"""`circleback serve`: the web app on a production WSGI server (waitress)."""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import os
import signal
import socket
import subprocess
import sys
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
    threads: int = typer.Option(
        4,
        min=1,
        max=64,
        help="Threads answering requests. Four served more requests a second than eight on "
        "2 cores, with a shorter tail (docs/deploy.md).",
    ),
    worker: bool | None = typer.Option(
        None,
        "--worker/--no-worker",
        help="Run a background worker beside the server (default: yes on the embedded "
        "SQLite database; with PostgreSQL run `circleback worker` separately).",
        show_default=False,
    ),
) -> None:
    """Serve the web app (static files included) until Ctrl-C.

    Applies pending database migrations first. On a fresh install bound to this machine,
    the first page offers to create your account. On the embedded database it also runs
    the background worker (big imports, digests), stopped with the server.

    Example: [bold]circleback serve --port 8080[/]
    """
    if is_loopback(host):
        os.environ["CIRCLEBACK_WELCOME_ENABLED"] = "1"
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    # Links in digests and the calendar feed point at this server unless told otherwise.
    os.environ.setdefault("CIRCLEBACK_BASE_URL", url.rstrip("/"))
    django_ready()
    from waitress import serve as waitress_serve

    from circleback.accounts.models import User
    from circleback.wsgi import application

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
    from django.db import connection

    child = (
        _start_worker()
        if (worker if worker is not None else connection.vendor == "sqlite")
        else None
    )
    signal.signal(signal.SIGTERM, _stop)
    from django.conf import settings

    if settings.CIRCLEBACK_GC_FREEZE:
        _freeze_startup_objects()
    try:
        # Waitress returns normally when Ctrl-C (or SIGTERM, via _stop) ends its loop.
        with contextlib.suppress(KeyboardInterrupt):
            waitress_serve(
                application, host=host, port=port, threads=threads, ident="circleback", _quiet=True
            )
    finally:
        if child is not None:
            _stop_worker(child)
    console.print("Stopped.")


def _freeze_startup_objects() -> None:
    """Load every view module, then move what start-up made out of the collector's sight.

    Django, the views and their libraries are several hundred thousand long-lived objects;
    an oldest-generation collection walked them all while holding the interpreter lock,
    pausing every thread of the process: under `make loadtest` (Server-Timing) such a pause
    took 0.7-1.2 s; frozen, 50-220 ms, as it walks only what requests made since.
    CIRCLEBACK_GC_FREEZE=0 leaves the collector as Python sets it (to compare)."""
    from django.urls import get_resolver

    get_resolver().check()  # imports every view module (and what they import)
    gc.collect()
    gc.freeze()


def _start_worker() -> subprocess.Popen[bytes]:
    """The background worker as a process of its own (one SQLite writer per process, and a
    task that must be killed never takes the web app with it)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "circleback", "worker", "--parent", str(os.getpid())],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches the server, which stops the worker in turn
    )
    console.print("A background worker runs beside it (imports, digests).")
    return child


def _stop_worker(child: subprocess.Popen[bytes]) -> None:
    """Let the worker finish the task in hand (it stops at the next), then wait for it."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
