from __future__ import annotations

from interlude.journal.actions import journal_erase_for
from interlude.journal.models import JournalDraft, JournalEntry
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        JournalEntry,
        "Your journal",
        rows=lambda u: JournalEntry.objects.filter(author=u),
        fields={
            "created_at": "Written",
            "updated_at": "Last changed",
            "body": "What you wrote",
            "visibility": "Who could see it",
        },
        erase=lambda u: journal_erase_for(user=u),
    ),
    Record(
        JournalDraft,
        "A journal entry not yet saved",
        rows=lambda u: JournalDraft.objects.filter(author=u),
        fields={"body": "What you were writing", "updated_at": "Kept at"},
        erase=lambda u: journal_erase_for(user=u),
    ),
]
