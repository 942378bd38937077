"""Each person's own time zone: which names are accepted, and "today" and "this week" as the
person lives them.

Dates and times are stored in UTC. A page shows them in the signed-in person's zone (the
middleware activates it); work done without a request (reminders, weekly counts) asks here
instead, so a client in Auckland has their own Monday, not the server's.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

if TYPE_CHECKING:  # models.py imports this module for its validator
    from interlude.accounts.models import User

# Names in the tz database that are not a place anyone lives: "localtime" is whatever the
# server's own clock is set to, "Factory" means "not set", "posixrules" is a build detail.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})

# Older names that browsers still report (their ICU data keeps them), and today's name. The
# older name is accepted anyway where the server knows it; saving today's keeps one spelling.
OLDER_NAMES = {
    "Africa/Asmera": "Africa/Asmara",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Catamarca": "America/Argentina/Catamarca",
    "America/Coral_Harbour": "America/Atikokan",
    "America/Cordoba": "America/Argentina/Cordoba",
    "America/Godthab": "America/Nuuk",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Jujuy": "America/Argentina/Jujuy",
    "America/Louisville": "America/Kentucky/Louisville",
    "America/Mendoza": "America/Argentina/Mendoza",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Europe/Kiev": "Europe/Kyiv",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Truk": "Pacific/Chuuk",
}

UNKNOWN = "We don't know a time zone called “%(value)s”. Please choose yours from the list."
NOT_CHOSEN = "Please choose a time zone from the list."


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every zone name this server can show times in (read once: the list is read from disk)."""
    return frozenset(zoneinfo.available_timezones() - NOT_PLACES)


@lru_cache(maxsize=1)
def listed_zones() -> tuple[str, ...]:
    """The zones offered in a list, one name per place: the tz database's own table of zones
    by country (without the older and duplicate names), or, where a system lacks that table,
    every known name under a continent or ocean."""
    known = known_zones()
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "zone.tab"
        if table.is_file():
            lines = table.read_text(encoding="utf-8").splitlines()
            names = {line.split("\t")[2] for line in lines if line and not line.startswith("#")}
            return tuple(sorted((names & known) | ({"UTC"} & known)))
    regions = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe"}
    regions |= {"Indian", "Pacific"}
    return tuple(sorted(n for n in known if n == "UTC" or n.split("/", 1)[0] in regions))


def canonical(name: str) -> str:
    """NAME as it is saved: trimmed, and today's spelling for an older one browsers report."""
    name = name.strip()
    newer = OLDER_NAMES.get(name)
    return newer if newer in known_zones() else name


def is_known(name: str) -> bool:
    return name in known_zones()


def validate_time_zone(value: str) -> None:
    """A time zone must be one the tz database knows; blank means "not chosen yet"."""
    if value and not is_known(value):
        raise ValidationError(UNKNOWN, code="unknown_time_zone", params={"value": value[:64]})


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone called NAME, or None for a blank or unknown name."""
    return zoneinfo.ZoneInfo(name) if name and is_known(name) else None


def zone_for(user: User) -> dt.tzinfo:
    """The person's own zone; the site's default (UTC) while they have not chosen one."""
    return zone_named(user.time_zone) or timezone.get_default_timezone()


def person_now(user: User, *, at: dt.datetime | None = None) -> dt.datetime:
    """AT (by default now) on the person's own clock."""
    return (at or timezone.now()).astimezone(zone_for(user))


def person_today(user: User, *, at: dt.datetime | None = None) -> dt.date:
    """The person's own date at AT (by default now): in Auckland, Monday starts 13 hours
    before it does in UTC."""
    return person_now(user, at=at).date()


def week_start(user: User, *, at: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 of the person's own week at AT (by default now), as an aware datetime in
    their zone. "This week" counts from here, so a week with a clock change is 167 or 169
    hours long and still starts at midnight on the person's clock."""
    zone = zone_for(user)
    today = person_today(user, at=at)
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    # Where the clocks jump forward at midnight, 00:00 never happens that day: going through
    # UTC gives the first moment that does.
    return start.astimezone(dt.UTC).astimezone(zone)
