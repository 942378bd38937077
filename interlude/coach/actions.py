"""Every write of the I-statement helper: the client's own draft."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.coach.access import Place
from interlude.coach.models import CoachDraft

PARTS = ("text", "feeling", "situation", "wish", "sentence")


@transaction.atomic
def coach_draft_save(*, author: User, place: Place, parts: dict[str, str]) -> CoachDraft | None:
    """Keep what AUTHOR is drafting for PLACE, under their own key. Only the draft's own parts
    are kept; when every part is empty the draft is cleared."""
    values = {name: str(parts.get(name, "")) for name in PARTS}
    draft = CoachDraft.objects.filter(author=author, assignment_id=place.assignment_id).first()
    if not any(value.strip() for value in values.values()):
        if draft is not None:
            draft.delete()
        return None
    if draft is None:
        draft = CoachDraft(author=author, assignment_id=place.assignment_id)
    elif all(getattr(draft, name) == value for name, value in values.items()):
        return draft
    for name, value in values.items():
        setattr(draft, name, value)
    draft.updated_at = timezone.now()
    draft.save()
    return draft


@transaction.atomic
def coach_draft_clear(*, author: User, place: Place) -> None:
    """Start again: the draft for PLACE is deleted."""
    CoachDraft.objects.filter(author=author, assignment_id=place.assignment_id).delete()


@transaction.atomic
def coach_erase_for(*, user: User) -> int:
    """Delete every draft USER kept in the helper (their account is being deleted)."""
    count, _ = CoachDraft.objects.filter(author=user).delete()
    return count
