"""Every model of every app is in the backup or left out for a stated reason, so a model
added later can't be forgotten by it."""

from __future__ import annotations

from django.apps import apps

from circleback.accounts.models import User
from circleback.operations.backup.sections import (
    ACCOUNT_FIELDS,
    COVERED,
    EXCLUDED,
    SECTIONS,
    SETTINGS,
)


def test_every_model_is_backed_up_or_left_out_for_a_reason() -> None:
    forgotten = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model in COVERED or label in EXCLUDED or model._meta.app_label in EXCLUDED:
            continue
        forgotten.append(label)
    assert not forgotten, (
        f"{', '.join(forgotten)}: not in the backup. Add each to circleback/backup/sections.py "
        "— a Section (it then travels both ways), or EXCLUDED with the reason a restored "
        "account does without it."
    )


def test_every_model_left_out_says_why() -> None:
    assert all(len(reason.split()) >= 4 for reason in EXCLUDED.values())


def test_each_section_carries_every_column_a_user_can_set() -> None:
    """A section's columns: all of its model's concrete fields but the row id, the owner, the
    uuid and what is computed from others (a pitch's word count)."""
    computed = {"id", "owner", "user", "uuid", "word_count"}
    for section in SECTIONS:
        fields = {f.name for f in section.model._meta.concrete_fields if f.name not in computed}
        carried = set(section.fields) | {name for name, _target in section.refs}
        assert fields == carried, f"{section.key}: {sorted(fields ^ carried)}"
    for key, (model, owner, names) in SETTINGS.items():
        fields = {f.name for f in model._meta.concrete_fields} - {"id", owner}
        assert fields == set(names), key


def test_every_setting_of_the_account_is_carried() -> None:
    """The account's own columns: each is a setting the backup carries, or sign-in and
    administration that stay with the account restored into."""
    sign_in = {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "is_staff",
        "is_active",
        "date_joined",
    }
    fields = {f.name for f in User._meta.concrete_fields} - sign_in
    assert fields == set(ACCOUNT_FIELDS)
