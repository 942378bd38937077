"""The desire map: a therapist's choices for an assignment, rounds, and each person's answers.

Each person's answers are one encrypted row per round, under their OWN data key: deleting an
account shreds them, and nothing in the database says what anyone answered. Nothing is stored
about what two people share: it is worked out from both rows when one of them (or, with both
agreeing, their therapist) opens the page, and only while the couple link stands.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel

if TYPE_CHECKING:  # homework is a sibling tool: its model is named, never imported
    from interlude.homework.models import Assignment

DEFAULT_INTERVAL_DAYS = 14
CUSTOM_PREFIX = "custom-"


class DesireSettings(EncryptedModel):
    """What a therapist chose to leave out of one desire-map assignment, and how often a new
    round may open. What is hidden is clinical information too, so it is encrypted (under the
    couple's key or the client's, as the assignment is)."""

    assignment = models.OneToOneField(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    # JSON: {"groups": [...], "intensities": [...], "items": [...]} (slugs).
    hidden = EncryptedTextField(blank=True, default="")
    interval_days = models.PositiveSmallIntegerField(default=DEFAULT_INTERVAL_DAYS)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "desire settings"

    def __str__(self) -> str:
        return f"Desire-map settings {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        assignment: Assignment = self.assignment
        return assignment.encryption_owner()

    @property
    def hidden_choices(self) -> dict[str, list[str]]:
        """The hidden groups, intensities and items, each a list of slugs."""
        raw: dict[str, Any] = json.loads(self.hidden) if self.hidden else {}
        return {
            key: [str(v) for v in raw.get(key, [])] for key in ("groups", "intensities", "items")
        }

    @hidden_choices.setter
    def hidden_choices(self, value: dict[str, list[str]]) -> None:
        self.hidden = json.dumps({k: sorted(set(value.get(k, []))) for k in sorted(value)})


class DesireCustomItem(EncryptedModel):
    """An item a therapist added for one assignment, in their own words."""

    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    title = EncryptedTextField()
    description = EncryptedTextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice adds one item.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_desire_item_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Custom desire-map item {self.pk}"

    @property
    def slug(self) -> str:
        return f"{CUSTOM_PREFIX}{self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        assignment: Assignment = self.assignment
        return assignment.encryption_owner()


class DesireRound(models.Model):
    """One pass through the map. Answers belong to a round; for a couple, nothing is compared
    until both have sent theirs, and a new round opens only when both agree to it."""

    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField()
    catalogue_version = models.PositiveIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    revealed_at = models.DateTimeField(null=True, blank=True)
    # One person asked to open the next round; it opens when the other agrees.
    next_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="one_desire_round_number")
        ]

    def __str__(self) -> str:
        return f"Desire-map round {self.number} of assignment {self.assignment_id}"

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None


class DesireAnswers(EncryptedModel):
    """One person's answers in one round, encrypted under their own key. Never shown to anyone
    else: not the answers, not how many of each."""

    round = models.ForeignKey(DesireRound, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # JSON: {item slug: [answer, only if the other says yes too]}.
    data = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)
    # Sent (and so locked, for a couple); for a personal map, when it was last finished.
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When they first sent this round. What their therapist is shown: it never goes back to
    # "not sent", so the therapist cannot tell that someone reopened their answers after being
    # told the other marked yes or maybe for almost everything.
    first_sent_at = models.DateTimeField(null=True, blank=True)
    # Told that a comparison would show almost all of their own yes and maybe answers, they
    # chose to go ahead at this time.
    go_ahead_at = models.DateTimeField(null=True, blank=True)
    # A couple's shared items reach the therapist only when both chose this; a personal map's
    # yes and maybe items when its author did.
    share_with_therapist = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "author"], name="one_desire_answers_per_round")
        ]
        verbose_name_plural = "desire answers"

    def __str__(self) -> str:
        return f"Desire-map answers {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)

    @property
    def answers(self) -> dict[str, tuple[str, bool]]:
        """{item slug: (answer, only if the other says yes too)}."""
        raw: dict[str, Any] = json.loads(self.data) if self.data else {}
        return {str(k): (str(v[0]), bool(v[1])) for k, v in raw.items()}

    @answers.setter
    def answers(self, value: dict[str, tuple[str, bool]]) -> None:
        self.data = json.dumps({k: [a, bool(o)] for k, (a, o) in sorted(value.items())})

    @property
    def is_sent(self) -> bool:
        return self.submitted_at is not None
