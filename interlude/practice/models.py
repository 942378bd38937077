from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Practice(models.Model):
    """A solo or group practice. Therapists belong to one; clients are cared for by one."""

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    # Where the practice's clients can get urgent help, shown under every exercise's safety
    # notes. Blank means the US defaults (see interlude.exercises.crisis).
    emergency_number = models.CharField(
        max_length=40, blank=True, default="", help_text="For example 911, 999 or 112."
    )
    crisis_line = models.CharField(
        max_length=120, blank=True, default="", help_text="For example: call or text 988."
    )
    abuse_helpline = models.CharField(
        max_length=160,
        blank=True,
        default="",
        help_text="A confidential domestic-abuse helpline, with its number.",
    )

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A practitioner's place in a practice. Admins manage the team and see no client content."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    is_therapist = models.BooleanField(default=True)
    is_admin = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_therapist=True) | models.Q(is_admin=True),
                name="membership_has_a_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.practice}"


class ClientProfile(models.Model):
    """A client's individual case: who they are cared for by."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_profile"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clients"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["therapist", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} (client of {self.therapist})"
