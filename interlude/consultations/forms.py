from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone

from interlude.consultations.actions import MAX_NOTE
from interlude.consultations.models import Consultation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _moment(day: Any, at: Any) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


class _Who(forms.Form):
    who = forms.ChoiceField(
        label="Who came",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose who the session was with."},
    )

    def __init__(self, *args: Any, who: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["who"]).choices = who
        if len(who) == 1:
            self.fields["who"].initial = who[0][0]


class RecordForm(_Who):
    """A session held: when, how, and (optionally) the next one."""

    day = forms.DateField(
        label="Date",
        widget=DATE,
        error_messages={
            "required": "Please give the date of the session.",
            "invalid": "Please give a date, like 2026-03-04.",
        },
    )
    at = forms.TimeField(
        label="Time",
        widget=TIME,
        error_messages={
            "required": "Please give the time it began.",
            "invalid": "Please give a time, like 14:30.",
        },
    )
    mode = forms.ChoiceField(
        label="How you met",
        choices=Consultation.Mode.choices,
        initial=Consultation.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose in person or online."},
    )
    next_day = forms.DateField(label="Next session: date", widget=DATE, required=False)
    next_at = forms.TimeField(label="Next session: time", widget=TIME, required=False)
    next_mode = forms.ChoiceField(
        label="Next session: how you will meet",
        choices=Consultation.Mode.choices,
        initial=Consultation.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["moment"] = _moment(data.get("day"), data.get("at"))
        if (data.get("next_day") is None) != (data.get("next_at") is None):
            missing = "next_at" if data.get("next_at") is None else "next_day"
            self.add_error(missing, "To plan the next session, please give both its date and time.")
        data["next_moment"] = _moment(data.get("next_day"), data.get("next_at"))
        if data["next_moment"] is not None and data["next_moment"] <= timezone.now():
            self.add_error(
                "next_day", "The next session is one still to come: a later date, please."
            )
        return data


class PlanForm(_Who):
    """A session still to come."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the page holds the record form too, and a label must reach its own field.
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)
        self.fields["who"].label = "Who it is with"

    day = forms.DateField(
        label="Date",
        widget=DATE,
        error_messages={
            "required": "Please give the date.",
            "invalid": "Please give a date, like 2026-03-04.",
        },
    )
    at = forms.TimeField(
        label="Time",
        widget=TIME,
        initial=time(10, 0),
        error_messages={
            "required": "Please give the time.",
            "invalid": "Please give a time, like 14:30.",
        },
    )
    mode = forms.ChoiceField(
        label="How you will meet",
        choices=Consultation.Mode.choices,
        initial=Consultation.Mode.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose in person or online."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["moment"] = _moment(data.get("day"), data.get("at"))
        if data["moment"] is not None and data["moment"] <= timezone.now():
            self.add_error("day", "A planned session is one still to come: a later date, please.")
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Your private note",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=MAX_NOTE,
        help_text=(
            "Only you can read this here. It is never shown to your client or their partner and "
            "is not in their own data export; it goes with their record if you transfer their care."
        ),
        error_messages={
            "max_length": (
                f"A note can be up to {MAX_NOTE:,} characters. Could you shorten it a little?"
            )
        },
    )
