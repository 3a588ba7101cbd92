"""The journal app's migrations 0001_initial to 0003_bounded_text, squashed: a new database applies
this one; a database at any of the replaced migrations goes on through them. Written by
makemigrations from the final state, with the old migrations' own dependencies on other apps
(docs/architecture.md).
"""

import uuid

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("journal", "0001_initial"),
        ("journal", "0002_updated_at_and_graph_indexes"),
        ("journal", "0003_bounded_text"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("people", "0002_updated_at_and_graph_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Interaction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("occurred_at", models.DateTimeField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("meeting", "Meeting"),
                            ("call", "Call"),
                            ("email", "Email"),
                            ("message", "Message"),
                            ("event", "Event"),
                            ("social", "Social"),
                            ("card", "Card or letter"),
                            ("note", "Note"),
                        ],
                        default="note",
                        max_length=16,
                    ),
                ),
                (
                    "direction",
                    models.CharField(
                        choices=[
                            ("outgoing", "I reached out"),
                            ("incoming", "They reached out"),
                            ("mutual", "Mutual"),
                        ],
                        default="mutual",
                        max_length=16,
                    ),
                ),
                ("summary", models.CharField(max_length=300)),
                (
                    "notes",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("source", models.CharField(default="manual", max_length=16)),
                ("external_key", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "updated_at",
                    models.DateTimeField(
                        auto_now=True, db_default=django.db.models.functions.datetime.Now()
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interactions",
                        to="people.organisation",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Participation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("occurred_at", models.DateTimeField()),
                (
                    "interaction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="journal.interaction",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="interaction",
            name="people",
            field=models.ManyToManyField(
                related_name="interactions", through="journal.Participation", to="people.person"
            ),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(fields=["person", "-occurred_at"], name="participation_person_when"),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                fields=("interaction", "person"), name="participation_unique_person"
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["owner", "updated_at"], name="interaction_owner_updated"),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["owner", "-occurred_at"], name="interaction_owner_when"),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=["owner", "kind", "-occurred_at"], name="interaction_owner_kind"
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                fields=["organisation", "-occurred_at"], name="interaction_org_when"
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["owner", "external_key"], name="interaction_external_key"),
        ),
    ]
