"""Openings and applications: the formal job market, beside the network that gets you in.

An opening is a posting or a role someone told you about; its application moves found →
applied → interviewing → offer → accepted, or ends declined, rejected or withdrawn. Each move
is a dated `StageChange` with its journal entry. The people involved are linked as people
with a role, and the follow-ups an application owes (chase a silent application, thank
each interviewer) are rows with a due day, read by the agenda, the digest and the calendar.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from circleback.journal.models import Interaction
from circleback.loops.models import LoopStep
from circleback.people.models import Organisation, OwnedModel, Person
from circleback.text import MAX_TEXT

# A follow-up on an application nobody answered, this many days after applying.
FOLLOW_UP_DAYS = 7


class Route(models.TextChoices):
    """Where an opening came from: the formal market (board, site, recruiter) or the
    informal one (a referral, or a contact who told you about it)."""

    BOARD = "board", "Job board"
    SITE = "site", "Company site"
    RECRUITER = "recruiter", "Recruiter"
    REFERRAL = "referral", "Referral"
    CONTACT = "contact", "A contact told me"


# Routes that come with a person (who referred you, which recruiter, which contact).
ROUTES_WITH_PERSON = {Route.RECRUITER, Route.REFERRAL, Route.CONTACT}


class JobStage(models.TextChoices):
    FOUND = "found", "Found"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The forward path, in order; the endings can be reached from any stage before them.
FORWARD = (JobStage.FOUND, JobStage.APPLIED, JobStage.INTERVIEWING, JobStage.OFFER)
ENDINGS = (JobStage.ACCEPTED, JobStage.DECLINED, JobStage.REJECTED, JobStage.WITHDRAWN)
# Which stages may follow which. Declining is yours to do once there is an offer (or an
# interview you'd rather not go on with: that is withdrawing).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    JobStage.FOUND: (JobStage.APPLIED, JobStage.WITHDRAWN),
    JobStage.APPLIED: (
        JobStage.INTERVIEWING,
        JobStage.OFFER,
        JobStage.REJECTED,
        JobStage.WITHDRAWN,
    ),
    JobStage.INTERVIEWING: (JobStage.OFFER, JobStage.REJECTED, JobStage.WITHDRAWN),
    JobStage.OFFER: (JobStage.ACCEPTED, JobStage.DECLINED, JobStage.WITHDRAWN),
    JobStage.ACCEPTED: (),
    JobStage.DECLINED: (),
    JobStage.REJECTED: (),
    JobStage.WITHDRAWN: (),
}


class Opening(OwnedModel):
    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="openings", db_index=False
    )
    url = models.URLField("link", max_length=500, blank=True)
    source = models.CharField(
        "where it came from", max_length=10, choices=Route.choices, default=Route.BOARD
    )
    # The referrer, recruiter or contact it came through.
    source_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    found_on = models.DateField()
    deadline = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-found_on"], name="opening_owner_found"),
            models.Index(fields=["organisation", "found_on"], name="opening_org"),
            models.Index(fields=["source_person"], name="opening_source_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[r.value for r in Route]), name="opening_source_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.found_on and self.deadline < self.found_on:
            raise ValidationError(
                {"deadline": "The deadline can't be before the day you found the opening."}
            )


class Application(OwnedModel):
    """Your application for one opening, and where it stands."""

    opening = models.OneToOneField(Opening, on_delete=models.CASCADE, related_name="application")
    stage = models.CharField(max_length=12, choices=JobStage.choices, default=JobStage.FOUND)
    stage_on = models.DateField("stage since")
    applied_on = models.DateField(null=True, blank=True)
    # The first answer after applying (an interview, an offer or a no).
    answered_on = models.DateField(null=True, blank=True)
    first_interview_on = models.DateField(null=True, blank=True)
    # The loop kept open on the referrer until they hear the outcome (loops' JOB_TELL step).
    referral_step = models.ForeignKey(
        LoopStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "stage", "stage_on"], name="application_owner_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in JobStage]), name="application_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Application: {self.opening}"

    @property
    def is_open(self) -> bool:
        return self.stage not in ENDINGS


class StageChange(OwnedModel):
    """One dated move of an application, with the journal entry that records it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="changes", db_index=False
    )
    stage = models.CharField(max_length=12, choices=JobStage.choices)
    on = models.DateField()
    note = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["application", "on"], name="stagechange_application")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.on}"


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"
    CONTACT = "contact", "Contact"


class Involvement(OwnedModel):
    """A person with a part in an application: who referred you, the recruiter, the hiring
    manager, each interviewer."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="people", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    # An interviewer's interview.
    interview = models.ForeignKey(
        "Interview", on_delete=models.CASCADE, null=True, blank=True, related_name="people"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person", "role"],
                condition=Q(interview__isnull=True),
                name="involvement_unique_role",
            ),
            models.UniqueConstraint(
                fields=["interview", "person"],
                condition=Q(interview__isnull=False),
                name="involvement_unique_interviewer",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"], name="involvement_person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Interview(OwnedModel):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone screen"
        VIDEO = "video", "Video call"
        ONSITE = "onsite", "On site"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews", db_index=False
    )
    scheduled_for = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.VIDEO)
    location = models.CharField("where or how", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "scheduled_for"], name="interview_owner_when"),
            models.Index(fields=["application", "scheduled_for"], name="interview_application"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.application.opening}"


class FollowUp(OwnedModel):
    """Something an application owes: chase a silent application, thank an interviewer."""

    class Kind(models.TextChoices):
        CHASE = "chase", "Follow up on the application"
        THANK_YOU = "thank_you", "Send a thank-you note"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="follow_ups", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    # Whom to thank (an interviewer), when you know.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    # "sent", "answered", "cancelled": what closed it.
    resolution = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                name="followup_open_due",
                condition=Q(done_on__isnull=True),
            ),
            models.Index(fields=["application", "kind"], name="followup_application"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.application.opening}"
