"""The fantasy journal and the new-sensations log: a client's own writing, encrypted under
their key, each entry private unless they choose to share it (bound to their current link)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.fantasy.prompts import SENSATION_SLUGS
from interlude.sharing.models import PartnerShareable
from interlude.sharing.visibility import Visibility


class FantasyEntry(EncryptedModel, PartnerShareable):
    """A fantasy written down, with the prompt it answers (if any). Writing one creates no
    obligation to act on it."""

    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fantasy_entries"
    )
    # The exercise it was written for (kept for context; the journal is the author's own).
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prompt = models.CharField(max_length=80, blank=True, default="")  # a prompt's slug
    body = EncryptedTextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "visibility", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_fantasy_entry_per_submission",
            )
        ]
        verbose_name_plural = "fantasy entries"

    def __str__(self) -> str:
        return f"Fantasy entry {self.pk}"

    @property
    def was_edited(self) -> bool:
        return self.updated_at > self.created_at

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)


class SensationEntry(EncryptedModel, PartnerShareable):
    """Something new a client tried, and what they noticed."""

    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    class Kind(models.TextChoices):
        TEXTURE = "texture", "Texture"
        TEMPERATURE = "temperature", "Temperature"
        PRESSURE = "pressure", "Pressure"
        LUBRICANT = "lubricant", "Lubricant"
        TOY = "toy", "Toy"
        OTHER = "other", "Other"

    class Feeling(models.TextChoices):
        PLEASANT = "pleasant", "Pleasant"
        NEUTRAL = "neutral", "Neutral"
        UNPLEASANT = "unpleasant", "Unpleasant"
        MIXED = "mixed", "Mixed"

    class Again(models.TextChoices):
        YES = "yes", "Yes"
        MAYBE = "maybe", "Maybe"
        NO = "no", "No"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sensation_entries"
    )
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = EncryptedTextField()  # what was tried, in the author's words
    feeling = models.CharField(max_length=12, choices=Feeling.choices)
    intensity = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 to 10
    again = models.CharField(max_length=6, choices=Again.choices, blank=True, default="")
    notes = EncryptedTextField(blank=True, default="")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "visibility", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_sensation_entry_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__isnull=True) | models.Q(intensity__lte=10),
                name="sensation_intensity_0_to_10",
            ),
        ]
        verbose_name_plural = "sensation entries"

    def __str__(self) -> str:
        return f"Sensation entry {self.pk}"

    @property
    def was_edited(self) -> bool:
        return self.updated_at > self.created_at

    @property
    def felt_good(self) -> bool:
        """For the private summary: pleasant or mixed, and worth trying again (or maybe)."""
        return self.feeling in (self.Feeling.PLEASANT, self.Feeling.MIXED) and self.again in (
            self.Again.YES,
            self.Again.MAYBE,
        )

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)


assert tuple(SensationEntry.Kind.values) == SENSATION_SLUGS


class FantasyDraft(EncryptedModel):
    """What a client was writing in a new fantasy-journal or sensation entry and has not saved
    yet (autosaved, and kept if they are signed out mid-sentence), so nothing is lost."""

    class Tool(models.TextChoices):
        FANTASY = "fantasy", "Fantasy journal"
        SENSATIONS = "sensations", "New-sensations log"

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tool = models.CharField(max_length=12, choices=Tool.choices)
    data = EncryptedTextField(blank=True, default="")  # the form's fields, as JSON
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "tool"], name="one_fantasy_draft_per_tool")
        ]

    def __str__(self) -> str:
        return f"Fantasy draft {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)
