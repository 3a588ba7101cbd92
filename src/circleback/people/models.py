"""People, organisations, ties and tags: the network itself.

Every row carries its owner, and every read goes through `owned_by(user)` (or the `get_*_for`
helpers in `queries.py`), so one account can never see another's data. Public identifiers are
UUIDs; the integer primary keys never leave the server.
"""

from __future__ import annotations

import calendar
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Now

from circleback.text import MAX_TEXT


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, owner: object) -> OwnedQuerySet:
        return self.filter(owner=owner)


class OwnedModel(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class ContactList(models.TextChoices):
    """The three lists of the articles: A personal, B career, C target employers."""

    A = "A", "A — personal"
    B = "B", "B — career"
    C = "C", "C — target"


class Closeness(models.IntegerChoices):
    MET_ONCE = 1, "1 — met once"
    ACQUAINTANCE = 2, "2 — acquaintance"
    FRIENDLY = 3, "3 — friendly"
    CLOSE = 4, "4 — close"
    INNER_CIRCLE = 5, "5 — inner circle"


class Stage(models.TextChoices):
    """Where a target organisation stands, in the order a search moves through."""

    RESEARCHING = "researching", "Researching"
    NETWORKING = "networking", "Networking"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    CLOSED = "closed", "Closed"


class Source(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    EVENT = "event", "Event capture"
    REFERRAL = "referral", "Referral"
    LINKEDIN = "linkedin", "LinkedIn"
    VCARD = "vcard", "vCard"
    GOOGLE = "google", "Google Contacts"
    OUTLOOK = "outlook", "Outlook"
    BACKUP = "backup", "Circleback backup"
    DEMO = "demo", "Demo data"


class Organisation(OwnedModel):
    name = models.CharField(max_length=200)
    # "Hooli, Inc." and "Hooli" share this key; see circleback.text.normalize_org_name.
    normalized_name = models.CharField(max_length=200, editable=False)
    domain = models.CharField(max_length=253, blank=True)
    industry = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=200, blank=True)
    is_target = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 is the highest priority.",
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.RESEARCHING)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "normalized_name"], name="organisation_unique_name_per_owner"
            ),
        ]
        indexes = [
            models.Index(F("owner"), Lower("name"), name="organisation_owner_name"),
            models.Index(
                fields=["owner", "is_target", "priority", "stage"], name="organisation_targets"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(OwnedModel):
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="tag_unique_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(OwnedModel):
    # Indexed as the first column of the indexes in Meta, not on its own: every index a row
    # carries is paid for on every insert (an import writes tens of thousands).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    contact_list = models.CharField(
        "list", max_length=1, choices=ContactList.choices, default=ContactList.B
    )
    full_name = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=200, blank=True)
    # Indexed first in person_org_dm, not on its own.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        db_index=False,
    )
    location = models.CharField(max_length=200, blank=True)
    how_we_met = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    met_on = models.DateField(null=True, blank=True)
    # Indexed with the name by person_introduced_by_name, not on its own.
    introduced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduced",
        db_index=False,
    )
    closeness = models.PositiveSmallIntegerField(
        choices=Closeness.choices, default=Closeness.ACQUAINTANCE
    )
    cadence_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Keep in touch every this many days; empty means the default for the list.",
    )
    is_decision_maker = models.BooleanField(default=False)
    birthday_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    birthday_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    birthday_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    # Kept up to date by the journal services: the newest interaction with this person.
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(closeness__gte=1, closeness__lte=5), name="person_closeness_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(contact_list__in=["A", "B", "C"]), name="person_list_abc"
            ),
        ]
        indexes = [
            models.Index(F("owner"), Lower("full_name"), name="person_owner_name"),
            # A list's longest-silent people (the agenda's reconnects), and list counts.
            models.Index(
                fields=["owner", "contact_list", "last_contact_at"], name="person_owner_list_last"
            ),
            models.Index(fields=["owner", "last_contact_at"], name="person_owner_last_contact"),
            models.Index(fields=["owner", "created_at"], name="person_owner_created"),
            # The owner's newest person, for the paths graph's version stamp. Without it
            # PostgreSQL answers MAX(id) by walking the primary key down from the newest row
            # of any owner, through every other account's newer people (bench/org.py).
            models.Index(fields=["owner", "id"], name="person_owner_id"),
            # The newest edit, read by the paths graph's version stamp before every search.
            models.Index(fields=["owner", "updated_at"], name="person_owner_updated"),
            # The inner circle's longest silent, and weak or strong ties in touch (health check).
            models.Index(
                fields=["owner", "closeness", "last_contact_at"],
                name="person_owner_close_last",
            ),
            # People with a cadence of their own, longest silent first (the daily agenda).
            models.Index(
                fields=["owner", "cadence_days", "last_contact_at"], name="person_owner_cadence"
            ),
            models.Index(fields=["organisation", "is_decision_maker"], name="person_org_dm"),
            # "People they introduced you to", by name: without it SQLite walked every
            # person of the owner in name order looking for the few introduced (20 ms).
            # Only people someone introduced: most have no introducer, and an import of
            # 30,000 spent a tenth of its time filing them all under "nobody" by name.
            models.Index(
                F("introduced_by"),
                Lower("full_name"),
                name="person_introduced_by_name",
                condition=Q(introduced_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        """A birthday is a day that exists: 31 February is refused, 29 February only in a leap
        year (or with no year). A day needs its month."""
        super().clean()
        day, month, year = self.birthday_day, self.birthday_month, self.birthday_year
        if day is None or not isinstance(day, int):
            return
        if month is None:
            raise ValidationError({"birthday_month": "Give the month of the birthday's day."})
        if not isinstance(month, int) or not 1 <= month <= 12:
            return  # the month's own validator says what is wrong
        leap_year = 2000 if year is None or not isinstance(year, int) else year
        try:
            last = calendar.monthrange(leap_year, month)[1]
        except (ValueError, calendar.IllegalMonthError):
            return
        if day > last:
            in_year = f" {year}" if year is not None and (month != 2 or day != 29) else ""
            if month == 2 and day == 29:
                in_year = f" {year}, which is not a leap year"
            raise ValidationError(
                {
                    "birthday_day": f"{calendar.month_name[month]}{in_year} has no day {day}; "
                    f"the last is {last}."
                }
            )


class ContactDetail(models.Model):
    """An email, phone or link. `normalized` is the key dedupe compares within one owner.

    The owner and the person are each indexed first in a composite index of the subclass
    ((owner, normalized); the unique (person, normalized)), not on their own. The owner is
    the person's, copied here for that index; the person's foreign key (and theirs to the
    owner) already guarantees it exists, so it has no constraint of its own (see
    people/migrations/0008).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    label = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(32767)])
    normalized = models.CharField(max_length=320, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Email(ContactDetail):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="emails", db_index=False
    )
    address = models.EmailField(max_length=320)

    class Meta(ContactDetail.Meta):
        indexes = [models.Index(fields=["owner", "normalized"], name="email_owner_normalized")]
        constraints = [
            models.UniqueConstraint(fields=["person", "normalized"], name="email_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.address


class Phone(ContactDetail):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="phones", db_index=False
    )
    number = models.CharField(max_length=64)

    class Meta(ContactDetail.Meta):
        indexes = [models.Index(fields=["owner", "normalized"], name="phone_owner_normalized")]
        constraints = [
            models.UniqueConstraint(fields=["person", "normalized"], name="phone_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.number


class Link(ContactDetail):
    class Kind(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        WEBSITE = "website", "Website"
        GITHUB = "github", "GitHub"
        SOCIAL = "social", "Social"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="links", db_index=False
    )
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.WEBSITE)
    # A link's key is the link without its scheme and "www.": as long as the link can be,
    # not the 320 of an email's (PostgreSQL refused a 400-character link: a 500).
    normalized = models.CharField(max_length=500, editable=False)

    class Meta(ContactDetail.Meta):
        indexes = [models.Index(fields=["owner", "normalized"], name="link_owner_normalized")]
        constraints = [
            models.UniqueConstraint(fields=["person", "normalized"], name="link_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.url


MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


def image_type(data: bytes) -> str:
    """The content type of a JPEG, PNG, GIF or WebP image, or "" for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def validate_photo(data: bytes | memoryview) -> None:
    """A photo is a JPEG, PNG, GIF or WebP image of at most 5 MB."""
    raw = bytes(data)
    if len(raw) > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"This picture is {len(raw) / 1024 / 1024:.1f} MB; a photo may be at most 5 MB. "
            "Make it smaller and try again."
        )
    if not image_type(raw):
        raise ValidationError("This is not a JPEG, PNG, GIF or WebP picture.")


class Photo(models.Model):
    """A person's picture, kept in the database so app processes stay stateless."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="photo")
    content_type = models.CharField(max_length=40, choices=[(t, t) for t in PHOTO_TYPES])
    data = models.BinaryField(validators=[validate_photo])


class Tie(OwnedModel):
    """Two people in your network who know each other. Undirected: person_a has the lower id."""

    class Kind(models.TextChoices):
        COLLEAGUE = "colleague", "Colleague"
        FORMER_COLLEAGUE = "former_colleague", "Former colleague"
        MANAGER = "manager", "Manager / report"
        FRIEND = "friend", "Friend"
        FAMILY = "family", "Family"
        CLASSMATE = "classmate", "Classmate"
        MENTOR = "mentor", "Mentor / mentee"
        CLIENT = "client", "Client / supplier"
        OTHER = "other", "Knows"

    # Indexed first in tie_owner_graph and tie_owner_id, not on its own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # person_a needs no index of its own: tie_unique_pair (person_a, person_b) serves it.
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    strength = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)
    # db_default keeps raw bulk inserts (imports, demo data) valid without naming the column.
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="tie_unique_pair"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="tie_ordered_not_self"
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=5), name="tie_strength_1_to_5"
            ),
        ]
        indexes = [
            # Covers the paths graph's load (one index-only scan of an owner's ties) and the
            # newest-change stamp that tells it when to reload.
            models.Index(
                fields=["owner", "person_a", "person_b", "strength", "kind"], name="tie_owner_graph"
            ),
            models.Index(fields=["owner", "updated_at"], name="tie_owner_updated"),
            # The owner's newest tie (the version stamp's MAX(id)), from one index.
            models.Index(fields=["owner", "id"], name="tie_owner_id"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ↔ {self.person_b_id}"


class RoleChange(models.Model):
    """Someone's title or organisation changed (person_update saw it): a new role, and the
    moment to congratulate them — keeping in touch when you need nothing. What it was before
    is kept for the words ("was Analyst at Initech"); the suggestion goes once you log it,
    dismiss it, or are in touch with them since."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="role_change")
    title_before = models.CharField(max_length=200, blank=True)
    organisation_before = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-changed_at"], name="rolechange_owner_changed")]

    def __str__(self) -> str:
        return f"{self.person_id}'s new role, {self.changed_at:%Y-%m-%d}"
