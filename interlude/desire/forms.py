from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from interlude.desire.actions import (
    MAX_CUSTOM_DESCRIPTION,
    MAX_CUSTOM_TITLE,
    MAX_INTERVAL_DAYS,
    MIN_INTERVAL_DAYS,
)
from interlude.desire.catalogue import INTENSITIES, Catalogue, DesireItem
from interlude.desire.matching import ANSWERS

ANSWER_CHOICES = [("yes", "Yes"), ("maybe", "Maybe"), ("no", "No"), ("skip", "Skip")]
INTENSITY_WORDS = {
    "gentle": "Gentle: affection, talk, agreements",
    "moderate": "Moderate: sensual or sexual, no genital contact",
    "intimate": "Intimate: genitals, breasts or chest, sex, restraint, impact",
}


class GroupForm(forms.Form):
    """One group's answers: yes, maybe, no or skip for each item (each optional), and for a
    couple "only if they say yes too"."""

    def __init__(
        self, *args: Any, items: Sequence[DesireItem], couple: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"answer_{item.slug}"] = forms.ChoiceField(
                label=item.title,
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Please choose yes, maybe, no or skip."},
            )
            if couple:
                self.fields[f"only_{item.slug}"] = forms.BooleanField(required=False)

    def answers(self) -> dict[str, tuple[str, bool]]:
        """The marked items of this group (an item left unmarked is absent)."""
        found = {}
        for item in self.items:
            answer = self.cleaned_data.get(f"answer_{item.slug}") or ""
            if answer in ANSWERS:
                found[item.slug] = (answer, bool(self.cleaned_data.get(f"only_{item.slug}")))
        return found


def answers_from_post(
    data: Any, items: Sequence[DesireItem], *, couple: bool
) -> dict[str, tuple[str, bool]]:
    """The answers in DATA for ITEMS, anything else ignored (for a rescue after a timeout)."""
    form = GroupForm(data, items=items, couple=couple)
    return form.answers() if form.is_valid() else {}


class SettingsForm(forms.Form):
    """A therapist's choices for one map: what is offered, and how often a new round may open."""

    groups = forms.MultipleChoiceField(
        label="Groups to offer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A group left unticked is not shown at all.",
    )
    intensities = forms.MultipleChoiceField(
        label="Kinds of item to offer",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Intimate items name genitals, breasts or chest, oral, anal and penetrative "
        "sex, restraint and impact plainly. You might leave them out after trauma, or for a first "
        "map.",
    )
    items = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    interval_days = forms.IntegerField(
        label="Days before a new round may start",
        min_value=MIN_INTERVAL_DAYS,
        max_value=MAX_INTERVAL_DAYS,
        help_text="Counted from the day a round is compared. A new round also needs both "
        "partners to agree. 14 days unless you choose otherwise; a longer wait makes it "
        "harder for anyone to probe the other's answers one round at a time.",
        error_messages={
            "required": "Please give a number of days, such as 14.",
            "invalid": "Please give a whole number of days, such as 14.",
            "min_value": f"Please choose at least {MIN_INTERVAL_DAYS} day.",
            "max_value": f"Please choose at most {MAX_INTERVAL_DAYS} days.",
        },
    )

    def __init__(self, *args: Any, known: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("groups", [(g.slug, g.title) for g in known.groups])
        self._choices("intensities", [(i, INTENSITY_WORDS[i]) for i in INTENSITIES])
        self._choices("items", [(i.slug, i.title) for i in known.items])

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class CustomItemForm(forms.Form):
    title = forms.CharField(
        label="Item",
        max_length=MAX_CUSTOM_TITLE,
        help_text="A few words, as a client would read them, for example “Dancing at home”.",
        error_messages={
            "required": "Please give the item a short title.",
            "max_length": f"Please keep the title to {MAX_CUSTOM_TITLE} characters. Nothing "
            "you typed has been lost.",
        },
    )
    description = forms.CharField(
        label="What it means",
        required=False,
        max_length=MAX_CUSTOM_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One plain line, so two people mean the same thing by it.",
        error_messages={
            "max_length": f"Please keep this to {MAX_CUSTOM_DESCRIPTION} characters. Nothing "
            "you typed has been lost.",
        },
    )
