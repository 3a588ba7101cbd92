"""The reminders app's migrations 0001_initial to 0002_bounded_numbers, squashed: a new database
applies this one; a database at any of the replaced migrations goes on through them. Written by
makemigrations from the final state, with the old migrations' own dependencies on other apps
(docs/architecture.md).
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("reminders", "0001_initial"),
        ("reminders", "0002_bounded_numbers"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarFeed",
            fields=[
                (
                    "owner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_fetched_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name="ScheduledJob",
            fields=[
                ("name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("next_run_at", models.DateTimeField()),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                ("last_worker", models.CharField(blank=True, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("hostname", models.CharField(max_length=255)),
                ("pid", models.PositiveIntegerField()),
                ("started_at", models.DateTimeField()),
                ("seen_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("stopped_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name="DigestSettings",
            fields=[
                (
                    "owner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("enabled", models.BooleanField(default=False)),
                (
                    "frequency",
                    models.CharField(
                        choices=[("daily", "Every day"), ("weekly", "Once a week")],
                        default="daily",
                        max_length=8,
                    ),
                ),
                (
                    "hour",
                    models.PositiveSmallIntegerField(
                        default=7, validators=[django.core.validators.MaxValueValidator(23)]
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(6)]
                    ),
                ),
                ("send_when_empty", models.BooleanField(default=False)),
                ("pending_email", models.EmailField(blank=True, max_length=254)),
                ("verified_email", models.EmailField(blank=True, max_length=254)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("next_at", models.DateTimeField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("enabled", True)), fields=["next_at"], name="digest_due"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Digest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=16)),
                ("due_at", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("due", "Due"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("empty", "Nothing due, not sent"),
                            ("failed", "Failed"),
                            ("missed", "Missed"),
                        ],
                        default="due",
                        max_length=8,
                    ),
                ),
                (
                    "attempts",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(1000)]
                    ),
                ),
                ("claimed_by", models.CharField(blank=True, max_length=64)),
                ("claimed_at", models.DateTimeField(blank=True, null=True)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("sent_to", models.EmailField(blank=True, max_length=254)),
                ("message_id", models.CharField(blank=True, max_length=200)),
                ("server_reply", models.CharField(blank=True, max_length=500)),
                ("last_error", models.CharField(blank=True, max_length=500)),
                ("last_error_at", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["owner", "-due_at"], name="digest_owner_recent"),
                    models.Index(
                        condition=models.Q(("status", "failed")),
                        fields=["next_attempt_at"],
                        name="digest_retry_due",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "period"), name="digest_once_per_period"
                    )
                ],
            },
        ),
    ]
