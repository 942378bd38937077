from __future__ import annotations

from interlude.fantasy.actions import fantasy_erase_for
from interlude.fantasy.models import FantasyDraft, FantasyEntry, SensationEntry
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        FantasyEntry,
        "Your fantasy journal",
        rows=lambda u: FantasyEntry.objects.filter(author=u),
        fields={
            "created_at": "Written",
            "updated_at": "Last changed",
            "prompt": "Prompt",
            "body": "What you wrote",
            "visibility": "Who could see it",
        },
        erase=lambda u: fantasy_erase_for(user=u),
    ),
    Record(
        SensationEntry,
        "Your new-sensations log",
        rows=lambda u: SensationEntry.objects.filter(author=u),
        fields={
            "created_at": "Noted",
            "updated_at": "Last changed",
            "kind": "Kind",
            "description": "What you tried",
            "feeling": "How it felt",
            "intensity": "How strong (0 to 10)",
            "again": "Would try again",
            "notes": "Anything else you noticed",
            "visibility": "Who could see it",
        },
        erase=lambda u: fantasy_erase_for(user=u),
    ),
    Record(
        FantasyDraft,
        "A fantasy-journal or sensations entry not yet saved",
        rows=lambda u: FantasyDraft.objects.filter(author=u),
        fields={"tool": "Where", "data": "What you were writing", "updated_at": "Kept at"},
        erase=lambda u: fantasy_erase_for(user=u),
    ),
]
