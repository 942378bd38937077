from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from interlude.encryption.fields import EncryptedTextField
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.sharing.models import PartnerShareable
from interlude.sharing.visibility import Visibility


class JournalEntry(EncryptedModel, PartnerShareable):
    """Something a client wrote for themselves, shared only as they choose."""

    DEFAULT_VISIBILITY = Visibility.ONLY_ME

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    body = EncryptedTextField()
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=DEFAULT_VISIBILITY
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: the same submission twice stores one entry.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "visibility", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="one_journal_entry_per_submission",
            )
        ]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"Journal entry {self.pk}"

    @property
    def was_edited(self) -> bool:
        # New entries set both times at once; anything later is an edit.
        return self.updated_at > self.created_at

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)


class JournalDraft(EncryptedModel):
    """What a client was writing in a new journal entry and has not saved yet (autosaved, and
    kept if they are signed out mid-sentence), so nothing is lost."""

    author = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = EncryptedTextField(blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Journal draft {self.pk}"

    def encryption_owner(self) -> tuple[str, int]:
        return (DataKey.OwnerKind.USER, self.author_id)
