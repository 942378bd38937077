"""When a reminder is due, on the person's own clock: pure arithmetic, no database.

Every instant is stored and compared in UTC; the person's days, time and quiet hours are wall-
clock times in their zone. A reminder at 19:00 is found by taking the local date, putting 19:00
on it in the zone, and only then converting to UTC, so it stays at 19:00 local on both sides of
a daylight-saving change (in Los Angeles 03:00 UTC before 8 March 2026, 02:00 UTC after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Quiet:
    """Quiet hours on the person's clock, from START up to (not including) END. They may cross
    midnight (22:00 to 07:00); equal or missing times mean none."""

    start: dt.time | None = None
    end: dt.time | None = None

    @property
    def is_set(self) -> bool:
        return self.start is not None and self.end is not None and self.start != self.end

    def covers(self, moment: dt.time) -> bool:
        """Whether the wall-clock time MOMENT is inside the quiet hours."""
        if not self.is_set:
            return False
        assert self.start is not None and self.end is not None
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def on_the_clock(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The instant (in UTC) when the clocks in ZONE show AT on DAY.

    A time that does not exist that day (skipped when the clocks go forward) is read with the
    offset from before the change, so it lands as much later as the clocks jumped: 02:30 becomes
    03:30. A time that happens twice (when the clocks go back) is the first of the two."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)


def next_reminder(
    after: dt.datetime, *, zone: dt.tzinfo, days: Collection[int], at: dt.time
) -> dt.datetime | None:
    """The first reminder strictly after AFTER: a chosen weekday (0 is Monday) at AT on the
    person's clock. None when no day is chosen."""
    if not days:
        return None
    start = after.astimezone(zone).date()
    for offset in range(8):  # a week and a day always holds the next chosen weekday
        day = start + dt.timedelta(days=offset)
        if day.weekday() in days:
            when = on_the_clock(day, at, zone)
            if when > after:
                return when
    return None


def after_quiet_hours(moment: dt.datetime, *, zone: dt.tzinfo, quiet: Quiet) -> dt.datetime:
    """MOMENT itself when it is outside the quiet hours, or the moment they end."""
    local = moment.astimezone(zone)
    if not quiet.covers(local.time().replace(tzinfo=None)):
        return moment
    assert quiet.start is not None and quiet.end is not None
    day = local.date()
    # Quiet hours that cross midnight end tomorrow when we are in their evening part.
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += dt.timedelta(days=1)
    return on_the_clock(day, quiet.end, zone)
