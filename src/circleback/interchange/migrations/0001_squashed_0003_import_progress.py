"""The interchange app's migrations 0001_initial to 0003_import_progress, squashed: a new database
applies this one; a database at any of the replaced migrations goes on through them. Written by
makemigrations from the final state, with the old migrations' own dependencies on other apps
(docs/architecture.md).
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("interchange", "0001_initial"),
        ("interchange", "0002_possibleduplicate_uuid"),
        ("interchange", "0003_import_progress"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportUpload",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("filename", models.CharField(max_length=255)),
                ("data", models.BinaryField()),
                ("format", models.CharField(max_length=32)),
                ("contact_list", models.CharField(blank=True, max_length=1)),
                ("tags", models.JSONField(default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("previewed", "Waiting for confirmation"),
                            ("importing", "Importing"),
                            ("imported", "Imported"),
                        ],
                        default="previewed",
                        max_length=16,
                    ),
                ),
                ("report", models.JSONField(default=dict)),
                ("took_ms", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("progress_stage", models.CharField(blank=True, max_length=16)),
                ("progress_done", models.PositiveIntegerField(default=0)),
                ("progress_total", models.PositiveIntegerField(default=0)),
                ("progress_at", models.DateTimeField(blank=True, null=True)),
                ("error", models.TextField(blank=True)),
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
                    models.Index(fields=["owner", "-created_at"], name="importupload_owner_when")
                ],
            },
        ),
        migrations.CreateModel(
            name="PossibleDuplicate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("reason", models.CharField(max_length=200)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "To review"), ("kept_apart", "Kept apart")],
                        default="open",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person_a",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "person_b",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["owner", "status"], name="duplicate_owner_status")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("person_a", "person_b"), name="duplicate_unique_pair"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("person_a__lt", models.F("person_b"))),
                        name="duplicate_ordered_pair",
                    ),
                ],
            },
        ),
    ]
