from __future__ import annotations

import json
import uuid
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.fantasy.forms import MAX_DESCRIPTION, MAX_ENTRY, MAX_NOTES
from interlude.fantasy.models import FantasyDraft, FantasyEntry, SensationEntry
from interlude.homework.models import Assignment
from interlude.sharing.person import Person, as_person
from interlude.sharing.rules import sharing_fields

M = TypeVar("M", bound=Model)

# What a draft may keep of each form, and how long each value may be.
DRAFT_FIELDS = {
    FantasyDraft.Tool.FANTASY: {"prompt": 80, "body": MAX_ENTRY, "visibility": 20},
    FantasyDraft.Tool.SENSATIONS: {
        "kind": 20,
        "description": MAX_DESCRIPTION,
        "feeling": 12,
        "intensity": 3,
        "again": 6,
        "notes": MAX_NOTES,
        "visibility": 20,
    },
}
WRITTEN = {
    FantasyDraft.Tool.FANTASY: ("body",),
    FantasyDraft.Tool.SENSATIONS: ("description", "notes"),
}


def _once(model: type[M], author: User, submission_key: uuid.UUID | None, make: Any) -> M:
    """Store the row MAKE builds, once per submission key (a double submit stores one)."""
    if submission_key is not None:
        earlier = model._default_manager.filter(
            author=author, submission_key=submission_key
        ).first()
        if earlier is not None:
            return earlier
    row: M = make()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        earlier = model._default_manager.filter(
            author=author, submission_key=submission_key
        ).first()
        if earlier is None:
            raise
        return earlier
    return row


@transaction.atomic
def fantasy_entry_create(
    *,
    author: User | Person,
    body: str,
    visibility: str,
    prompt: str = "",
    assignment: Assignment | None = None,
    submission_key: uuid.UUID | None = None,
) -> FantasyEntry:
    """Write a fantasy down, encrypted under the author's key, visible as they chose."""
    person = as_person(author)
    now = timezone.now()
    fields = sharing_fields(person, visibility)
    entry = _once(
        FantasyEntry,
        person.user,
        submission_key,
        lambda: FantasyEntry(
            author=person.user,
            assignment=assignment,
            prompt=prompt,
            body=body,
            created_at=now,
            updated_at=now,
            submission_key=submission_key,
            **fields,
        ),
    )
    FantasyDraft.objects.filter(author=person.user, tool=FantasyDraft.Tool.FANTASY).delete()
    if entry.created_at == now:
        audit_record(actor=person.user, action="fantasy.create", target=entry, subject=person.user)
    return entry


def _share_change(entry: FantasyEntry | SensationEntry, person: Person, visibility: str) -> bool:
    fields = sharing_fields(person, visibility)
    if entry.effective_visibility == visibility:
        return False
    entry.visibility = fields["visibility"]  # type: ignore[assignment]
    entry.shared_under = fields["shared_under"]  # type: ignore[assignment]
    return True


@transaction.atomic
def fantasy_entry_update(
    *, entry: FantasyEntry, author: User | Person, body: str, visibility: str
) -> FantasyEntry:
    """Change an entry's words or who can see it; takes effect at once."""
    person = as_person(author)
    assert person.user.pk == entry.author_id
    shared = _share_change(entry, person, visibility)
    if entry.body == body and not shared:
        return entry
    entry.body = body
    entry.updated_at = timezone.now()
    entry.save(update_fields=["body", "visibility", "shared_under", "updated_at"])
    audit_record(actor=person.user, action="fantasy.update", target=entry, subject=person.user)
    return entry


@transaction.atomic
def fantasy_entry_delete(*, entry: FantasyEntry) -> None:
    """Delete an entry for good, for everyone who could see it."""
    audit_record(actor=entry.author, action="fantasy.delete", target=entry, subject=entry.author)
    entry.delete()


@transaction.atomic
def sensation_entry_create(
    *,
    author: User | Person,
    kind: str,
    description: str,
    feeling: str,
    visibility: str,
    intensity: int | None = None,
    again: str = "",
    notes: str = "",
    assignment: Assignment | None = None,
    submission_key: uuid.UUID | None = None,
) -> SensationEntry:
    """Note something new that was tried and how it felt, encrypted under the author's key."""
    person = as_person(author)
    now = timezone.now()
    fields = sharing_fields(person, visibility)
    entry = _once(
        SensationEntry,
        person.user,
        submission_key,
        lambda: SensationEntry(
            author=person.user,
            assignment=assignment,
            kind=kind,
            description=description,
            feeling=feeling,
            intensity=intensity,
            again=again,
            notes=notes,
            created_at=now,
            updated_at=now,
            submission_key=submission_key,
            **fields,
        ),
    )
    FantasyDraft.objects.filter(author=person.user, tool=FantasyDraft.Tool.SENSATIONS).delete()
    if entry.created_at == now:
        audit_record(
            actor=person.user, action="sensation.create", target=entry, subject=person.user
        )
    return entry


@transaction.atomic
def sensation_entry_update(
    *,
    entry: SensationEntry,
    author: User | Person,
    kind: str,
    description: str,
    feeling: str,
    visibility: str,
    intensity: int | None = None,
    again: str = "",
    notes: str = "",
) -> SensationEntry:
    """Change what an entry says or who can see it; takes effect at once."""
    person = as_person(author)
    assert person.user.pk == entry.author_id
    shared = _share_change(entry, person, visibility)
    new = (kind, description, feeling, intensity, again, notes)
    old = (entry.kind, entry.description, entry.feeling, entry.intensity, entry.again, entry.notes)
    if new == old and not shared:
        return entry
    (entry.kind, entry.description, entry.feeling, entry.intensity, entry.again, entry.notes) = new
    entry.updated_at = timezone.now()
    entry.save(
        update_fields=[
            "kind",
            "description",
            "feeling",
            "intensity",
            "again",
            "notes",
            "visibility",
            "shared_under",
            "updated_at",
        ]
    )
    audit_record(actor=person.user, action="sensation.update", target=entry, subject=person.user)
    return entry


@transaction.atomic
def sensation_entry_delete(*, entry: SensationEntry) -> None:
    """Delete an entry for good, for everyone who could see it."""
    audit_record(actor=entry.author, action="sensation.delete", target=entry, subject=entry.author)
    entry.delete()


@transaction.atomic
def fantasy_draft_save(*, author: User, tool: str, data: dict[str, Any]) -> bool:
    """Keep what AUTHOR is writing in TOOL's form as a draft (one per tool), encrypted. Only the
    form's own fields; refused (False) when a value is longer than an entry may hold. Nothing
    written clears it."""
    limits = DRAFT_FIELDS[FantasyDraft.Tool(tool)]
    kept: dict[str, str] = {}
    for name, limit in limits.items():
        value = data.get(name, "")
        value = str(value[-1] if isinstance(value, list) and value else value or "")
        if len(value) > limit:
            return False
        if value:
            kept[name] = value
    if not any(kept.get(name, "").strip() for name in WRITTEN[FantasyDraft.Tool(tool)]):
        FantasyDraft.objects.filter(author=author, tool=tool).delete()
        return True
    # One statement, so two tabs saving at once cannot collide; the uid renews with the text.
    draft = FantasyDraft(author=author, tool=tool, updated_at=timezone.now())
    draft.data = json.dumps(kept)
    FantasyDraft.objects.bulk_create(
        [draft],
        update_conflicts=True,
        unique_fields=["author", "tool"],
        update_fields=["data", "uid", "updated_at"],
    )
    return True


def fantasy_draft_of(author: User, tool: str) -> dict[str, str]:
    draft = FantasyDraft.objects.filter(author=author, tool=tool).first()
    if draft is None or not draft.data:
        return {}
    data = json.loads(draft.data)
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@transaction.atomic
def fantasy_erase_for(*, user: User) -> int:
    """Delete everything USER wrote in their fantasy journal and sensations log (their account
    is being deleted)."""
    FantasyDraft.objects.filter(author=user).delete()
    count, _ = FantasyEntry.objects.filter(author=user).delete()
    more, _ = SensationEntry.objects.filter(author=user).delete()
    return count + more
