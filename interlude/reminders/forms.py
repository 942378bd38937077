from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from interlude.reminders.schedule import WEEKDAYS, Quiet
from interlude.reminders.subjects import Subject

ON, OFF = "on", "off"


def _time_field(label: str, *, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Please give a time such as 19:00."},
    )


class ReminderForm(forms.Form):
    scheduled = forms.ChoiceField(
        label="Reminders at times you choose",
        widget=forms.RadioSelect,
        choices=[(ON, "On"), (OFF, "Off")],
    )
    days = forms.TypedMultipleChoiceField(
        label="On which days?",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=list(enumerate(WEEKDAYS)),
    )
    # Needed only while reminders are on (see __init__); shown as needed, not "optional".
    at = _time_field("At what time?", required=True)
    at.error_messages["required"] = "Choose a time, or turn these reminders off."
    quiet_from = _time_field("Quiet from")
    quiet_until = _time_field("Quiet until")
    remind_about = forms.TypedMultipleChoiceField(
        label="What to be reminded about",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="These names are shown only here, to you. A reminder never says what it is "
        "about.",
    )

    def __init__(self, *args: Any, subjects: list[Subject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remind_about"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(s.assignment_id, s.title) for s in subjects]
        self.subjects = subjects
        if self.is_bound and self.data.get("scheduled") != ON:
            self.fields["at"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quiet_from: dt.time | None = data.get("quiet_from")
        quiet_until: dt.time | None = data.get("quiet_until")
        if bool(quiet_from) != bool(quiet_until):
            missing = "quiet_until" if quiet_from else "quiet_from"
            if not self.has_error(missing):
                self.add_error(
                    missing, "Please give a start and an end for quiet hours, or leave them empty."
                )
        elif quiet_from and quiet_from == quiet_until:
            self.add_error(
                "quiet_until", "Quiet hours need to end at a different time than they start."
            )
        if data.get("scheduled") == ON:
            if not data.get("days") and not self.has_error("days"):
                self.add_error("days", "Choose at least one day, or turn these reminders off.")
            at: dt.time | None = data.get("at")
            if at is not None and Quiet(quiet_from, quiet_until).covers(at):
                self.add_error(
                    "at",
                    f"{at:%H:%M} is inside your quiet hours ({quiet_from:%H:%M} to "
                    f"{quiet_until:%H:%M}), when nothing is sent. Choose another time, or "
                    "change your quiet hours.",
                )
        return data
