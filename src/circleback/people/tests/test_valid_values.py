"""One definition of a valid value: the model's. Every interface that writes a person — the
service, the web form, the CLI — refuses the same bad values, on the same field, and writes
nothing. The bad values are generated from the model's fields (`_meta`), so a new field that
no interface checks, or that one interface forgets, fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.test import Client

from circleback.accounts.models import User
from circleback.cli.tests.support import Run, cli  # noqa: F401  (the fixture)
from circleback.people.models import Person
from circleback.people.services.people import PERSON_FIELDS, person_create

# Set by the services themselves, never typed: no interface offers them.
NOT_TYPED = {"source"}
# What the CLI's `person add` calls each field (None: it doesn't offer the field).
CLI_OPTION: dict[str, str | None] = {
    "full_name": "",  # the argument
    "given_name": None,
    "family_name": None,
    "title": "--title",
    "contact_list": "--list",
    "closeness": "--closeness",
    "cadence_days": "--cadence",
    "is_decision_maker": None,  # a flag: it has no bad value
    "location": "--location",
    "how_we_met": "--how-we-met",
    "met_on": "--met-on",
    "notes": "--notes",
    "birthday_year": "--birthday",
    "birthday_month": "--birthday",
    "birthday_day": "--birthday",
}


def _limit(field: models.Field, kind: type) -> Any:
    values = [getattr(v, "limit_value") for v in field.validators if type(v) is kind]  # noqa: B009
    return (min if kind is MaxValueValidator or kind is MaxLengthValidator else max)(
        values, default=None
    )


def bad_values(field: models.Field) -> list[Any]:
    """Values the model refuses for `field`, read from its definition."""
    if field.choices:
        valid = [value for value, _label in field.flatchoices]
        if isinstance(field, models.IntegerField):
            return [max(valid) + 1, min(valid) - 1]
        return ["Z" * (max(len(str(v)) for v in valid))]
    if isinstance(field, models.CharField):
        return ["x" * (field.max_length + 1)] if field.max_length else []
    if isinstance(field, models.TextField):
        limit = _limit(field, MaxLengthValidator)
        return ["x" * (limit + 1)] if limit else []
    if isinstance(field, models.IntegerField):
        low, high = _limit(field, MinValueValidator), _limit(field, MaxValueValidator)
        return [v for v in (high + 1 if high is not None else None, low - 1) if v is not None]
    return []


def person_cases() -> list[tuple[str, Any]]:
    cases: list[tuple[str, Any]] = []
    for name in PERSON_FIELDS:
        if name in NOT_TYPED:
            continue
        field = Person._meta.get_field(name)
        assert isinstance(field, models.Field)
        cases.extend((name, value) for value in bad_values(field))
    # Each field fine on its own, the date impossible: the defect of 31 February.
    cases.append(("birthday", (2026, 2, 31)))
    cases.append(("birthday", (2025, 2, 29)))
    return cases


def _id(case: Any) -> str:
    return str(case)[:30]


def test_every_number_and_text_of_every_model_has_a_bound() -> None:
    """Free text has a most, numbers a least and a most that PostgreSQL can hold: a value
    SQLite takes must be one a restore into PostgreSQL takes too."""
    unbounded = []
    for config in apps.get_app_configs():
        if not config.name.startswith("circleback") or config.label in ("search", "interchange"):
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if not field.editable or field.primary_key or field.is_relation:
                    continue
                if isinstance(field, models.TextField) and not _limit(field, MaxLengthValidator):
                    unbounded.append(f"{model._meta.label}.{field.name}")
                if isinstance(field, models.IntegerField) and not field.choices:
                    high = _limit(field, MaxValueValidator)
                    if high is None or (
                        high > 32767 and isinstance(field, models.SmallIntegerField)
                    ):
                        unbounded.append(f"{model._meta.label}.{field.name}")
    assert unbounded == []


@pytest.mark.parametrize(("field", "value"), person_cases(), ids=_id)
def test_the_service_refuses_it_on_the_field(alice: User, field: str, value: Any) -> None:
    fields = _as_fields(field, value)
    with pytest.raises(ValidationError) as refused:
        person_create(owner=alice, **{"full_name": "Ada Quill", **fields})
    assert set(refused.value.message_dict) & set(fields), refused.value.message_dict
    assert not Person.objects.exists()


@pytest.mark.parametrize(("field", "value"), person_cases(), ids=_id)
def test_the_web_form_refuses_it_on_the_field(
    client: Client, alice: User, field: str, value: Any
) -> None:
    client.force_login(alice)
    data = {"full_name": "Ada Quill", "contact_list": "B", "closeness": "2"}
    fields = _as_fields(field, value)
    data.update({k: str(v) for k, v in fields.items()})
    response = client.post("/people/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) & set(fields), errors
    assert "__all__" not in errors
    assert not Person.objects.exists()


@pytest.mark.parametrize(("field", "value"), person_cases(), ids=_id)
def test_the_cli_refuses_it_naming_the_option(
    cli: Run,  # noqa: F811
    alice: User,
    field: str,
    value: Any,
) -> None:
    option = "--birthday" if field == "birthday" else CLI_OPTION[field]
    if option is None:
        pytest.skip(f"`person add` has no option for {field}")
    args = ["person", "add", "Ada Quill"]
    if field == "full_name":
        args[2] = value
    elif option == "--birthday":
        year, month, day = value if field == "birthday" else _birthday_with(field, value)
        args += [option, f"{year}-{month:02}-{day:02}"]
    else:
        args += [option, str(value)]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    label = "name" if field == "full_name" else option
    assert label in result.stderr
    assert "Traceback" not in result.output
    assert not Person.objects.exists()


def test_every_person_field_is_offered_or_known_not_to_be() -> None:
    """A new field must be given a CLI option here, or said not to have one."""
    assert set(PERSON_FIELDS) - NOT_TYPED == set(CLI_OPTION)


def test_thirty_first_of_february_is_refused_with_a_message_on_the_day(alice: User) -> None:
    with pytest.raises(ValidationError) as refused:
        person_create(
            owner=alice, full_name="Ada", birthday_year=2026, birthday_month=2, birthday_day=31
        )
    assert refused.value.message_dict == {
        "birthday_day": ["February 2026 has no day 31; the last is 28."]
    }
    # The 29th of February without a year is a birthday some people have.
    assert person_create(owner=alice, full_name="Leap", birthday_month=2, birthday_day=29)


def test_a_long_name_is_blamed_on_the_name_not_the_given_name(client: Client, alice: User) -> None:
    """The defect: 500 characters were cut by the browser, then blamed on "Given name"."""
    client.force_login(alice)
    page = client.get("/people/new/").content.decode()
    assert "maxlength" not in page  # nothing typed is cut without a word
    response = client.post(
        "/people/new/", {"full_name": "Ada " * 125, "contact_list": "B", "closeness": "2"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["full_name"]
    assert "at most 200 characters" in errors["full_name"][0]


def _birthday_with(field: str, value: Any) -> tuple[int, int, int]:
    year, month, day = 1990, 6, 15
    return (
        value if field == "birthday_year" else year,
        value if field == "birthday_month" else month,
        value if field == "birthday_day" else day,
    )


def _as_fields(field: str, value: Any) -> dict[str, Any]:
    if field == "birthday":
        year, month, day = value
        return {"birthday_year": year, "birthday_month": month, "birthday_day": day}
    if field.startswith("birthday_"):
        year, month, day = _birthday_with(field, value)
        return {"birthday_year": year, "birthday_month": month, "birthday_day": day}
    return {field: value}
