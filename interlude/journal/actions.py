from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.journal.models import JournalEntry
from interlude.privacy.sharing import check_visibility_allowed


@transaction.atomic
def journal_entry_create(*, author: User, body: str, visibility: str) -> JournalEntry:
    """Write a new entry, encrypted under the author's key, visible as they chose."""
    check_visibility_allowed(author, visibility)
    entry = JournalEntry(author=author, body=body, visibility=visibility)
    entry.save()
    audit_record(actor=author, action="journal.create", target=entry, subject=author)
    return entry


@transaction.atomic
def journal_entry_update(*, entry: JournalEntry, body: str, visibility: str) -> JournalEntry:
    """Change an entry's text or who can see it; takes effect at once."""
    check_visibility_allowed(entry.author, visibility)
    entry.body = body
    entry.visibility = visibility
    entry.updated_at = timezone.now()
    entry.save(update_fields=["body", "visibility", "updated_at"])
    audit_record(actor=entry.author, action="journal.update", target=entry, subject=entry.author)
    return entry


@transaction.atomic
def journal_entry_delete(*, entry: JournalEntry) -> None:
    """Delete an entry for good."""
    audit_record(actor=entry.author, action="journal.delete", target=entry, subject=entry.author)
    entry.delete()
