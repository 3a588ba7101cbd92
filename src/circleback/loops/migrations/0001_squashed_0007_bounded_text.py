"""The loops app's migrations 0001_initial to 0007_bounded_text, squashed: a new database applies
this one; a database at any of the replaced migrations goes on through them. Written by
makemigrations from the final state, with the old migrations' own dependencies on other apps
(docs/architecture.md).
"""

import uuid

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("loops", "0001_initial"),
        ("loops", "0002_loop_settings_offsets"),
        ("loops", "0003_favour_ledger_index"),
        ("loops", "0004_intro_request"),
        ("loops", "0005_one_open_intro_request"),
        ("loops", "0006_step_closed_by_meeting"),
        ("loops", "0007_bounded_text"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("journal", "0002_updated_at_and_graph_indexes"),
        ("people", "0003_person_cadence_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="Introduction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "reason",
                    models.TextField(validators=[django.core.validators.MaxLengthValidator(50000)]),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("asked_x", "Asked the first"),
                            ("asked_y", "Asked the second"),
                            ("introduced", "Introduced"),
                            ("checked_back", "Checked back"),
                            ("declined", "Declined"),
                        ],
                        default="proposed",
                        max_length=16,
                    ),
                ),
                ("asked_x_on", models.DateField(blank=True, null=True)),
                ("asked_y_on", models.DateField(blank=True, null=True)),
                ("introduced_on", models.DateField(blank=True, null=True)),
                ("checked_back_on", models.DateField(blank=True, null=True)),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
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
                    "person_x",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "person_y",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Favour",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "direction",
                    models.CharField(
                        choices=[("given", "Given"), ("received", "Received")], max_length=8
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("introduction", "Introduction"),
                            ("referral", "Referral"),
                            ("advice", "Advice"),
                            ("information", "Information or article"),
                            ("event", "Event invitation"),
                            ("endorsement", "Endorsement"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=16,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("occurred_on", models.DateField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "name_given",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.person",
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
                        related_name="favours",
                        to="people.person",
                    ),
                ),
                (
                    "introduction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="favours",
                        to="loops.introduction",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Lead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("about", models.CharField(blank=True, max_length=300, verbose_name="for what")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("received", "Received"),
                            ("contacted", "Contacted"),
                            ("met", "Met"),
                            ("declined", "Declined"),
                            ("referrer_told", "Referrer told"),
                            ("referrer_thanked", "Referrer thanked"),
                        ],
                        default="received",
                        max_length=20,
                    ),
                ),
                ("received_on", models.DateField()),
                ("contacted_on", models.DateField(blank=True, null=True)),
                ("met_on", models.DateField(blank=True, null=True)),
                ("declined_on", models.DateField(blank=True, null=True)),
                ("referrer_told_on", models.DateField(blank=True, null=True)),
                ("referrer_thanked_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="leads",
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
                (
                    "referred",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="leads_as_referred",
                        to="people.person",
                    ),
                ),
                (
                    "referrer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="leads_given",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="LoopSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "thank_you_hours",
                    models.PositiveSmallIntegerField(
                        default=24,
                        help_text="A thank-you falls due this many hours after a meeting or a favour.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(168),
                        ],
                    ),
                ),
                (
                    "lead_contact_days",
                    models.PositiveSmallIntegerField(
                        default=3,
                        help_text="Contact a lead you were given within this many days.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                    ),
                ),
                (
                    "lead_meet_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        help_text="Meet a lead within this many days of contacting them.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                    ),
                ),
                (
                    "lead_tell_days",
                    models.PositiveSmallIntegerField(
                        default=2,
                        help_text="Tell the referrer what came of a lead within this many days.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                    ),
                ),
                (
                    "check_back_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        help_text="Check back with someone you helped this many days later.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(90),
                        ],
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="loop_settings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("scheduled_for", models.DateTimeField()),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(5),
                            django.core.validators.MaxValueValidator(240),
                        ],
                    ),
                ),
                (
                    "location",
                    models.CharField(blank=True, max_length=200, verbose_name="where or how"),
                ),
                ("purposes", models.JSONField(blank=True, default=list)),
                (
                    "prep_notes",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("held", "Held"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="scheduled",
                        max_length=10,
                    ),
                ),
                (
                    "learned",
                    models.TextField(
                        blank=True,
                        validators=[django.core.validators.MaxLengthValidator(50000)],
                        verbose_name="what you learned",
                    ),
                ),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                (
                    "next_steps",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "interaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="meeting",
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
                        related_name="meetings",
                        to="people.person",
                    ),
                ),
                (
                    "referred_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="LoopStep",
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
                            ("meeting_log", "Record what came of the meeting"),
                            ("thank_you", "Say thank you"),
                            ("lead_contact", "Contact the lead"),
                            ("lead_meet", "Meet the lead"),
                            ("lead_tell", "Tell the referrer the outcome"),
                            ("lead_thank", "Thank the referrer"),
                            ("intro_ask_x", "Ask the first person"),
                            ("intro_ask_y", "Ask the second person"),
                            ("intro_make", "Make the introduction"),
                            ("intro_check_back", "Check back on the introduction"),
                            ("name_expect_call", "Tell them to expect a call"),
                            ("name_check_back", "Check back with the one you helped"),
                            ("intro_request", "Follow up on an introduction you asked for"),
                        ],
                        max_length=20,
                    ),
                ),
                ("due_at", models.DateTimeField()),
                ("snoozed_until", models.DateField(blank=True, null=True)),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                ("resolution", models.CharField(blank=True, max_length=20)),
                (
                    "note",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("loop_started_at", models.DateTimeField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "about",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "favour",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="loops.favour",
                    ),
                ),
                (
                    "interaction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="journal.interaction",
                    ),
                ),
                (
                    "introduction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="loops.introduction",
                    ),
                ),
                (
                    "lead",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="loops.lead",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
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
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "closed_by_meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="closed_steps",
                        to="loops.meeting",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="loops.meeting",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="lead",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="leads",
                to="loops.meeting",
            ),
        ),
        migrations.AddField(
            model_name="favour",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="favours",
                to="loops.meeting",
            ),
        ),
        migrations.CreateModel(
            name="NamePermission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("granted_on", models.DateField()),
                ("note", models.CharField(blank=True, max_length=300)),
                ("revoked_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
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
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="name_permissions",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Share",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("url", models.URLField(blank=True, max_length=500)),
                ("title", models.CharField(max_length=300)),
                ("topics", models.CharField(blank=True, max_length=300)),
                (
                    "note",
                    models.TextField(
                        blank=True, validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("shared_on", models.DateField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
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
            model_name="favour",
            name="share",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="favours",
                to="loops.share",
            ),
        ),
        migrations.CreateModel(
            name="StandingOffer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("offer", models.CharField(max_length=300)),
                ("made_on", models.DateField()),
                ("taken_up_on", models.DateField(blank=True, null=True)),
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
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="standing_offers",
                        to="people.person",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="introduction",
            index=models.Index(fields=["owner", "-created_at"], name="introduction_owner_when"),
        ),
        migrations.AddIndex(
            model_name="introduction",
            index=models.Index(fields=["person_x"], name="introduction_x"),
        ),
        migrations.AddIndex(
            model_name="introduction",
            index=models.Index(fields=["person_y"], name="introduction_y"),
        ),
        migrations.AddConstraint(
            model_name="introduction",
            constraint=models.CheckConstraint(
                condition=models.Q(("person_x", models.F("person_y")), _negated=True),
                name="introduction_two_people",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["owner", "status", "scheduled_for"], name="meeting_owner_status"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["owner", "-scheduled_for"], name="meeting_owner_when"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["person", "-scheduled_for"], name="meeting_person_when"),
        ),
        migrations.AddIndex(
            model_name="loopstep",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["owner", "loop_started_at", "due_at"],
                name="step_open_oldest",
            ),
        ),
        migrations.AddIndex(
            model_name="loopstep",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["owner", "due_at"],
                name="step_open_due",
            ),
        ),
        migrations.AddIndex(
            model_name="loopstep",
            index=models.Index(fields=["person", "done_at"], name="step_person"),
        ),
        migrations.AddIndex(
            model_name="loopstep",
            index=models.Index(fields=["about", "done_at"], name="step_about"),
        ),
        migrations.AddConstraint(
            model_name="loopstep",
            constraint=models.UniqueConstraint(
                condition=models.Q(("done_at__isnull", True), ("kind", "intro_request")),
                fields=("owner", "person", "about"),
                name="step_one_open_intro_request",
            ),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["owner", "state", "created_at"], name="lead_owner_state"),
        ),
        migrations.AddConstraint(
            model_name="lead",
            constraint=models.CheckConstraint(
                condition=models.Q(("referrer", models.F("referred")), _negated=True),
                name="lead_not_self_referral",
            ),
        ),
        migrations.AddIndex(
            model_name="namepermission",
            index=models.Index(fields=["owner", "person"], name="permission_owner_person"),
        ),
        migrations.AddIndex(
            model_name="share",
            index=models.Index(fields=["owner", "-shared_on"], name="share_owner_when"),
        ),
        migrations.AddIndex(
            model_name="favour",
            index=models.Index(fields=["owner", "-occurred_on"], name="favour_owner_when"),
        ),
        migrations.AddIndex(
            model_name="favour",
            index=models.Index(fields=["person", "direction"], name="favour_person_direction"),
        ),
        migrations.AddIndex(
            model_name="favour",
            index=models.Index(fields=["owner", "person", "direction"], name="favour_owner_person"),
        ),
        migrations.AddIndex(
            model_name="standingoffer",
            index=models.Index(fields=["owner", "person"], name="offer_owner_person"),
        ),
    ]
