"""The weekly check-in: each person's private preparation, the reveal when both are ready, and
the note of what the couple agreed.

A check-in belongs to one assignment of the check-in exercise and one week (the Monday it
started, on the person's own calendar). Nothing here counts weeks: a week simply has a check-in
that was held, or it has none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.sharing.models import PartnerShareable
from interlude.sharing.visibility import Visibility


def _owner(couple_id: int | None, client_id: int | None) -> tuple[str, int]:
    if couple_id is not None:
        return (DataKey.OwnerKind.COUPLE, couple_id)
    assert client_id is not None
    return (DataKey.OwnerKind.USER, client_id)


class CheckinAgenda(models.Model):
    """How the therapist tailored the agenda for one assignment: sections turned off (the
    questions they added are CheckinQuestion rows). No row means the agenda as written."""

    # The homework app's assignment, named by string: the tools stay independent in code.
    assignment = models.OneToOneField(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    # Whose key encrypts the added questions: the couple's for couple work, else the client's.
    couple = models.ForeignKey(
        "couples.CoupleCase", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    sections_off = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Check-in agenda {self.pk}"


class CheckinQuestion(EncryptedModel):
    """A question the therapist added to one couple's (or client's) check-in."""

    agenda = models.ForeignKey(CheckinAgenda, on_delete=models.CASCADE, related_name="questions")
    # Copied from the agenda, so the key is known without loading it.
    couple = models.ForeignKey(
        "couples.CoupleCase", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice adds one question.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_question_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Added check-in question {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return _owner(self.couple_id, self.client_id)


class CheckIn(models.Model):
    """One week's check-in for one assignment. Held when both partners said they were ready
    (or, for a client on their own, when they finished it)."""

    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    couple = models.ForeignKey(
        "couples.CoupleCase", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    week = models.DateField()  # the Monday of the week it started
    # Prepared by one person alone: no partner takes part in it.
    solo = models.BooleanField(default=False)
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "week"], name="one_checkin_a_week")
        ]
        indexes = [models.Index(fields=["assignment", "held_at"])]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"


class Preparation(EncryptedModel):
    """One person's private preparation for a check-in: their answers are Answer rows. It is
    their draft until they say they are ready."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="preparations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ready_at = models.DateTimeField(null=True, blank=True)
    # What they were typing in the note of what was agreed, not yet saved to it.
    agreed_draft = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "author"], name="one_preparation_each")
        ]
        indexes = [models.Index(fields=["author", "ready_at"])]

    def __str__(self) -> str:
        return f"Preparation {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)


class Answer(EncryptedModel, PartnerShareable):
    """One answer in a preparation, under its author's own key, seen as its author chose:
    kept for the therapy session (only them, or them and their therapist) or shared with the
    partner, who reads it only once both are ready."""

    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="answers")
    # Copied from the preparation: a partner's reads filter on it.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=90)  # a section's slug, or "q<id>" for an added question
    position = models.PositiveSmallIntegerField(default=0)
    # The question as it was asked (the agenda may change later).
    question = EncryptedTextField(blank=True, default="")
    text = EncryptedTextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["preparation", "key"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Check-in answer {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)


class AgreedVersion(EncryptedModel):
    """One version of a couple's note of what they agreed at a check-in, under the couple's
    key. The newest is the note; the earlier ones are its history."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="agreed")
    couple = models.ForeignKey("couples.CoupleCase", on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice stores one version.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["checkin", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_agreed_version_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Agreed note version {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.COUPLE, self.couple_id)
