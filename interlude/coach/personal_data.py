from __future__ import annotations

from interlude.coach.actions import coach_erase_for
from interlude.coach.models import CoachDraft
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        CoachDraft,
        "Drafts in the I-statement helper",
        rows=lambda u: CoachDraft.objects.filter(author=u).select_related("assignment__version"),
        fields={
            "assignment__version__title": "Exercise",
            "text": "What you wanted to say",
            "feeling": "I feel",
            "situation": "When",
            "wish": "I'd like",
            "sentence": "Your sentence",
            "updated_at": "Kept at",
        },
        erase=lambda u: coach_erase_for(user=u),
    ),
]
