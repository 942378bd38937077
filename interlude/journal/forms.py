from __future__ import annotations

from typing import Any

from django import forms

from interlude.sharing.visibility import Visibility

MAX_ENTRY = 50_000


class JournalEntryForm(forms.Form):
    body = forms.CharField(
        label="What would you like to write?",
        max_length=MAX_ENTRY,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "There's nothing written yet. Write a few words, or leave the page.",
            "max_length": f"This is longer than {MAX_ENTRY:,} characters. Could you split it "
            "into two entries? Nothing has been lost.",
        },
    )
    visibility = forms.ChoiceField(
        label="Who can see this?", widget=forms.RadioSelect, choices=Visibility.choices
    )

    def __init__(self, *args: Any, allowed: list[str], labels: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["visibility"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, labels[v]) for v in allowed]
