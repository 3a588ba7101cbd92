"""Erasing from the web app and the CLI: what goes is said before and after; another owner
gets 404; deleting an account takes its sign-ins (sessions) too."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli, one_line_error  # noqa: F401
from circleback.journal.models import Interaction
from circleback.journal.services import interaction_log
from circleback.people.models import Person
from circleback.people.services.people import person_create


def test_the_confirmation_page_says_what_goes(client: Client, alice: User) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill", emails=["ada@x.org"])
    interaction_log(owner=alice, summary="Coffee", people=[ada])
    client.force_login(alice)
    page = client.get(f"/people/{ada.uuid}/delete/").content.decode()
    assert "1 contact details (emails, phones, links)" in page
    assert "1 journal entries with only them (deleted)" in page
    done = client.post(f"/people/{ada.uuid}/delete/", follow=True).content.decode()
    assert "Deleted Ada Quill, with 1 contact details" in done
    assert not Person.objects.exists() and not Interaction.objects.exists()


def test_another_owner_cannot_erase_or_see_what_would_go(
    client: Client, alice: User, charlie: User
) -> None:
    ada = person_create(owner=alice, full_name="Ada Quill")
    client.force_login(charlie)
    assert client.get(f"/people/{ada.uuid}/delete/").status_code == 404
    assert client.post(f"/people/{ada.uuid}/delete/").status_code == 404
    assert Person.objects.filter(pk=ada.pk).exists()


def test_deleting_the_account_from_settings_needs_the_password_and_the_name(
    alice: User, charlie: User
) -> None:
    person_create(owner=alice, full_name="Ada Quill")
    person_create(owner=charlie, full_name="Zed Other")
    browser, other = Client(), Client()
    assert browser.login(username="alice", password="correct horse battery staple")
    assert other.login(username="charlie", password="correct horse battery staple")
    page = browser.get("/settings/").content.decode()
    assert "Delete your account" in page and "1 people" in page

    wrong = browser.post(
        "/settings/",
        {"which": "delete", "delete-password": "nope", "delete-confirm": "alice"},
    )
    assert wrong.status_code == 400 and "That is not your password." in wrong.content.decode()
    assert User.objects.filter(username="alice").exists()

    done = browser.post(
        "/settings/",
        {
            "which": "delete",
            "delete-password": "correct horse battery staple",
            "delete-confirm": "ALICE",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/login/"
    assert not User.objects.filter(username="alice").exists()
    assert Person.objects.get().full_name == "Zed Other"
    users = {s.get_decoded().get("_auth_user_id") for s in Session.objects.all()}
    assert users == {str(charlie.pk)}  # alice's sign-in went with her account


def test_user_delete_says_what_goes_and_needs_yes_from_a_script(cli: Run, alice: User) -> None:  # noqa: F811
    person_create(owner=alice, full_name="Ada Quill", emails=["ada@x.org"])
    refused = cli("user", "delete", "alice")
    assert refused.exit_code == 2 and "add --yes" in one_line_error(refused)
    result = cli("user", "delete", "alice", "--yes")
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    assert "Deleted the account 'alice', with 1 people;" in said and "1 emails" in said
    assert not User.objects.exists() and not Person.objects.exists()
    missing = cli("user", "delete", "alice", "--yes")
    assert missing.exit_code == 1 and "no account called 'alice'" in one_line_error(missing)
