"""Sessions with a client or a couple, and the therapist's private notes on them.

A session anchors the therapist's page: "Since last session" starts at the last one held. A
couple's session is one row with an attendance for each partner, so it appears on both pages.
Private notes belong to the practice's clinical record of one client (encrypted under the
record's own key, not the client's), so they outlive the client's account until the record's
retention period ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel


class Consultation(models.Model):
    """One session, held or planned, with a client on their own or with a couple."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    class Status(models.TextChoices):
        HELD = "held", "Held"
        PLANNED = "planned", "Planned"

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_held"
    )
    # Set for a couple's session (both partners attend); empty for a client on their own.
    couple = models.ForeignKey(
        "couples.CoupleCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice records one session.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["therapist", "status", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_session_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"Session {self.pk}"

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class Attendance(models.Model):
    """A client's place in a session. `at` and `status` repeat the session's, so a caseload
    finds each client's last and next session from one index."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="attendances"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Consultation.Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "client"], name="attends_once")
        ]
        indexes = [models.Index(fields=["client", "status", "at"])]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class ClinicalNote(EncryptedModel):
    """The therapist's private note on one session, in one client's clinical record.

    Never shown to the client or their partner, and not part of the client's own export
    (psychotherapy notes are outside a client's right of access); part of the therapist's
    transfer-of-care export. Encrypted under the record's key (one per client profile)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="notes")
    profile = models.ForeignKey(
        "practice.ClientProfile", on_delete=models.CASCADE, related_name="clinical_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "profile"], name="one_note_per_session_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"Clinical note {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.RECORD, self.profile_id)


class RecordRetention(models.Model):
    """How long a practice keeps a client's clinical record after their care ends, when it
    differs from CLINICAL_RECORD_YEARS."""

    practice = models.OneToOneField(
        "practice.Practice", on_delete=models.CASCADE, related_name="record_retention"
    )
    years = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.years} years"
