from __future__ import annotations

from interlude.journal.actions import journal_erase_for
from interlude.journal.models import JournalEntry
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
    )
]
