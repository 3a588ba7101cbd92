"""Writes for accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User
from circleback.text import split_full_name


@transaction.atomic
def user_create(
    *, username: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> User:
    """Create an account after validating its name and password; raises ValidationError.

    `full_name` is the person's real name, which signs their drafts ("Sam Okafor", where
    `username` is what they sign in with, "sam")."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "A user name is required."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user called {username!r} already exists."})
    first_name, last_name = split_full_name(full_name.strip())
    user = User(username=username, time_zone=time_zone, first_name=first_name, last_name=last_name)
    user.full_clean(exclude=["password"])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
