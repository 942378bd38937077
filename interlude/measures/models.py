"""Questionnaires a therapist asks a client to fill in (GAD-7, PHQ-9), the client's answers,
and the safety alert PHQ-9's ninth item raises.

Answers, their total and the answer to the optional difficulty question are one encrypted JSON
value under the client's own key: no plain column holds an answer or a score. What stays plain
is only what pages must find without opening anything: which questionnaire was answered, and
when; and, for an answer above 0 to PHQ-9's ninth item, an alert row (that something needs the
therapist's attention, and whether they have acknowledged it), so the alert can head the
caseload at once.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.measures.instruments import GAD7, PHQ9, Instrument, instrument


class Kind(models.TextChoices):
    GAD7 = GAD7, "GAD-7"
    PHQ9 = PHQ9, "PHQ-9"


class MeasureAssignment(models.Model):
    """A questionnaire offered to a client, once or every few weeks."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Current"
        ENDED = "ended", "Ended"

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_assignments"
    )
    instrument = models.CharField(max_length=10, choices=Kind.choices)
    # Every this many weeks; empty: once.
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    # Whether the client sees their total and its band, in gentle words.
    share_scores = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The form's one-time key: the same submission twice offers it once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_offer_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(every_weeks__isnull=True)
                | models.Q(every_weeks__gte=1, every_weeks__lte=4),
                name="measure_every_one_to_four_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"Questionnaire {self.pk}"

    @property
    def definition(self) -> Instrument:
        return instrument(self.instrument)

    @property
    def how_often(self) -> str:
        if not self.every_weeks:
            return "once"
        return "every week" if self.every_weeks == 1 else f"every {self.every_weeks} weeks"


class MeasureResponse(EncryptedModel):
    """One time a client filled in a questionnaire."""

    assignment = models.ForeignKey(
        MeasureAssignment, on_delete=models.CASCADE, related_name="responses"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_responses"
    )
    instrument = models.CharField(max_length=10, choices=Kind.choices)
    completed_at = models.DateTimeField(default=timezone.now)
    # JSON: {"answers": [0-3, ...], "difficulty": 0-3 or null, "total": n}
    data = EncryptedTextField()
    # The form's one-time key: the same submission twice stores one response.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["client", "completed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_response_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Questionnaire answers {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.client_id)

    @property
    def opened(self) -> dict[str, Any]:
        cached = self.__dict__.get("_opened_data")
        if cached is None:
            cached = json.loads(self.data)
            self.__dict__["_opened_data"] = cached
        return cached  # type: ignore[no-any-return]

    @property
    def answers(self) -> list[int]:
        return list(self.opened["answers"])

    @property
    def total(self) -> int:
        return int(self.opened["total"])

    @property
    def difficulty(self) -> int | None:
        value = self.opened.get("difficulty")
        return None if value is None else int(value)

    @property
    def definition(self) -> Instrument:
        return instrument(self.instrument)

    @property
    def band(self) -> str:
        return self.definition.band(self.total)


class SafetyAlert(models.Model):
    """A PHQ-9 answer above 0 to the ninth item: the therapist's attention is asked for at the
    top of their caseload and of the client's page until they acknowledge it."""

    response = models.OneToOneField(MeasureResponse, on_delete=models.CASCADE, related_name="alert")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_alerts"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["therapist", "acknowledged_at"]),
            models.Index(fields=["client", "acknowledged_at"]),
        ]

    def __str__(self) -> str:
        return f"Safety alert {self.pk}"
