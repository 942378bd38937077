from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.sharing.models import PartnerShareable
from interlude.sharing.visibility import Visibility


class Assignment(EncryptedModel):
    """An exercise a therapist offered to a client or a couple case, tailored to them."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Current"
        PAUSED = "paused", "Paused"
        DISCARDED = "discarded", "Set aside"

    class Period(models.TextChoices):
        DAY = "day", "today"
        WEEK = "week", "this week"
        FORTNIGHT = "fortnight", "over the next two weeks"

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_given"
    )
    # Exactly one of client / couple.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    couple = models.ForeignKey(
        "couples.CoupleCase",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    version = models.ForeignKey("exercises.ExerciseVersion", on_delete=models.PROTECT)
    note = EncryptedTextField(blank=True, default="")
    times = models.PositiveSmallIntegerField(null=True, blank=True)
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.WEEK)
    # Steps as the therapist edited them (JSON list), encrypted; empty means the exercise's own.
    custom_steps = EncryptedTextField(blank=True, default="")
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The therapist asks to stay at this stage for now; readiness is still recorded.
    held = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(client__isnull=False) & models.Q(couple__isnull=True))
                | (models.Q(client__isnull=True) & models.Q(couple__isnull=False)),
                name="assignment_for_client_or_couple",
            )
        ]
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["couple", "status"]),
            models.Index(fields=["therapist", "status"]),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Assignment {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        if self.couple_id:
            return (DataKey.OwnerKind.COUPLE, self.couple_id)
        assert self.client_id is not None
        return (DataKey.OwnerKind.USER, self.client_id)

    @property
    def steps(self) -> list[str] | None:
        return json.loads(self.custom_steps) if self.custom_steps else None

    @steps.setter
    def steps(self, value: list[str] | None) -> None:
        self.custom_steps = json.dumps(list(value)) if value else ""

    @property
    def effective_steps(self) -> list[str]:
        return list(self.steps) if self.steps else list(self.version.steps)

    @property
    def is_practising(self) -> bool:
        """Current (not paused, not set aside): the client is invited to practise it."""
        return self.status == self.Status.ACTIVE

    @property
    def how_often(self) -> str:
        """How often, phrased as an invitation, never a target; nothing while paused or set
        aside."""
        if not self.is_practising:
            return ""
        if not self.times:
            return "Try it whenever it feels right."
        if self.times == 1:
            return f"Try it once {self.get_period_display()}, if it feels right."
        times = "twice" if self.times == 2 else f"{self.times} times"
        return f"Try it up to {times} {self.get_period_display()}, if it feels right."


class AssignmentChange(EncryptedModel):
    """The full history of an assignment: what changed, by whom, and the reason given."""

    class Kind(models.TextChoices):
        CREATED = "created", "Shared with you"
        CHANGED = "changed", "Changed"
        PAUSED = "paused", "Paused"
        RESUMED = "resumed", "Resumed"
        DISCARDED = "discarded", "Set aside"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="changes")
    # The therapist who changed it. Empty for a stage a client opened or stepped back from:
    # in a couple, the page never says which partner it was.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    fields = models.JSONField(default=list)  # which parts changed: note, times, steps, stage...
    # The stage the assignment was at after this change: history keeps what was true then.
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["assignment", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.assignment_id}"

    PART_WORDS = {
        "note": "the note",
        "steps": "the steps",
        "times": "how often",
        "period": "how often",
        "held": "staying at this stage",
    }

    @property
    def summary(self) -> str:
        """What changed, in words for the client, with the stage as it was then."""
        if self.kind == self.Kind.CREATED:
            return "Shared with you."
        if self.kind != self.Kind.CHANGED:
            return {"paused": "Paused for now.", "resumed": "Back on your page."}.get(
                self.kind, "Set aside."
            )
        parts: list[str] = []
        for name in self.fields:
            words = f"the stage (now stage {self.stage})" if name == "stage" else None
            words = words or self.PART_WORDS.get(name, name.replace("_", " "))
            if words not in parts:
                parts.append(words)
        return "Changed: " + ", ".join(parts) + "." if parts else "Changed."

    def encryption_owner(self) -> tuple[str, int]:
        return self.assignment.encryption_owner()


class StageReadiness(models.Model):
    """A client said they feel ready for the next stage. Stages open only on readiness."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="readiness")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "client", "stage"], name="ready_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"Ready for the stage after {self.stage}"


class PracticeEntry(EncryptedModel, PartnerShareable):
    """One time a client practised (or chose not to), in their own words. Never pass/fail."""

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "I did it"
        STOPPED = "stopped", "I stopped partway"
        NOT_THIS_TIME = "not_this_time", "Not this time"

    class Reason(models.TextChoices):
        TOO_MUCH = "too_much", "It felt like too much"
        NOT_RIGHT_TIME = "not_right_time", "It wasn't the right time"
        NO_PRIVACY = "no_privacy", "There was no privacy"
        NOT_IN_THE_MOOD = "not_in_the_mood", "I didn't feel like it"
        OTHER = "other", "Something else"

    # Private by default, as the journal is: the author chooses to share.
    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="entries")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_entries"
    )
    # The exercise version and stage practised, kept for good: a stage opening later never
    # relabels what happened.
    version = models.ForeignKey(
        "exercises.ExerciseVersion", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    practised_at = models.DateTimeField(default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    ratings_before = models.JSONField(default=dict)
    ratings_after = models.JSONField(default=dict)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    stopped_at_step = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    wants_to_talk = models.BooleanField(default=False)
    # "I felt pressured or unsafe": for the therapist only, whatever the visibility; never
    # shown on a client's or partner's page, nor in an export to a client.
    felt_unsafe = models.BooleanField(default=False)
    reflection = EncryptedTextField(blank=True, default="")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice stores one entry.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-practised_at", "-pk"]
        indexes = [
            models.Index(fields=["client", "practised_at"]),
            models.Index(fields=["assignment", "practised_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_entry_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(stopped_at_step__isnull=True)
                | models.Q(stopped_at_step__gte=1, stopped_at_step__lte=100),
                name="stopped_at_a_real_step",
            ),
        ]
        verbose_name_plural = "practice entries"

    def __str__(self) -> str:
        return f"Practice entry {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)


class PracticeDraft(EncryptedModel):
    """What a client has typed on a practice page but not yet saved, so nothing is lost."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The version and stage the client began practising at (a stage may open meanwhile).
    version = models.ForeignKey(
        "exercises.ExerciseVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = EncryptedTextField(default="{}")  # JSON of the form's own fields only
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "client"], name="one_draft_per_client")
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)
