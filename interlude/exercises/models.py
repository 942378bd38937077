from __future__ import annotations

from typing import NamedTuple

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


class Rating(NamedTuple):
    """A scale an exercise may ask about, and what its two ends mean."""

    question: str
    top: int
    low: str  # what 0 means
    high: str  # what the top means

    @property
    def step(self) -> int:
        """How finely it is asked on the practice page: SUDS in tens, 0-10 scales in ones."""
        return 10 if self.top == 100 else 1


# The scales an exercise may ask about, before and after. SUDS ("subjective units of
# distress") runs from 0 to 100; the others from 0 to 10.
RATINGS: dict[str, Rating] = {
    "anxiety": Rating(
        "How anxious do you feel?", 10, "not at all anxious", "the most anxious I can imagine"
    ),
    "comfort": Rating(
        "How comfortable do you feel?", 10, "not at all comfortable", "completely at ease"
    ),
    "connection": Rating(
        "How connected do you feel to your partner?",
        10,
        "not at all connected",
        "as close as I can imagine",
    ),
    "calm": Rating("How calm do you feel?", 10, "not at all calm", "completely calm"),
    "presence": Rating(
        "How present do you feel in your body?", 10, "far away from my body", "fully here"
    ),
    "tension": Rating(
        "How much tension do you notice in your body?", 10, "none at all", "the most I can imagine"
    ),
    "suds": Rating(
        "SUDS: how distressed do you feel, from 0 (not at all) to 100 (the most)?",
        100,
        "no distress at all",
        "the most distress I can imagine",
    ),
    "pain": Rating(
        "How much pain or soreness do you notice, from 0 (none) to 10 (the most)?",
        10,
        "no pain at all",
        "the most pain I can imagine",
    ),
    "desire": Rating(
        "How much do you feel like closeness or sex right now?",
        10,
        "not at all",
        "very much",
    ),
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
