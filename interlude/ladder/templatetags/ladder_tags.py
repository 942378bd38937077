"""Small template helpers for the ladder pages."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

register = template.Library()


@register.filter
def form_key(submission: Any, salt: Any) -> str:
    """A one-time submission key for one of a page's many forms: each form gets its own, made
    from the page's key, so a double submit of one form counts once and another form on the
    same page still counts."""
    try:
        base = submission if isinstance(submission, uuid.UUID) else uuid.UUID(str(submission))
    except ValueError:
        return ""
    return str(uuid.uuid5(base, str(salt)))


@register.filter
def get_notes(notes: dict[int, Any], attempt_id: int) -> Any:
    """The notes of one try, from the page's notes by try."""
    return notes.get(attempt_id, [])


@register.filter
def who_reads(note: Any, person: Any) -> str:
    """Who can read one of the client's own notes now, in the words used everywhere."""
    from interlude.sharing.rules import entry_visibility_sentence

    return entry_visibility_sentence(person, note)


@register.filter
def reason_words(reasons: list[str], role: str = "client") -> str:
    """The reasons given for a try: in the client's own words, or as their therapist reads
    them."""
    from interlude.ladder.models import LadderAttempt
    from interlude.ladder.queries import THERAPIST_REASONS

    labels = THERAPIST_REASONS if role == "therapist" else dict(LadderAttempt.Reason.choices)
    return "; ".join(labels.get(r, "Something else") for r in reasons)


@register.filter
def outcome_words(attempt: Any, role: str = "client") -> str:
    """How a try went: in the words the client chose, or as their therapist reads it."""
    from interlude.ladder.queries import THERAPIST_OUTCOMES

    if role == "therapist":
        return THERAPIST_OUTCOMES.get(attempt.outcome, "")
    return str(attempt.get_outcome_display())
