"""The people app's migrations 0001_initial to 0009_bounded_text_and_numbers, squashed: a new
database applies this one; a database at any of the replaced migrations goes on through them.
Written by makemigrations from the final state, with the old migrations' own dependencies on
other apps (docs/architecture.md).
"""

import uuid

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("people", "0001_initial"),
        ("people", "0002_updated_at_and_graph_indexes"),
        ("people", "0003_person_cadence_index"),
        ("people", "0004_person_updated_index_fewer_tie_indexes"),
        ("people", "0005_person_list_and_closeness_by_recency"),
        ("people", "0006_person_introduced_by_name_index"),
        ("people", "0007_fewer_person_and_detail_indexes"),
        ("people", "0008_details_owner_without_constraint"),
        ("people", "0009_bounded_text_and_numbers"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Organisation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=200)),
                ("normalized_name", models.CharField(editable=False, max_length=200)),
                ("domain", models.CharField(blank=True, max_length=253)),
                ("industry", models.CharField(blank=True, max_length=120)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("is_target", models.BooleanField(default=False)),
                (
                    "priority",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="1 is the highest priority.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("researching", "Researching"),
                            ("networking", "Networking"),
                            ("applied", "Applied"),
                            ("interviewing", "Interviewing"),
                            ("offer", "Offer"),
                            ("closed", "Closed"),
                        ],
                        default="researching",
                        max_length=16,
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
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
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "contact_list",
                    models.CharField(
                        choices=[("A", "A — personal"), ("B", "B — career"), ("C", "C — target")],
                        default="B",
                        max_length=1,
                        verbose_name="list",
                    ),
                ),
                ("full_name", models.CharField(max_length=200)),
                ("given_name", models.CharField(blank=True, max_length=100)),
                ("family_name", models.CharField(blank=True, max_length=100)),
                ("title", models.CharField(blank=True, max_length=200)),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "how_we_met",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("met_on", models.DateField(blank=True, null=True)),
                (
                    "closeness",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "1 — met once"),
                            (2, "2 — acquaintance"),
                            (3, "3 — friendly"),
                            (4, "4 — close"),
                            (5, "5 — inner circle"),
                        ],
                        default=2,
                    ),
                ),
                (
                    "cadence_days",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="Keep in touch every this many days; empty means the default for the list.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3650),
                        ],
                    ),
                ),
                ("is_decision_maker", models.BooleanField(default=False)),
                (
                    "birthday_year",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1900),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                    ),
                ),
                (
                    "birthday_month",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(12),
                        ],
                    ),
                ),
                (
                    "birthday_day",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(31),
                        ],
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("manual", "Added by hand"),
                            ("event", "Event capture"),
                            ("referral", "Referral"),
                            ("linkedin", "LinkedIn"),
                            ("vcard", "vCard"),
                            ("google", "Google Contacts"),
                            ("outlook", "Outlook"),
                            ("backup", "Circleback backup"),
                            ("demo", "Demo data"),
                        ],
                        default="manual",
                        max_length=16,
                    ),
                ),
                ("last_contact_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "introduced_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="introduced",
                        to="people.person",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="people",
                        to="people.organisation",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "people",
            },
        ),
        migrations.CreateModel(
            name="Link",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=40)),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(32767)]
                    ),
                ),
                ("normalized", models.CharField(editable=False, max_length=320)),
                ("url", models.URLField(max_length=500)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("linkedin", "LinkedIn"),
                            ("website", "Website"),
                            ("github", "GitHub"),
                            ("social", "Social"),
                            ("other", "Other"),
                        ],
                        default="website",
                        max_length=16,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Email",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=40)),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(32767)]
                    ),
                ),
                ("normalized", models.CharField(editable=False, max_length=320)),
                ("address", models.EmailField(max_length=320)),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="emails",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Phone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=40)),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, validators=[django.core.validators.MaxValueValidator(32767)]
                    ),
                ),
                ("normalized", models.CharField(editable=False, max_length=320)),
                ("number", models.CharField(max_length=64)),
                (
                    "owner",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="phones",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Photo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("content_type", models.CharField(max_length=40)),
                ("data", models.BinaryField()),
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photo",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Tag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=60)),
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
        migrations.AddField(
            model_name="person",
            name="tags",
            field=models.ManyToManyField(blank=True, related_name="people", to="people.tag"),
        ),
        migrations.CreateModel(
            name="Tie",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("colleague", "Colleague"),
                            ("former_colleague", "Former colleague"),
                            ("manager", "Manager / report"),
                            ("friend", "Friend"),
                            ("family", "Family"),
                            ("classmate", "Classmate"),
                            ("mentor", "Mentor / mentee"),
                            ("client", "Client / supplier"),
                            ("other", "Knows"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                (
                    "strength",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(5),
                        ],
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "updated_at",
                    models.DateTimeField(
                        auto_now=True, db_default=django.db.models.functions.datetime.Now()
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
                    "person_a",
                    models.ForeignKey(
                        db_index=False,
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
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                models.F("owner"),
                django.db.models.functions.text.Lower("name"),
                name="organisation_owner_name",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                fields=["owner", "is_target", "priority", "stage"], name="organisation_targets"
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("owner", "normalized_name"), name="organisation_unique_name_per_owner"
            ),
        ),
        migrations.AddIndex(
            model_name="link",
            index=models.Index(fields=["owner", "normalized"], name="link_owner_normalized"),
        ),
        migrations.AddConstraint(
            model_name="link",
            constraint=models.UniqueConstraint(
                fields=("person", "normalized"), name="link_unique_per_person"
            ),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["owner", "normalized"], name="email_owner_normalized"),
        ),
        migrations.AddConstraint(
            model_name="email",
            constraint=models.UniqueConstraint(
                fields=("person", "normalized"), name="email_unique_per_person"
            ),
        ),
        migrations.AddIndex(
            model_name="phone",
            index=models.Index(fields=["owner", "normalized"], name="phone_owner_normalized"),
        ),
        migrations.AddConstraint(
            model_name="phone",
            constraint=models.UniqueConstraint(
                fields=("person", "normalized"), name="phone_unique_per_person"
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("owner"),
                name="tag_unique_name_per_owner",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.F("owner"),
                django.db.models.functions.text.Lower("full_name"),
                name="person_owner_name",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "contact_list", "last_contact_at"], name="person_owner_list_last"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "last_contact_at"], name="person_owner_last_contact"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["owner", "created_at"], name="person_owner_created"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["owner", "updated_at"], name="person_owner_updated"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "closeness", "last_contact_at"], name="person_owner_close_last"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "cadence_days", "last_contact_at"], name="person_owner_cadence"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["organisation", "is_decision_maker"], name="person_org_dm"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.F("introduced_by"),
                django.db.models.functions.text.Lower("full_name"),
                condition=models.Q(("introduced_by__isnull", False)),
                name="person_introduced_by_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(("closeness__gte", 1), ("closeness__lte", 5)),
                name="person_closeness_1_to_5",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(("contact_list__in", ["A", "B", "C"])), name="person_list_abc"
            ),
        ),
        migrations.AddIndex(
            model_name="tie",
            index=models.Index(
                fields=["owner", "person_a", "person_b", "strength", "kind"], name="tie_owner_graph"
            ),
        ),
        migrations.AddIndex(
            model_name="tie",
            index=models.Index(fields=["owner", "updated_at"], name="tie_owner_updated"),
        ),
        migrations.AddConstraint(
            model_name="tie",
            constraint=models.UniqueConstraint(
                fields=("person_a", "person_b"), name="tie_unique_pair"
            ),
        ),
        migrations.AddConstraint(
            model_name="tie",
            constraint=models.CheckConstraint(
                condition=models.Q(("person_a__lt", models.F("person_b"))),
                name="tie_ordered_not_self",
            ),
        ),
        migrations.AddConstraint(
            model_name="tie",
            constraint=models.CheckConstraint(
                condition=models.Q(("strength__gte", 1), ("strength__lte", 5)),
                name="tie_strength_1_to_5",
            ),
        ),
    ]
