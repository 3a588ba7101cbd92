"""A big import in a real browser: confirm, watch its progress, see the result."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSWORD, sign_in
from django.utils import timezone
from playwright.sync_api import expect

from circleback.accounts.models import User
from circleback.cli.tests.processes import Program
from circleback.interchange.models import ImportUpload
from circleback.interchange.services import ImportReport
from circleback.interchange.tests.test_background import connections_csv

pytestmark = pytest.mark.browser


def test_the_progress_of_an_import_is_shown_and_followed_to_its_end(
    signed_in: Any, alice: User
) -> None:
    upload = ImportUpload.objects.create(
        owner=alice,
        filename="Connections.csv",
        size=1,
        format="linkedin",
        status=ImportUpload.Status.IMPORTING,
        report=ImportReport(format="linkedin", created=3000).as_json(),
        progress_stage="people",
        progress_done=1200,
        progress_total=3000,
        progress_at=timezone.now(),
    )
    page = signed_in
    page.goto(f"/import/{upload.uuid}/")
    bar = page.get_by_role("progressbar", name="Step 2 of 4: Matching and adding people")
    expect(bar).to_have_attribute("value", "1200")
    expect(page.get_by_text("1,200 of 3,000").or_(page.get_by_text("1200 of 3000"))).to_be_visible()
    # The page follows the import as it goes on, without being reloaded by hand.
    ImportUpload.objects.filter(pk=upload.pk).update(
        progress_stage="index", progress_done=0, progress_total=1, progress_at=timezone.now()
    )
    expect(page.get_by_role("progressbar", name="Step 4 of 4: Updating search")).to_be_visible()
    ImportUpload.objects.filter(pk=upload.pk).update(status=ImportUpload.Status.IMPORTED)
    expect(page.get_by_role("heading", name="Imported: Connections.csv")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)


def test_a_big_file_from_upload_to_result(browser: Any, tmp_path: Path) -> None:
    """`circleback serve` as `make run` starts it (with its worker, on its own SQLite file):
    a big file uploaded in the browser is imported by the worker while the page follows the
    progress it writes to the database, then shows the result."""
    from circleback.reminders.tests.test_process import serving

    program = Program.migrated(tmp_path / "home")
    program.account("alice", PASSWORD)
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections_csv(3000))
    with serving(program) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            sign_in(page, "alice")
            page.goto("/import/")
            page.get_by_label(re.compile("^File")).set_input_files(str(path))
            page.get_by_role("button", name=re.compile("Preview")).click()
            expect(page.get_by_role("heading", name="Preview: Connections.csv")).to_be_visible()
            page.get_by_role("button", name=re.compile(r"^Import \d+ people")).click()
            expect(page.get_by_role("heading", name="Imported: Connections.csv")).to_be_visible(
                timeout=90_000
            )
            expect(page.get_by_text("3000").or_(page.get_by_text("3,000")).first).to_be_visible()
        finally:
            context.close()
