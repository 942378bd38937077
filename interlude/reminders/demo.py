"""For `make demo`: a reminder a minute or two after the demo starts, so it can be seen arriving
(printed by the worker into var/worker.log)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from interlude.accounts.models import User
from interlude.accounts.timezones import zone_for
from interlude.reminders.actions import reminder_email_turn_on, reminder_settings_save
from interlude.reminders.subjects import current_subjects
from interlude.sharing.person import Person


def remind_soon(user: User, *, minutes: int = 1) -> str:
    """Set USER's reminders to every day at the next whole minute at least MINUTES from now, on
    their own clock, with e-mail reminders on. Returns a line for the demo's summary."""
    zone = zone_for(user)
    at = (timezone.now() + dt.timedelta(minutes=minutes, seconds=59)).astimezone(zone)
    at = at.replace(second=0, microsecond=0)
    current = [s.assignment_id for s in current_subjects(Person(user))]
    reminder_settings_save(
        user=user,
        scheduled=True,
        days=range(7),
        at=at.time(),
        quiet_from=None,
        quiet_until=None,
        current=current,
        remind_about=current,
    )
    reminder_email_turn_on(user=user)
    return f"{user.email} has a reminder at {at:%H:%M} ({at.tzname()}): see var/worker.log"
