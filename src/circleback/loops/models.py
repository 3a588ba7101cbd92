"""Meetings, leads, favours, introductions, shares and name permissions — and the loop steps
that keep every one of them honest.

Every open obligation is one `LoopStep` row: "contact Dana (Ada's referral)", "thank Ada",
"ask Yusuf whether he'd like to meet Lin". A loop moves on by completing its open step, which
opens the next one. The loops page, the home page's overdue list and the person page all read
the same table, so no view special-cases a kind of loop.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from circleback.journal.models import Interaction
from circleback.people.models import Organisation, OwnedModel, Person
from circleback.text import MAX_TEXT

# The articles: "You never request more than 30 minutes for a one-on-one information and
# referral meeting."
ADVISED_MAX_MINUTES = 30


class Purpose(models.TextChoices):
    """Why you hold an information-and-referral meeting. Asking for a job is not one."""

    VALIDATE = "validate", "Validate a career idea"
    INDUSTRY = "industry", "Gather industry information"
    ADVICE = "advice", "Seek advice and counsel"
    SEEDS = "seeds", "Plant seeds"
    REFERRALS = "referrals", "Obtain referrals"


def _days(default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SETTING_DAYS)],
        help_text=help_text,
    )


MAX_THANK_YOU_HOURS = 168
MAX_SETTING_DAYS = 90


class LoopSettings(models.Model):
    """Per-account settings for loops, kept here rather than on the account model.

    The articles: "If someone gives you a lead, be sure to pursue it and let your contacts
    know the outcome" — so every step of a lead's loop falls due after a number of days the
    user chooses, and a thank-you within hours.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loop_settings"
    )
    thank_you_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THANK_YOU_HOURS)],
        help_text="A thank-you falls due this many hours after a meeting or a favour.",
    )
    lead_contact_days = _days(3, "Contact a lead you were given within this many days.")
    lead_meet_days = _days(14, "Meet a lead within this many days of contacting them.")
    lead_tell_days = _days(2, "Tell the referrer what came of a lead within this many days.")
    check_back_days = _days(14, "Check back with someone you helped this many days later.")


class Meeting(OwnedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meetings")
    scheduled_for = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=ADVISED_MAX_MINUTES, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    location = models.CharField("where or how", max_length=200, blank=True)
    purposes = models.JSONField(default=list, blank=True)
    referred_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prep_notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    learned = models.TextField(
        "what you learned", blank=True, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    outcome = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    next_steps = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    interaction = models.OneToOneField(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "scheduled_for"], name="meeting_owner_status"),
            models.Index(fields=["owner", "-scheduled_for"], name="meeting_owner_when"),
            models.Index(fields=["person", "-scheduled_for"], name="meeting_person_when"),
        ]

    def __str__(self) -> str:
        return f"Meeting with {self.person}"

    def purpose_labels(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels[p]) for p in self.purposes if p in labels]

    @property
    def longer_than_advised(self) -> bool:
        return self.duration_minutes > ADVISED_MAX_MINUTES


class Lead(OwnedModel):
    """A name someone gave you. Its loop: received → contacted → met or declined →
    referrer told the outcome → referrer thanked."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        CONTACTED = "contacted", "Contacted"
        MET = "met", "Met"
        DECLINED = "declined", "Declined"
        REFERRER_TOLD = "referrer_told", "Referrer told"
        REFERRER_THANKED = "referrer_thanked", "Referrer thanked"

    referrer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leads_given")
    referred = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leads_as_referred")
    about = models.CharField("for what", max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField()
    contacted_on = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    referrer_told_on = models.DateField(null=True, blank=True)
    referrer_thanked_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(referrer=F("referred")), name="lead_not_self_referral"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state", "created_at"], name="lead_owner_state"),
        ]

    def __str__(self) -> str:
        return f"{self.referred} (from {self.referrer})"


class Favour(OwnedModel):
    class Direction(models.TextChoices):
        GIVEN = "given", "Given"
        RECEIVED = "received", "Received"

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        REFERRAL = "referral", "Referral"
        ADVICE = "advice", "Advice"
        INFORMATION = "information", "Information or article"
        EVENT = "event", "Event invitation"
        ENDORSEMENT = "endorsement", "Endorsement"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="favours")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    occurred_on = models.DateField()
    # When you give someone a name, the name you gave.
    name_given = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="favours"
    )
    share = models.ForeignKey(
        "Share", on_delete=models.CASCADE, null=True, blank=True, related_name="favours"
    )
    introduction = models.ForeignKey(
        "Introduction", on_delete=models.CASCADE, null=True, blank=True, related_name="favours"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-occurred_on"], name="favour_owner_when"),
            models.Index(fields=["person", "direction"], name="favour_person_direction"),
            # The ledger groups the owner's favours by person.
            models.Index(fields=["owner", "person", "direction"], name="favour_owner_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.direction} — {self.person}"


class StandingOffer(OwnedModel):
    """ "Call on me any time": an offer to return the favour, kept until it is taken up."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="standing_offers")
    offer = models.CharField(max_length=300)
    made_on = models.DateField()
    taken_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "person"], name="offer_owner_person")]

    def __str__(self) -> str:
        return self.offer


class Introduction(OwnedModel):
    """You connect two people who could help each other, asking each first (double opt-in)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ASKED_X = "asked_x", "Asked the first"
        ASKED_Y = "asked_y", "Asked the second"
        INTRODUCED = "introduced", "Introduced"
        CHECKED_BACK = "checked_back", "Checked back"
        DECLINED = "declined", "Declined"

    person_x = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_y = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(validators=[MaxLengthValidator(MAX_TEXT)])
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    asked_x_on = models.DateField(null=True, blank=True)
    asked_y_on = models.DateField(null=True, blank=True)
    introduced_on = models.DateField(null=True, blank=True)
    checked_back_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(person_x=F("person_y")), name="introduction_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="introduction_owner_when"),
            models.Index(fields=["person_x"], name="introduction_x"),
            models.Index(fields=["person_y"], name="introduction_y"),
        ]

    def __str__(self) -> str:
        return f"{self.person_x} ↔ {self.person_y}"


class Share(OwnedModel):
    """An article or event you passed on to one or more people."""

    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    topics = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    shared_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-shared_on"], name="share_owner_when")]

    def __str__(self) -> str:
        return self.title

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


class NamePermission(OwnedModel):
    """A contact cleared you to mention their name — with one organisation, or anywhere."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_permissions")
    # Empty means "any organisation".
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    granted_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "person"], name="permission_owner_person"),
        ]

    def __str__(self) -> str:
        where = self.organisation.name if self.organisation else "any organisation"
        return f"{self.person} — {where}"


class LoopStep(OwnedModel):
    """One open (or done) obligation in a loop, with the person you act towards."""

    class Kind(models.TextChoices):
        MEETING_LOG = "meeting_log", "Record what came of the meeting"
        THANK_YOU = "thank_you", "Say thank you"
        LEAD_CONTACT = "lead_contact", "Contact the lead"
        LEAD_MEET = "lead_meet", "Meet the lead"
        LEAD_TELL = "lead_tell", "Tell the referrer the outcome"
        LEAD_THANK = "lead_thank", "Thank the referrer"
        INTRO_ASK_X = "intro_ask_x", "Ask the first person"
        INTRO_ASK_Y = "intro_ask_y", "Ask the second person"
        INTRO_MAKE = "intro_make", "Make the introduction"
        INTRO_CHECK_BACK = "intro_check_back", "Check back on the introduction"
        NAME_EXPECT_CALL = "name_expect_call", "Tell them to expect a call"
        NAME_CHECK_BACK = "name_check_back", "Check back with the one you helped"
        INTRO_REQUEST = "intro_request", "Follow up on an introduction you asked for"
        JOB_TELL = "job_tell", "Tell the referrer what came of the application"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Whom you act towards; `about` is whom it concerns (the lead, the other side).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    favour = models.ForeignKey(
        Favour, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    # The organisation a step is for, when no lead says it (an introduction you asked for).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    snoozed_until = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # What closed it: "met", "declined", "email"… (for the record).
    resolution = models.CharField(max_length=20, blank=True)
    # The meeting that closed it (arranging or holding a meeting with a lead counts as
    # contacting and meeting them), so deleting the meeting can reopen it.
    closed_by_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed_steps"
    )
    # The journal entry that closing it wrote ("Contacted Dana"), if any.
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    # When the loop this step belongs to began, so the oldest loops come first.
    loop_started_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "loop_started_at", "due_at"],
                name="step_open_oldest",
                condition=Q(done_at__isnull=True),
            ),
            models.Index(
                fields=["owner", "due_at"], name="step_open_due", condition=Q(done_at__isnull=True)
            ),
            models.Index(fields=["person", "done_at"], name="step_person"),
            models.Index(fields=["about", "done_at"], name="step_about"),
        ]
        constraints = [
            # One open follow-up per introduction you asked for (a double submit can't make two).
            models.UniqueConstraint(
                fields=["owner", "person", "about"],
                condition=Q(kind="intro_request", done_at__isnull=True),
                name="step_one_open_intro_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}"
