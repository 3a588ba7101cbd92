"""Groups (job clubs, networking groups, cohorts), who is in them, what each member opened to
them, introductions asked across accounts, and the coaches members let look.

Nothing is shared by default. A member's people stay rows of the member (`people.Person`);
an `Opening` says which of them a group may see — one person, a whole list, or everyone with
a tag — and is resolved when read, so a person later added to an opened list is open too, and
closing (or leaving) hides them from every other member at the next read. Only the fields
`OPEN_FIELDS` names ever leave the member's record.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q

from circleback.people.models import ContactList, Person, Tag

# What another member may see of an opened person: never emails, phones, links, notes, how
# you met, the journal or anything else of the record.
OPEN_FIELDS = ("full_name", "organisation", "title", "closeness")
CONSENT = "I have their permission, or will ask for it before anyone uses their name."
REASON_MAX = 500


class Group(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, validators=[MinLengthValidator(1)])
    description = models.TextField(blank=True, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    ORGANISER = "organiser", "Organiser"


class Membership(models.Model):
    """An account in a group. `owner` is the member: leaving (or erasing the account) takes
    this row and, with it, everything the member opened."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Whether the group may see this member's give/get balance on the board.
    shows_balance = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "group"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["group", "owner"], name="membership_group_owner")]

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER


class Invitation(models.Model):
    """A link to join: single use, expiring, revocable by an organiser. Only the SHA-256 of
    its token is kept, so the database alone can't be used to join; `uuid` names it in lists
    (it says nothing of the token)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["group", "created_at"], name="invitation_group")]


class Opening(models.Model):
    """Something a member opened to a group: one person, a list, a tag — or, kind "except",
    one person kept closed although their list or tag is open."""

    class Kind(models.TextChoices):
        PERSON = "person", "One person"
        LIST = "list", "A list"
        TAG = "tag", "A tag"
        EXCEPT = "except", "Kept closed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="openings")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact_list = models.CharField(max_length=1, choices=ContactList.choices, blank=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # What other members see besides the name and organisation.
    shows_title = models.BooleanField(default=True)
    shows_closeness = models.BooleanField(default=True)
    # The member's own statement that they have, or will ask, each person's permission.
    consent = models.CharField(max_length=200)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["person", "except"],
                        person__isnull=False,
                        tag__isnull=True,
                        contact_list="",
                    )
                    | Q(
                        kind="list",
                        person__isnull=True,
                        tag__isnull=True,
                        contact_list__in=["A", "B", "C"],
                    )
                    | Q(kind="tag", person__isnull=True, tag__isnull=False, contact_list="")
                ),
                name="opening_one_thing",
            ),
            models.UniqueConstraint(
                fields=["group", "owner", "kind", "person", "contact_list", "tag"],
                name="opening_once",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "group", "kind"], name="opening_owner_group"),
            models.Index(fields=["group", "owner", "person"], name="opening_group_person"),
        ]


class IntroRequest(models.Model):
    """A member asked another, through the app, to introduce them to someone the other opened.

    The seeker sees only what was opened until the member accepts; the person joins the
    seeker's record (as a referral) only then."""

    class State(models.TextChoices):
        ASKED = "asked", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "No longer open"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="requests")
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The member's person (never shown to the seeker beyond the opened fields).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # What the seeker saw when asking: kept so that their own list can say whom they asked
    # about even after the member closes the person (the seeker already saw these words).
    person_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(validators=[MinLengthValidator(1), MaxLengthValidator(REASON_MAX)])
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED)
    answer = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "person"],
                condition=Q(state="asked"),
                name="intro_request_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "state"], name="intro_request_member"),
            models.Index(fields=["seeker", "state"], name="intro_request_seeker"),
        ]


class Part(models.TextChoices):
    AGENDA = "agenda", "Agenda"
    GOALS = "goals", "Goals and streaks"
    HEALTH = "health", "Health check"
    LOOPS = "loops", "Loop counts"
    JOURNAL = "journal", "Journal titles (never notes)"


class CoachGrant(models.Model):
    """A member lets a coach (another member of one of their groups) read chosen parts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="grants")
    parts = models.JSONField(default=list)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "coach"], name="coach_grant_once"),
        ]


class CoachView(models.Model):
    """What a coach looked at, for the member to see. Kept after a grant is revoked."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    coach_name = models.CharField(max_length=150)
    part = models.CharField(max_length=10, choices=Part.choices)
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "viewed_at"], name="coach_view_owner")]


class BoardPost(models.Model):
    """An ask or an offer on the group's board, closed with a thank-you."""

    class Kind(models.TextChoices):
        ASK = "ask", "Ask"
        OFFER = "offer", "Offer"

    class What(models.TextChoices):
        ARTICLE = "article", "An article"
        INTRODUCTION = "introduction", "An introduction"
        ADVICE = "advice", "Advice"
        MOCK_INTERVIEW = "mock_interview", "A mock interview"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    what = models.CharField(max_length=16, choices=What.choices)
    text = models.TextField(validators=[MinLengthValidator(1), MaxLengthValidator(REASON_MAX)])
    # Who helped (for an ask) or who took the offer up; set when it is closed.
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thanks = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    posted_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["group", "closed_at", "posted_at"], name="board_group_open"),
            models.Index(fields=["owner"], name="board_owner"),
        ]
