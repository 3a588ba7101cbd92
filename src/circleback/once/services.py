"""Sending a form once: claim its token, do the work, remember where the result is."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from circleback.accounts.models import User
from circleback.once.models import Submission

FIELD = "once"
KEEP = dt.timedelta(days=30)  # a form left open longer than this may be sent again


def new_token() -> str:
    return secrets.token_urlsafe(24)


def clean_token(value: object) -> str:
    token = str(value or "").strip()
    return token if 8 <= len(token) <= 64 else ""


def submit_once(
    *, owner: User, token: str, work: Callable[[], str | None]
) -> tuple[str | None, bool]:
    """Run `work` at most once for this form token; returns (result URL, was it sent before).

    `work` does what the form asks and returns where its result is, or None when the input was
    refused (then nothing is kept and the token can be sent again, corrected). The token is
    claimed in the same transaction as the work: a second copy sent at the same moment waits
    for the first and then finds its result. Without a token (a script), `work` just runs.
    """
    token = clean_token(token)
    if not token:
        return work(), False
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Submission.objects.create(owner=owner, token=token)
        except IntegrityError:
            prior = Submission.objects.filter(owner=owner, token=token).first()
            return (prior.result_url if prior else None), True
        url = work()
        if url is None:
            transaction.set_rollback(True)
            return None, False
        claim.result_url = url
        claim.save(update_fields=["result_url"])
    if claim.pk % 100 == 0:  # now and then, forget tokens no form could still carry
        Submission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return url, False
