"""What a client is drafting in the I-statement helper: private to them, autosaved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel


class CoachDraft(EncryptedModel):
    """One client's draft for one assignment of an I-statement exercise, under their own key.
    Only its author reads it; to share it they save it to their journal with a visibility."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The homework app's assignment, named by string: the tools stay independent in code.
    assignment = models.ForeignKey(
        "homework.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    text = EncryptedTextField(blank=True, default="")  # what they want to say, as it came
    feeling = EncryptedTextField(blank=True, default="")
    situation = EncryptedTextField(blank=True, default="")
    wish = EncryptedTextField(blank=True, default="")  # the request: "I'd like…"
    sentence = EncryptedTextField(blank=True, default="")  # the frame, put together and edited
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "assignment"], name="one_coach_draft")
        ]

    def __str__(self) -> str:
        return f"Coach draft {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)
