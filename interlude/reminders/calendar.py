"""The private calendar feed (iCalendar, RFC 5545, written with the `icalendar` library).

Each event says "Interlude" and nothing else: no description, place, link or attendee. One
repeating event at the chosen time on the chosen days, in the person's own zone (with the
zone's rules included), so a calendar app keeps it at 19:00 local across clock changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
from django.utils import timezone

from interlude.accounts.timezones import zone_for
from interlude.reminders.models import CalendarFeed, ReminderSettings
from interlude.reminders.schedule import next_reminder

NAME = "Interlude"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How long each event lasts in the calendar: a moment, not an appointment.
LENGTH = dt.timedelta(minutes=10)


def feed_calendar(feed: CalendarFeed, row: ReminderSettings | None) -> bytes:
    """The feed's calendar: empty while reminders at set times are off."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{NAME}//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", NAME)
    # Calendar apps that honour it look for changes a few times a day.
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", dt.timedelta(hours=6))
    now = timezone.now()
    if row is not None and row.scheduled and row.at is not None and row.days:
        zone = zone_for(feed.user)
        first = next_reminder(now, zone=zone, days=row.days, at=row.at)
        assert first is not None
        event = icalendar.Event()
        # Stable while the settings are: the calendar app updates one event, not many.
        uid = hashlib.sha256(f"{feed.token_hash}:{row.updated_at.isoformat()}".encode())
        event.add("uid", f"{uid.hexdigest()[:32]}@interlude")
        event.add("summary", NAME)
        event.add("dtstamp", now)
        event.add("dtstart", first.astimezone(zone))
        event.add("duration", LENGTH)
        event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in row.days]})
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", NAME)
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
        today = timezone.localdate(now, zone)
        calendar.add_missing_timezones(
            first_date=today - dt.timedelta(days=7), last_date=today + dt.timedelta(days=3 * 365)
        )
    return bytes(calendar.to_ical())
