from __future__ import annotations

from interlude.lib.personal_data import Record
from interlude.reminders.actions import reminders_erase_for
from interlude.reminders.models import (
    CalendarFeed,
    MutedAssignment,
    Notice,
    Occurrence,
    ReminderSettings,
)

RECORDS = [
    Record(
        ReminderSettings,
        "Your reminders",
        rows=lambda u: ReminderSettings.objects.filter(user=u),
        fields={
            "scheduled": "Reminders at set times",
            "days": "Days (0 is Monday)",
            "at": "Time",
            "quiet_from": "Quiet from",
            "quiet_until": "Quiet until",
            "updated_at": "Last changed",
        },
        erase=lambda u: reminders_erase_for(user=u),
    ),
    Record(
        MutedAssignment,
        "Exercises you chose not to be reminded about",
        rows=lambda u: MutedAssignment.objects.filter(user=u),
        fields={"assignment_id": "Exercise (number)"},
        erase=lambda u: reminders_erase_for(user=u),
    ),
    Record(
        Occurrence,
        "Reminders and e-mails about something new",
        rows=lambda u: Occurrence.objects.filter(user=u),
        fields={"kind": "What", "due_at": "Due", "finished_at": "Done", "outcome": "What happened"},
        erase=lambda u: reminders_erase_for(user=u),
    ),
    Record(
        Notice,
        "What was new for you",
        rows=lambda u: Notice.objects.filter(user=u),
        fields={"kind": "What", "created_at": "When", "seen_at": "Read"},
        erase=lambda u: reminders_erase_for(user=u),
    ),
    Record(
        CalendarFeed,
        "Your private calendar link",
        rows=lambda u: CalendarFeed.objects.filter(user=u),
        # The link itself was never stored, only a hash of it, which means nothing to anyone.
        fields={"created_at": "Made"},
        erase=lambda u: reminders_erase_for(user=u),
    ),
]
