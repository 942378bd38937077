from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CoupleCase(models.Model):
    """Two separate client accounts linked for shared work, with both partners' consent.

    A partner may be "not taking part": the other partner still gets the full experience.
    """

    practice = models.ForeignKey("practice.Practice", on_delete=models.PROTECT)
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="couple_cases"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["therapist", "ended_at"])]

    def __str__(self) -> str:
        return f"Couple case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CoupleMember(models.Model):
    """One partner's place in a couple case and their consent to the link."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Taking part"
        NOT_TAKING_PART = "not_taking_part", "Not taking part"
        LEFT = "left", "Left"

    couple = models.ForeignKey(CoupleCase, on_delete=models.CASCADE, related_name="members")
    # Empty for a partner who is not taking part and has no account of their own.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="couple_memberships",
    )
    label = models.CharField("how to refer to them", max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "client"],
                condition=models.Q(client__isnull=False),
                name="one_membership_per_client_per_couple",
            )
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.client_id and self.client is not None:
            return self.client.display_name
        return self.label or "your partner"

    @property
    def is_linked(self) -> bool:
        return self.status == self.Status.ACTIVE and self.consented_at is not None
