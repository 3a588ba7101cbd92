"""A form that creates something carries a one-time token; a token used once is kept here
with where its result is, so the same form sent again (the back button, a double click, a
retry after a timeout) shows that result instead of making a second one."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Submission(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    # Where the first submission's result is (a path in this app).
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "token"], name="submission_once_per_owner")
        ]
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self) -> str:
        return self.token
