from __future__ import annotations

from typing import Any, cast

from django import forms

from interlude.measures.instruments import Instrument, answer_words, difficulty_words, instruments

HOW_OFTEN = [
    ("once", "Once"),
    ("1", "Every week"),
    ("2", "Every 2 weeks"),
    ("3", "Every 3 weeks"),
    ("4", "Every 4 weeks"),
]


class AssignMeasureForm(forms.Form):
    instrument = forms.ChoiceField(
        label="Questionnaire",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a questionnaire."},
    )
    how_often = forms.ChoiceField(
        label="How often",
        choices=HOW_OFTEN,
        initial="once",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how often."},
    )
    share_scores = forms.BooleanField(
        label="Show them their total, in gentle words",
        required=False,
        help_text=(
            "Without this, they see only that their answers reached you. With it, they also see "
            "their total and the name of its range (for example “mild”), explained calmly."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (i.key, f"{i.name}: {len(i.items)} questions") for i in instruments()
        ]

    @property
    def every_weeks(self) -> int | None:
        value = self.cleaned_data["how_often"]
        return None if value == "once" else int(value)


class AnswerForm(forms.Form):
    """The questionnaire: one fieldset per question, its four answers in words."""

    def __init__(self, *args: Any, definition: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        words = answer_words()
        for number, item in enumerate(definition.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item}",
                choices=[(value, word) for value, word in enumerate(words)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Please choose the answer that fits best.",
                    "invalid_choice": "Please choose one of the four answers.",
                },
            )
        self.fields["difficulty"] = forms.TypedChoiceField(
            label=definition.difficulty,
            choices=list(enumerate(difficulty_words())),
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            help_text="Optional.",
        )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(1, len(self.definition.items) + 1)]

    def answers(self) -> list[int]:
        return [
            int(self.cleaned_data[f"item_{n}"]) for n in range(1, len(self.definition.items) + 1)
        ]
