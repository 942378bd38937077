"""Writes the workspace makes itself: a practice's crisis details.

Practice rows belong to the practice app; its actions have no way yet to change these three
fields, so the practice settings page writes them here, audited, until one exists there.
"""

from __future__ import annotations

from django.db import transaction

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.practice.models import Practice

CRISIS_FIELDS = ("emergency_number", "crisis_line", "abuse_helpline")


@transaction.atomic
def practice_crisis_details_set(*, practice: Practice, by: User, **details: str) -> bool:
    """Set the practice's crisis details (blank: the US default). Returns whether any changed."""
    changed = []
    for name in CRISIS_FIELDS:
        value = details.get(name, "").strip()
        if getattr(practice, name) != value:
            setattr(practice, name, value)
            changed.append(name)
    if changed:
        practice.save(update_fields=changed)
        audit_record(actor=by, action="practice.crisis_details", target=practice)
    return bool(changed)
