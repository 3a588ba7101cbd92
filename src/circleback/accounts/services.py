"""Writes for accounts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction

from circleback.accounts.models import User
from circleback.text import split_full_name


class FirstRunClosed(Exception):
    """An account exists already (perhaps created a moment ago by a parallel request)."""


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    time_zone: str = "UTC",
    full_name: str = "",
    can_sign_in: bool = True,
) -> User:
    """Create an account after validating its name and password; raises ValidationError.

    `full_name` is the person's real name, which signs their drafts ("Sam Okafor", where
    `username` is what they sign in with, "sam"). `can_sign_in=False` makes an account no
    one signs in to (the demo's fellow club members): no password, inactive, and never the
    CLI's account by default."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "A user name is required."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user called {username!r} already exists."})
    first_name, last_name = split_full_name(full_name.strip())
    user = User(username=username, time_zone=time_zone, first_name=first_name, last_name=last_name)
    user.full_clean(exclude=["password"])
    if can_sign_in:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
        user.is_active = False
    user.save()
    return user


def first_account_create(
    *, username: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> User:
    """Create the install's first account, or raise FirstRunClosed if any account exists.

    Atomic whatever the race: the check and the insert run in one transaction that holds a
    lock every other account insert waits for (SQLite's write lock, taken at BEGIN in
    IMMEDIATE mode; on PostgreSQL a table lock that conflicts with itself and with inserts).
    Twelve simultaneous first-run forms make exactly one account.
    """
    using = router.db_for_write(User)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(User._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        if User.objects.using(using).exists():
            raise FirstRunClosed
        return user_create(
            username=username, password=password, time_zone=time_zone, full_name=full_name
        )


# What higher areas do when an account's time zone changes (reminders: move the next digest to
# the chosen hour in the new zone). They register in their AppConfig.ready().
ZONE_CHANGED: list[Callable[[User], None]] = []

ACCOUNT_FIELDS = ("first_name", "last_name", "email", "time_zone", "mode")


@transaction.atomic
def account_update(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    time_zone: str | None = None,
    mode: str | None = None,
) -> User:
    """Change the account's profile: the name drafts are signed with, its email, its time
    zone (days, digests and the calendar follow it) and its mode. `None` leaves a field."""
    changes = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "time_zone": time_zone,
        "mode": mode,
    }
    changes = {k: v.strip() for k, v in changes.items() if v is not None}
    old_zone = user.time_zone
    for name, value in changes.items():
        setattr(user, name, value)
    other_fields = [f.name for f in User._meta.fields if f.name not in changes]
    user.full_clean(exclude=other_fields, validate_unique=False)
    user.save(update_fields=list(changes))
    if user.time_zone != old_zone:
        for hook in ZONE_CHANGED:
            hook(user)
    return user


# --- confirming it is you: the password again ---------------------------------------------------

WRONG_PASSWORD = "That is not your password."


@transaction.atomic
def account_password_change(*, user: User, current_password: str, new_password: str) -> User:
    """Change the password, given the current one; the new one must pass the install's
    password rules (length, not too common, not all digits, not like the account's name).
    Browser sessions elsewhere are signed out (their session hash changes); tokens stay."""
    errors: dict[str, list[str]] = {}
    if not user.check_password(current_password):
        errors["current_password"] = [WRONG_PASSWORD]
    else:
        try:
            password_validation.validate_password(new_password, user)
        except ValidationError as exc:
            errors["new_password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def account_erase_check(*, user: User, password: str, confirm: str) -> None:
    """What deleting an account asks, wherever it is asked (the settings page, the API): the
    password again, and the account's name typed to be sure. Raises ValidationError naming
    each field that is wrong; nothing is deleted here (operations.erase does that)."""
    errors: dict[str, str] = {}
    if not user.check_password(password):
        errors["password"] = WRONG_PASSWORD
    if confirm.strip().lower() != user.get_username().lower():
        errors["confirm"] = f"Type {user.get_username()} to confirm; nothing was deleted."
    if errors:
        raise ValidationError(errors)
