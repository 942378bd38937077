"""A personal exposure ladder: small steps ordered by expected distress (SUDS, 0 to 100), built
by a client with their therapist for one assignment, and each try at a step with its ratings.

A ladder belongs to one client (a couple assignment gives each partner taking part a ladder of
their own, never shown to the other): everything in it is encrypted under the client's key, also
the steps their therapist suggested. Steps are never deleted while the ladder lives, only taken
off it, so the history keeps every earlier wording and the tries made at it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.sharing.models import PartnerShareable
from interlude.sharing.visibility import Visibility

SUDS_TOP = 100
SUDS_STEP = 5
MIN_STEPS = 3
MAX_STEPS = 12


def _suds_check(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": SUDS_TOP})


class Ladder(EncryptedModel):
    """One client's ladder for one assignment: its steps, the step they chose to work on, the
    pause point they chose in advance, and a step their therapist asks them to stay at for now."""

    # The assignment is homework's row; the ladder reads it through assignments.py.
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ladders"
    )
    # Chosen by the client only; never moved on a timer or by the therapist.
    current_step = models.ForeignKey(
        "LadderStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The therapist asks the client to stay at or below this step for now, and says why.
    held_step = models.ForeignKey(
        "LadderStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hold_reason = EncryptedTextField(blank=True, default="")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    held_at = models.DateTimeField(null=True, blank=True)
    # The pause point the client chose in advance: a rating, their own words, or both.
    pause_suds = models.PositiveSmallIntegerField(null=True, blank=True)
    pause_note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "client"], name="one_ladder_each"),
            models.CheckConstraint(
                condition=_suds_check("pause_suds"), name="ladder_pause_on_the_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"Ladder {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)

    @property
    def has_pause_point(self) -> bool:
        return self.pause_suds is not None or bool(self.pause_note.strip())


class LadderStep(EncryptedModel):
    """One small step, in the words of whoever wrote it, with the distress it is expected to
    bring (SUDS, 0 to 100, in fives)."""

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField()
    suds = models.PositiveSmallIntegerField()
    # 1 is the bottom of the ladder; kept contiguous among the steps on it.
    position = models.PositiveSmallIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Taken off the ladder: kept for its history and the tries made at it.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["ladder", "removed_at", "position"])]
        constraints = [
            models.CheckConstraint(condition=Q(suds__lte=SUDS_TOP), name="step_on_the_scale")
        ]

    def __str__(self) -> str:
        return f"Ladder step {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)

    @property
    def on_ladder(self) -> bool:
        return self.removed_at is None


class LadderChange(EncryptedModel):
    """One change to a ladder, by whom and when, with the wording before and after: either of
    them can see what the other changed."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added a step"
        EDITED = "edited", "Changed a step"
        REMOVED = "removed", "Took a step off"
        MOVED = "moved", "Moved a step"
        SORTED = "sorted", "Put the steps in order of distress"
        CHOSE = "chose", "Chose a step to work on"
        HELD = "held", "Asked to stay at a step for now"
        RELEASED = "released", "No longer asks to stay at a step"
        PAUSE_POINT = "pause_point", "Chose a pause point"

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="changes")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(
        LadderStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    before_text = EncryptedTextField(blank=True, default="")
    after_text = EncryptedTextField(blank=True, default="")
    before_suds = models.PositiveSmallIntegerField(null=True, blank=True)
    after_suds = models.PositiveSmallIntegerField(null=True, blank=True)
    before_position = models.PositiveSmallIntegerField(null=True, blank=True)
    after_position = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice changes the ladder once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["ladder", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ladder", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="one_ladder_change_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ladder_id}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)


class LadderAttempt(EncryptedModel):
    """One try at a step: distress before, at its peak and after, how long, and how it went.
    Begun, paused and carried on at the client's pace; a draft keeps what is typed meanwhile."""

    class Phase(models.TextChoices):
        BEFORE = "before", "Getting ready"
        DURING = "during", "Trying the step"
        AFTER = "after", "Noting how it went"
        DONE = "done", "Noted"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "I stayed with the step as I planned"
        STOPPED = "stopped", "I stopped partway"
        NOT_THIS_TIME = "not_this_time", "Not this time"

    class Reason(models.TextChoices):
        PAUSE_POINT = "pause_point", "I reached my pause point"
        FAR_AWAY = "far_away", "I felt numb or far away"
        TOO_MUCH = "too_much", "It felt like too much"
        NOT_RIGHT_TIME = "not_right_time", "It wasn't the right time"
        NO_PRIVACY = "no_privacy", "There was no privacy"
        NOT_IN_THE_MOOD = "not_in_the_mood", "I didn't feel like it"
        OTHER = "other", "Something else"

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="attempts")
    step = models.ForeignKey(LadderStep, on_delete=models.CASCADE, related_name="attempts")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.BEFORE)
    started_at = models.DateTimeField(default=timezone.now)
    began_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    suds_before = models.PositiveSmallIntegerField(null=True, blank=True)
    suds_peak = models.PositiveSmallIntegerField(null=True, blank=True)
    suds_after = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    reasons = models.JSONField(default=list)
    pauses = models.PositiveSmallIntegerField(default=0)
    paused = models.BooleanField(default=False)
    # What the client has typed on the try's screens and not saved yet (JSON), encrypted.
    draft = EncryptedTextField(default="{}")
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["ladder", "phase", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="one_ladder_try_per_submission",
            ),
            # One try under way per ladder: starting again carries on with it.
            models.UniqueConstraint(
                fields=["ladder"], condition=~Q(phase="done"), name="one_open_try_per_ladder"
            ),
            models.CheckConstraint(
                condition=_suds_check("suds_before")
                & _suds_check("suds_peak")
                & _suds_check("suds_after"),
                name="try_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Ladder try {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)

    @property
    def is_open(self) -> bool:
        return self.phase != self.Phase.DONE

    @property
    def is_try(self) -> bool:
        """Tried (to the end or partway), not "not this time"."""
        return self.phase == self.Phase.DONE and self.outcome != self.Outcome.NOT_THIS_TIME

    @property
    def when(self) -> datetime:
        return self.began_at or self.started_at


class LadderReflection(EncryptedModel, PartnerShareable):
    """What the client wrote before or after a try, read only as they chose."""

    class Moment(models.TextChoices):
        BEFORE = "before", "Before"
        AFTER = "after", "After"

    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    attempt = models.ForeignKey(LadderAttempt, on_delete=models.CASCADE, related_name="reflections")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    moment = models.CharField(max_length=6, choices=Moment.choices)
    text = EncryptedTextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "moment"], name="one_note_per_moment")
        ]
        indexes = [models.Index(fields=["client", "visibility", "created_at"])]

    def __str__(self) -> str:
        return f"Ladder note {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)
