"""Writes for accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from circleback.accounts.models import User


@transaction.atomic
def user_create(*, username: str, password: str, time_zone: str = "UTC") -> User:
    """Create an account after validating its name and password; raises ValidationError."""
    username = username.strip()
    if not username:
        raise ValidationError({"username": "A user name is required."})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user called {username!r} already exists."})
    user = User(username=username, time_zone=time_zone)
    user.full_clean(exclude=["password"])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
