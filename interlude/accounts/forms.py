from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from interlude.accounts.models import User
from interlude.accounts.timezones import (
    NOT_CHOSEN,
    canonical,
    is_known,
    listed_zones,
    validate_time_zone,
)


class SetPasswordFields(forms.Form):
    """Name and password for someone accepting an invitation."""

    name = forms.CharField(
        label="What would you like to be called?",
        max_length=80,
        help_text="Your therapist sees this name. A first name or nickname is fine.",
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words make a strong, memorable one.",
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are different. Please type it again.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


# Offered first, east to west: where most people using Interlude live.
OFTEN_CHOSEN = (
    "Pacific/Auckland",
    "Australia/Sydney",
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Perth",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Africa/Lagos",
    "Europe/London",
    "Europe/Dublin",
    "America/Sao_Paulo",
    "America/Halifax",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "UTC",
)


def zone_label(name: str, at: dt.datetime) -> str:
    """A zone as the list shows it, "America/Los Angeles (UTC-07:00)": the name people
    recognise, and the clock it keeps today, for someone who knows their offset but not their
    zone's name."""
    offset = ZoneInfo(name).utcoffset(at) or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{name.replace('_', ' ')} (UTC{sign}{hours:02d}:{rest:02d})"


def zone_choices(also: str = "") -> list[Any]:
    """The zones, often chosen first, then by continent or ocean; ALSO (a zone the person
    already has under an older name) is offered too, so it shows as chosen."""
    now = timezone.now()
    listed = listed_zones()
    often = [z for z in OFTEN_CHOSEN if z in listed]
    if also and is_known(also) and also not in listed:
        often.insert(0, also)
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in listed:
        if "/" in name:
            groups.setdefault(name.split("/", 1)[0], []).append((name, zone_label(name, now)))
    return [
        ("", "Choose a time zone"),
        ("Often chosen", [(z, zone_label(z, now)) for z in often]),
        *groups.items(),
    ]


class TimeZoneForm(forms.Form):
    """The person's time zone, from the tz database (an older name is saved as today's)."""

    time_zone = forms.CharField(
        label="Your time zone",
        max_length=64,
        widget=forms.Select,
        error_messages={
            "required": NOT_CHOSEN,
            "max_length": "That isn't a time zone we know. Please choose yours from the list.",
        },
        help_text="Every date and time in Interlude is shown in this zone. If yours isn't "
        "listed, choose a city near you that keeps the same time.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = canonical(str(self["time_zone"].value() or ""))
        self.fields["time_zone"].widget.choices = zone_choices(also=chosen)

    def clean_time_zone(self) -> str:
        value = canonical(self.cleaned_data["time_zone"])
        validate_time_zone(value)
        return value
