from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.journal.forms import MAX_ENTRY
from interlude.journal.models import JournalDraft, JournalEntry
from interlude.sharing.person import Person, as_person
from interlude.sharing.rules import sharing_fields


@transaction.atomic
def journal_entry_create(
    *,
    author: User | Person,
    body: str,
    visibility: str,
    submission_key: uuid.UUID | None = None,
) -> JournalEntry:
    """Write a new entry, encrypted under the author's key, visible as they chose. The same
    submission twice stores one entry."""
    author = as_person(author)
    if submission_key is not None:
        earlier = JournalEntry.objects.filter(
            author=author.user, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    now = timezone.now()
    JournalDraft.objects.filter(author=author.user).delete()
    entry = JournalEntry(
        author=author.user,
        body=body,
        created_at=now,
        updated_at=now,
        submission_key=submission_key,
        **sharing_fields(author, visibility),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        earlier = JournalEntry.objects.filter(
            author=author.user, submission_key=submission_key
        ).first()
        if earlier is None:
            raise
        return earlier
    audit_record(actor=author.user, action="journal.create", target=entry, subject=author.user)
    return entry


@transaction.atomic
def journal_entry_update(
    *, entry: JournalEntry, body: str, visibility: str, author: User | Person | None = None
) -> JournalEntry:
    """Change an entry's text or who can see it; takes effect at once. Choosing a partner
    visibility shares it under the author's current agreement."""
    author = as_person(author or entry.author)
    assert author.user.pk == entry.author_id
    fields = sharing_fields(author, visibility)
    changed = entry.body != body or entry.effective_visibility != visibility
    if not changed:
        return entry
    entry.body = body
    if entry.effective_visibility != visibility:
        entry.visibility = fields["visibility"]  # type: ignore[assignment]
        entry.shared_under = fields["shared_under"]  # type: ignore[assignment]
    entry.updated_at = timezone.now()
    entry.save(update_fields=["body", "visibility", "shared_under", "updated_at"])
    audit_record(actor=author.user, action="journal.update", target=entry, subject=author.user)
    return entry


@transaction.atomic
def journal_entry_delete(*, entry: JournalEntry) -> None:
    """Delete an entry for good."""
    audit_record(actor=entry.author, action="journal.delete", target=entry, subject=entry.author)
    entry.delete()


@transaction.atomic
def journal_draft_save(*, author: User, body: str) -> bool:
    """Keep what AUTHOR is writing as a draft (one per person), encrypted. Refused (False) when
    longer than an entry may be; an empty body clears it."""
    if len(body) > MAX_ENTRY:
        return False
    if not body.strip():
        JournalDraft.objects.filter(author=author).delete()
        return True
    # One statement, so two tabs saving at once cannot collide; the uid renews with the text.
    draft = JournalDraft(author=author, updated_at=timezone.now())
    draft.body = body
    JournalDraft.objects.bulk_create(
        [draft],
        update_conflicts=True,
        unique_fields=["author"],
        update_fields=["body", "uid", "updated_at"],
    )
    return True


def journal_draft_of(author: User) -> str:
    draft = JournalDraft.objects.filter(author=author).first()
    return draft.body if draft else ""


@transaction.atomic
def journal_erase_for(*, user: User) -> int:
    """Delete everything USER wrote in their journal (their account is being deleted)."""
    JournalDraft.objects.filter(author=user).delete()
    count, _ = JournalEntry.objects.filter(author=user).delete()
    return count
