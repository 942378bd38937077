from __future__ import annotations

from typing import Any

from django import forms

from interlude.exercises.models import Rating
from interlude.fantasy.content import prompts, sensations
from interlude.fantasy.models import SensationEntry
from interlude.homework.forms import ScaleField
from interlude.sharing.visibility import Visibility

MAX_ENTRY = 50_000
MAX_DESCRIPTION = 2_000
MAX_NOTES = 10_000
INTENSITY = Rating("How strong was it?", 10, "barely noticeable", "very strong")


def _too_long(limit: int, what: str) -> str:
    return (
        f"This is longer than {limit:,} characters. Could you shorten {what}? Nothing has "
        "been lost."
    )


class _VisibilityMixin:
    fields: dict[str, forms.Field]

    def limit_visibility(self, allowed: list[str], labels: dict[str, str]) -> None:
        field = self.fields["visibility"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, labels[v]) for v in allowed]


class FantasyEntryForm(_VisibilityMixin, forms.Form):
    prompt = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    body = forms.CharField(
        label="Your fantasy, in your own words",
        max_length=MAX_ENTRY,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "There's nothing written yet. Write a few words, or leave the page.",
            "max_length": _too_long(MAX_ENTRY, "it or split it into two entries"),
        },
    )
    visibility = forms.ChoiceField(
        label="Who can see this?", widget=forms.RadioSelect, choices=Visibility.choices
    )

    def __init__(self, *args: Any, allowed: list[str], labels: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_visibility(allowed, labels)

    def clean_prompt(self) -> str:
        slug: str = self.cleaned_data.get("prompt", "")
        known = {p.slug for p in prompts().prompts}
        return slug if slug in known else ""


class SensationEntryForm(_VisibilityMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of sensation?",
        widget=forms.RadioSelect,
        choices=SensationEntry.Kind.choices,
        error_messages={"required": "Please choose the kind that fits best, or Other."},
    )
    description = forms.CharField(
        label="What did you try?",
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A few words are enough, such as “a feather on my forearm”.",
        error_messages={
            "required": "Please add a few words about what you tried.",
            "max_length": _too_long(MAX_DESCRIPTION, "it"),
        },
    )
    feeling = forms.ChoiceField(
        label="How did it feel?",
        widget=forms.RadioSelect,
        choices=SensationEntry.Feeling.choices,
        error_messages={"required": "Please choose how it felt. Any answer is useful."},
    )
    intensity = ScaleField(INTENSITY)
    again = forms.ChoiceField(
        label="Would you try it again?",
        widget=forms.RadioSelect,
        required=False,
        choices=SensationEntry.Again.choices,
    )
    notes = forms.CharField(
        label="Anything else you noticed",
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _too_long(MAX_NOTES, "your notes")},
    )
    visibility = forms.ChoiceField(
        label="Who can see this?", widget=forms.RadioSelect, choices=Visibility.choices
    )

    def __init__(self, *args: Any, allowed: list[str], labels: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_visibility(allowed, labels)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        content = sensations()
        kind.choices = [(c.slug, c.title) for c in content.categories]
