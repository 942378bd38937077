from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class GuideKind(models.TextChoices):
    BODY_SCAN = "body_scan", "Body scan"
    BREATHING = "breathing", "Paced breathing"


class GuideDefault(models.Model):
    """What the therapist chose to offer first for one assignment's guide: the body scan's
    length, or the breathing pattern and how long. The client can still choose another."""

    assignment = models.OneToOneField(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    scan_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    pattern = models.CharField(max_length=80, blank=True, default="")
    breathing_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Guide default for assignment {self.assignment_id}"


class GuideUse(models.Model):
    """One time a client used a guide: which one, how long it was and how long it ran. Noted
    when they stop or finish; no words, so nothing here is encrypted."""

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Finished"
        STOPPED = "stopped", "Stopped partway"

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guide_uses"
    )
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=GuideKind.choices)
    minutes = models.PositiveSmallIntegerField()  # the length chosen
    pattern = models.CharField(max_length=80, blank=True, default="")
    seconds = models.PositiveIntegerField(default=0)  # how long it ran, pauses left out
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: Stop tapped twice notes one use.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_guide_use_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Guide use {self.pk}"

    @property
    def minutes_done(self) -> int:
        """Whole minutes it ran, at least one (what the practice log is offered)."""
        return max(1, round(self.seconds / 60))
