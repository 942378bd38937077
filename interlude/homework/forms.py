from __future__ import annotations

from typing import Any

from django import forms

from interlude.exercises.models import RATINGS
from interlude.homework.models import Assignment, PracticeEntry
from interlude.sharing.visibility import Visibility

MAX_REFLECTION = 20_000


def _scale(key: str, when: str) -> forms.TypedChoiceField:
    question, top = RATINGS[key]
    step = 10 if top == 100 else 1
    return forms.TypedChoiceField(
        label=question,
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "Skip")] + [(n, str(n)) for n in range(0, top + 1, step)],
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        help_text=f"Optional. {when.capitalize()} you start." if when == "before" else "Optional.",
    )


class PracticeForm(forms.Form):
    """One practice: optional ratings, how it went, optional reasons and a reflection."""

    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=PracticeEntry.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one, whichever fits. Each is fine."},
    )
    stopped_at_step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reasons = forms.MultipleChoiceField(
        label="If you'd like to say why (optional)",
        choices=PracticeEntry.Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_to_talk = forms.BooleanField(
        label="I'd like to talk about changing this exercise", required=False
    )
    duration_minutes = forms.IntegerField(
        label="About how many minutes?", required=False, min_value=0, max_value=600
    )
    reflection = forms.CharField(
        label="Anything you noticed",
        required=False,
        max_length=MAX_REFLECTION,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"This is longer than {MAX_REFLECTION:,} characters. Could you shorten "
            "it a little? Nothing has been lost."
        },
    )
    visibility = forms.ChoiceField(
        label="Who can read your reflection?", widget=forms.RadioSelect, choices=Visibility.choices
    )

    def __init__(
        self,
        *args: Any,
        assignment: Assignment,
        allowed: list[str],
        labels: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        version = assignment.version
        self.before_keys = list(version.ratings_before)
        self.after_keys = list(version.ratings_after)
        for key in self.before_keys:
            self.fields[f"before_{key}"] = _scale(key, "before")
        for key in self.after_keys:
            self.fields[f"after_{key}"] = _scale(key, "after")
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        visibility.choices = [(v, labels[v]) for v in allowed]

    def before_fields(self) -> list[forms.BoundField]:
        return [self[f"before_{k}"] for k in self.before_keys]

    def after_fields(self) -> list[forms.BoundField]:
        return [self[f"after_{k}"] for k in self.after_keys]

    def ratings(self, when: str) -> dict[str, int]:
        keys = self.before_keys if when == "before" else self.after_keys
        values = {k: self.cleaned_data.get(f"{when}_{k}") for k in keys}
        return {k: v for k, v in values.items() if v is not None}


class AssignForm(forms.Form):
    """A therapist tailors an exercise for a client or couple."""

    who = forms.ChoiceField(label="For", widget=forms.RadioSelect)
    note = forms.CharField(
        label="A personal note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your client reads this at the top of the exercise.",
    )
    times = forms.IntegerField(
        label="How often to invite them to try it",
        required=False,
        min_value=1,
        max_value=14,
        help_text="Shown as an invitation, for example “Try it up to 3 times this week, if it "
        "feels right”. Leave empty for “whenever it feels right”.",
    )
    period = forms.ChoiceField(
        label="Over", choices=Assignment.Period.choices, initial=Assignment.Period.WEEK
    )
    steps = forms.CharField(
        label="Steps (one per line; edit them if you like)",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        error_messages={"required": "Please keep at least one step."},
    )
    stage = forms.TypedChoiceField(label="Stage to start at", coerce=int, required=False)

    def __init__(
        self, *args: Any, who: list[tuple[str, str]], stages: list[tuple[int, str]], **kw: Any
    ):
        super().__init__(*args, **kw)
        who_field = self.fields["who"]
        assert isinstance(who_field, forms.ChoiceField)
        who_field.choices = who
        stage = self.fields["stage"]
        assert isinstance(stage, forms.TypedChoiceField)
        if stages:
            stage.choices = stages
        else:
            del self.fields["stage"]

    def clean_steps(self) -> list[str]:
        steps = [s.strip() for s in self.cleaned_data["steps"].splitlines() if s.strip()]
        if not steps:
            raise forms.ValidationError("Please keep at least one step.")
        return steps


class ChangeForm(forms.Form):
    """A therapist adjusts an assignment: the client sees what changed and the reason."""

    status = forms.ChoiceField(label="Status", choices=Assignment.Status.choices)
    note = forms.CharField(
        label="Personal note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    times = forms.IntegerField(label="How often", required=False, min_value=1, max_value=14)
    period = forms.ChoiceField(label="Over", choices=Assignment.Period.choices)
    steps = forms.CharField(
        label="Steps (one per line)",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={"required": "Please keep at least one step."},
    )
    held = forms.BooleanField(
        label="Stay at this stage for now, even if they feel ready for the next",
        required=False,
        help_text="For staged exercises. Your client can still say they feel ready.",
    )
    reason = forms.CharField(
        label="A short reason, in words for your client",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “Let's slow down and stay with the first part for now.”",
        error_messages={"required": "Please add a few words for your client about why."},
    )

    def clean_steps(self) -> list[str]:
        steps = [s.strip() for s in self.cleaned_data["steps"].splitlines() if s.strip()]
        if not steps:
            raise forms.ValidationError("Please keep at least one step.")
        return steps
