"""A backup uploaded through the web app, as a browser sends it to `circleback serve` (a real
process, with the worker it starts beside itself on SQLite): the file waits in the data
folder — owner-only, never bytes in the database — while the preview is read from it, then
the worker imports it from there in the background, and it is gone once imported."""

from __future__ import annotations

import json
import re
import sqlite3
import stat
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from circleback.cli.tests.processes import Browser, Program


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/json\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_an_uploaded_backup_waits_as_a_private_file_and_goes_once_imported(
    tmp_path: Path,
) -> None:
    source = Program.migrated(tmp_path / "source")
    source.account("ada")
    made = source.run("demo", "--people", "450", timeout=300)
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "backup.json"
    source.ok("export", "--format", "json", "-o", str(backup))
    # Bigger than Django keeps in memory (2.5 MB: it spools the upload to a temporary file)
    # and than an import done within the request (256 KB: the worker imports it).
    data = backup.read_bytes()
    assert len(data) > 2_621_440

    app = Program.migrated(tmp_path / "app")
    home = app.home
    app.account("bea")
    server = app.serve().start()
    try:
        browser = Browser(server.url)
        assert browser.sign_in("bea") == 302
        token = browser.csrf_token("/import/")
        body, boundary = _multipart(
            {"csrfmiddlewaretoken": token, "format": "auto"}, "file", "backup.json", data
        )
        request = urllib.request.Request(
            server.url + "/import/",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": server.url + "/import/",
            },
        )
        try:
            with browser.opener.open(request, timeout=120) as response:
                status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as answer:  # the redirect to the preview, not followed
            status, location = answer.code, answer.headers.get("Location", "")
        assert status == 302, location
        upload_uuid = re.search(r"/import/([0-9a-f-]{36})/", location)
        assert upload_uuid, location
        key = upload_uuid.group(1)

        # Waiting: a file of its own in the data folder, owner-only, the bytes sent.
        folder = home / "uploads"
        waiting = folder / f"{key}.upload"
        assert [p.name for p in folder.iterdir()] == [waiting.name]
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(waiting.stat().st_mode) == 0o600
        assert waiting.read_bytes() == data
        # ... and not in the database: the upload's row holds what it is, not its bytes.
        with sqlite3.connect(home / "circleback.sqlite3") as db:
            columns = [row[1] for row in db.execute("PRAGMA table_info(interchange_importupload)")]
            size = db.execute("SELECT size FROM interchange_importupload").fetchone()[0]
        assert "data" not in columns and size == len(data)

        # The preview was read from the file: 450 people to add.
        status, _, page = browser.get(f"/import/{key}/")
        assert status == 200 and "450" in page, page[:2000]

        token = browser.csrf_token(f"/import/{key}/")
        status, _, _ = browser.post(f"/import/{key}/confirm/", {"csrfmiddlewaretoken": token})
        assert status == 302
        deadline = time.monotonic() + 240
        state = ""
        while time.monotonic() < deadline:
            _, _, text = browser.get(f"/import/{key}/status/")
            state = json.loads(text)["status"]
            if state == "imported":
                break
            time.sleep(0.5)
        assert state == "imported"
    finally:
        server.stop()
    assert not waiting.exists()  # removed once the import was committed
    assert len(json.loads(app.ok("--user", "bea", "people", "--json"))) == 450
