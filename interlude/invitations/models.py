from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Invitation(models.Model):
    """A single-use, expiring link. Only a SHA-256 hash of the token is stored."""

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        PARTNER = "partner", "Partner"
        THERAPIST = "therapist", "Therapist"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField()
    name = models.CharField(max_length=80, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # The link's token is derived from this and SECRET_KEY when the e-mail is sent (tokens.py);
    # empty for invitations made before that.
    nonce = models.CharField(max_length=40, blank=True, default="")
    practice = models.ForeignKey("practice.Practice", on_delete=models.CASCADE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    # The therapist who will care for an invited client or partner.
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    couple = models.ForeignKey(
        "couples.CoupleCase", on_delete=models.CASCADE, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A partner invitation a client asked for waits for their therapist, who cares for whoever
    # joins: nothing is sent (and the link does not work) until the therapist approves it.
    awaiting_approval = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["practice", "accepted_at"])]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} invitation {self.pk}"

    @property
    def is_open(self) -> bool:
        """Neither used nor withdrawn (it may still wait for approval, or have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and not self.awaiting_approval
            and self.expires_at > timezone.now()
        )
