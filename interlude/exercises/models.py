from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Family(models.TextChoices):
    SENSATE_FOCUS = "sensate_focus", "Sensate focus"
    COMMUNICATION = "communication", "Communication"
    MINDFULNESS = "mindfulness", "Mindfulness and body awareness"
    EXPOSURE = "exposure", "Gradual exposure"
    FANTASY = "fantasy", "Fantasy and desire"


class Suits(models.TextChoices):
    SOLO = "solo", "On your own"
    COUPLE = "couple", "Together"
    EITHER = "either", "On your own or together"


class Intensity(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MODERATE = "moderate", "Moderate"
    INTIMATE = "intimate", "Intimate"


# The 0-10 scales an exercise may ask about, before and after (SUDS is 0-100).
RATINGS: dict[str, tuple[str, int]] = {
    "anxiety": ("How anxious do you feel?", 10),
    "comfort": ("How comfortable do you feel?", 10),
    "connection": ("How connected do you feel to your partner?", 10),
    "calm": ("How calm do you feel?", 10),
    "presence": ("How present do you feel in your body?", 10),
    "tension": ("How much tension do you notice in your body?", 10),
    "suds": ("SUDS: how distressed do you feel, from 0 (not at all) to 100 (the most)?", 100),
    "pain": ("How much pain or soreness do you notice, from 0 (none) to 10 (the most)?", 10),
    "desire": ("How much do you feel like closeness or sex right now?", 10),
}


class Exercise(models.Model):
    """An exercise in the library: built in (no practice) or a practice's own."""

    slug = models.SlugField(max_length=80)
    practice = models.ForeignKey(
        "practice.Practice", on_delete=models.CASCADE, null=True, blank=True
    )
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # Copied from the latest version, for filtering the library.
    family = models.CharField(max_length=20, choices=Family.choices)
    suits = models.CharField(max_length=10, choices=Suits.choices)
    intensity = models.CharField(max_length=10, choices=Intensity.choices)
    title = models.CharField(max_length=160)
    latest_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(practice__isnull=True), name="builtin_slug"
            ),
            models.UniqueConstraint(fields=["practice", "slug"], name="practice_slug"),
        ]
        ordering = ["family", "title"]

    def __str__(self) -> str:
        return self.title


class ExerciseVersion(models.Model):
    """One immutable version of an exercise's text. Assignments point at the version given."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    family = models.CharField(max_length=20, choices=Family.choices)
    suits = models.CharField(max_length=10, choices=Suits.choices)
    intensity = models.CharField(max_length=10, choices=Intensity.choices)
    duration_minutes = models.PositiveIntegerField()
    programme = models.SlugField(max_length=80, blank=True)
    stage = models.PositiveIntegerField(null=True, blank=True)
    what_it_is = models.TextField()
    before_you_start = models.TextField()
    steps = models.JSONField(default=list)  # list of strings, one action each
    if_you_want_to_stop = models.TextField()
    afterwards = models.TextField()
    why_it_helps = models.TextField()
    safety_notes = models.TextField()
    # Notes for therapists (screening, contraindications, what to look for). Shown on the
    # therapist's library pages only: never to a client or a partner, never in a client export.
    for_therapists = models.TextField(blank=True, default="")
    ratings_before = models.JSONField(default=list)  # keys of RATINGS
    ratings_after = models.JSONField(default=list)
    reflection_prompts = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "version"], name="one_row_per_version")
        ]
        ordering = ["exercise", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
