from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class DataKey(models.Model):
    """One owner's data key, stored only wrapped by a master key.

    Destroying it (crypto-shredding) empties `wrapped`: every value encrypted under it becomes
    unreadable, including copies in database backups, which never contain data keys.
    """

    class OwnerKind(models.TextChoices):
        USER = "user", "Client"
        COUPLE = "couple", "Couple case"
        # A client's clinical record at their practice (owner id: the ClientProfile): the
        # therapist's private notes. Not the client's own key, so it outlives their account,
        # and is destroyed when the record's retention period ends.
        RECORD = "record", "Clinical record"

    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    owner_id = models.BigIntegerField()
    wrapped = models.BinaryField(default=b"")
    master_key_id = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_kind", "owner_id"], name="one_key_per_owner")
        ]
        # The table keeps the name it had when this model lived in the privacy app.
        db_table = "privacy_datakey"
        indexes = [models.Index(fields=["master_key_id"], name="privacy_dat_master__f2459f_idx")]

    def __str__(self) -> str:
        return f"data key for {self.owner_kind} {self.owner_id}"


class EncryptedModel(models.Model):
    """Base for models with encrypted fields: `uid` binds each value to its row."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True

    def encryption_owner(self) -> tuple[str, int]:
        """(owner kind, owner id) whose data key encrypts this row's fields."""
        raise NotImplementedError
