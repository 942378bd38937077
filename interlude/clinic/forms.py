from __future__ import annotations

from django import forms

from interlude.practice.models import Practice


class PracticeSettingsForm(forms.Form):
    """A practice's crisis details (shown to its clients under every exercise's safety notes
    and on the page after a safety answer) and how long it keeps clinical records."""

    emergency_number = forms.CharField(
        label="Emergency number",
        max_length=Practice._meta.get_field("emergency_number").max_length,
        required=False,
        help_text="For example 911, 999 or 112. Leave empty for the US default (911).",
    )
    crisis_line = forms.CharField(
        label="Crisis line",
        max_length=Practice._meta.get_field("crisis_line").max_length,
        required=False,
        help_text="For example: call or text 988. Leave empty for the US default (988).",
    )
    abuse_helpline = forms.CharField(
        label="Domestic-abuse helpline",
        max_length=Practice._meta.get_field("abuse_helpline").max_length,
        required=False,
        help_text="A confidential helpline, with its number. Leave empty for the US default.",
    )
    record_years = forms.IntegerField(
        label="Years to keep a former client's clinical record",
        min_value=1,
        max_value=100,
        required=False,
        help_text=(
            "Counted from when their care ends (they delete their account). Leave empty for "
            "this installation's default. Check what the law where you practise asks of you."
        ),
        error_messages={
            "min_value": "Please give a number of years from 1 to 100.",
            "max_value": "Please give a number of years from 1 to 100.",
            "invalid": "Please give a whole number of years, like 7.",
        },
    )
