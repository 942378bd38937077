from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Consent(models.Model):
    """A versioned, recorded, withdrawable agreement. Rows are never edited except to withdraw."""

    class Kind(models.TextChoices):
        TERMS = "terms", "Terms of the practice"
        COUPLE_LINK = "couple_link", "Linking with a partner"
        PARTNER_SHARING = "partner_sharing", "Sharing with my partner"
        REMINDER_EMAIL = "reminder_email", "Reminders by e-mail"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    version = models.CharField(max_length=20)
    couple = models.ForeignKey(
        "couples.CoupleCase", on_delete=models.CASCADE, null=True, blank=True
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "kind"])]
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
