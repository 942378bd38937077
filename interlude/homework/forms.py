from __future__ import annotations

from typing import Any

from django import forms

from interlude.exercises.models import RATINGS, ExerciseVersion, Rating
from interlude.homework.models import Assignment, PracticeEntry
from interlude.sharing.visibility import Visibility

MAX_REFLECTION = 20_000
MAX_NOTE = 4_000
MAX_REASON = 1_000
MAX_STEPS_TEXT = 10_000
MAX_MINUTES = 600
MAX_TIMES = 14

NOTE_MESSAGES = {
    "max_length": f"A note can be up to {MAX_NOTE:,} characters. Could you shorten it? "
    "Nothing you typed has been lost."
}
TIMES_MESSAGES = {
    "invalid": f"Please give a whole number from 1 to {MAX_TIMES}, such as 3, or leave it empty.",
    "min_value": f"Please give a number from 1 to {MAX_TIMES}, or leave it empty.",
    "max_value": f"Up to {MAX_TIMES} times is the most it can invite. Leave it empty for "
    "“whenever it feels right”.",
}
CHOICE_MESSAGES = {
    "invalid_choice": "That isn't one of the choices here any more. Please choose again.",
    "required": "Please choose one.",
}


class ScaleField(forms.TypedChoiceField):
    """An optional 0-to-top scale whose two ends say what they mean."""

    def __init__(self, rating: Rating, **kwargs: Any) -> None:
        self.rating = rating
        super().__init__(
            label=rating.question,
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", "Skip"), *((n, str(n)) for n in range(0, rating.top + 1, rating.step))],
            widget=forms.RadioSelect,
            help_text=f"0 = {rating.low}, {rating.top} = {rating.high}. Optional.",
            error_messages={
                "invalid_choice": f"Please choose a number from 0 to {rating.top}, or leave it."
            },
            **kwargs,
        )


def _ratings(form: forms.Form, version: ExerciseVersion, when: str) -> list[str]:
    keys = [k for k in getattr(version, f"ratings_{when}") if k in RATINGS]
    for key in keys:
        form.fields[f"{when}_{key}"] = ScaleField(RATINGS[key])
    return keys


class BeforeForm(forms.Form):
    """Before practising: a few optional ratings."""

    def __init__(self, *args: Any, version: ExerciseVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = _ratings(self, version, "before")

    def ratings(self) -> dict[str, int]:
        values = {k: self.cleaned_data.get(f"before_{k}") for k in self.keys}
        return {k: v for k, v in values.items() if v is not None}

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[f"before_{k}"] for k in self.keys]


class AfterForm(forms.Form):
    """Afterwards: how it went, optional ratings and reasons, a reflection and who may read it.

    For a practice already noted as stopped (one tap), the outcome is not asked again.
    """

    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=PracticeEntry.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose one, whichever fits. Each is fine.",
            "invalid_choice": "Please choose one of these, whichever fits. Each is fine.",
        },
    )
    reasons = forms.MultipleChoiceField(
        label="If you'd like to say why (optional)",
        choices=PracticeEntry.Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Please tick any of these that fit, or none.",
            "invalid_list": "Please tick any of these that fit, or none.",
        },
    )
    felt_unsafe = forms.BooleanField(
        label="I felt pressured or unsafe",
        required=False,
        help_text="Only your therapist ever sees this, whoever else can read your note.",
    )
    wants_to_talk = forms.BooleanField(
        label="I'd like to talk about changing this exercise", required=False
    )
    duration_minutes = forms.IntegerField(
        label="About how many minutes?",
        required=False,
        min_value=0,
        max_value=MAX_MINUTES,
        error_messages={
            "min_value": "Please give a number of minutes from 0.",
            "max_value": f"Please give a number of minutes up to {MAX_MINUTES}.",
            "invalid": "Please give the minutes as a whole number, such as 20.",
        },
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
        label="Who can read what you noticed?",
        widget=forms.RadioSelect,
        choices=Visibility.choices,
        error_messages={
            "required": "Please choose who can read it. Only you is fine.",
            "invalid_choice": "Please choose one of these for who can read it.",
        },
    )

    def __init__(
        self,
        *args: Any,
        version: ExerciseVersion,
        allowed: list[str],
        labels: dict[str, str],
        stopped: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys = _ratings(self, version, "after")
        self.stopped = stopped
        if stopped:
            del self.fields["outcome"]
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        visibility.choices = [(v, labels[v]) for v in allowed]

    def ratings(self) -> dict[str, int]:
        values = {k: self.cleaned_data.get(f"after_{k}") for k in self.keys}
        return {k: v for k, v in values.items() if v is not None}

    def clean_reasons(self) -> list[str]:
        # Each reason once, however often a request repeats it.
        return list(dict.fromkeys(self.cleaned_data["reasons"]))

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[f"after_{k}"] for k in self.keys]


def form_field_names(*forms_: forms.Form) -> set[str]:
    """The names a draft may keep: the practice forms' own fields, and the step reached."""
    return {name for form in forms_ for name in form.fields} | {"step"}


def draft_values(data: dict[str, Any], *forms_: forms.Form) -> dict[str, Any]:
    """What a draft may keep of DATA for the practice FORMS_: a choice only when it is one of
    the choices offered (nobody types those), anything typed as it was typed. Names that are
    not the forms' own are left for the caller (the step) or dropped by the draft action."""
    fields = {name: field for form in forms_ for name, field in form.fields.items()}
    kept: dict[str, Any] = {}
    for name, value in data.items():
        field = fields.get(name)
        if not isinstance(field, forms.ChoiceField):
            kept[name] = value
            continue
        values = value if isinstance(value, list) else [value]
        offered = [v for v in values if isinstance(v, str) and field.valid_value(v)]
        if isinstance(field, forms.MultipleChoiceField):
            kept[name] = offered
        elif offered:
            kept[name] = offered[-1]
    return kept


def draft_ratings(draft: dict[str, Any], when: str) -> dict[str, int]:
    """The ratings a draft holds for WHEN ("before" or "after"), each a whole number on its
    scale; anything else is left out (it was never a choice on the page)."""
    prefix = f"{when}_"
    ratings: dict[str, int] = {}
    for key, value in draft.items():
        rating = RATINGS.get(key[len(prefix) :]) if key.startswith(prefix) else None
        text = str(value)
        on_scale = text.isascii() and text.isdigit() and len(text) <= 3
        if rating and on_scale and int(text) <= rating.top:
            ratings[key[len(prefix) :]] = int(text)
    return ratings


class StepsField(forms.CharField):
    """Steps as one per line; blank lines dropped; at least one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.Textarea(attrs={"rows": 8}),
            max_length=MAX_STEPS_TEXT,
            error_messages={
                "required": "Please keep at least one step.",
                "max_length": f"The steps are longer than {MAX_STEPS_TEXT:,} characters in all; "
                "could you shorten them? Nothing has been lost.",
            },
            **kwargs,
        )

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        steps = [s.strip() for s in text.splitlines() if s.strip()]
        if not steps:
            raise forms.ValidationError("Please keep at least one step.")
        return steps


class AssignForm(forms.Form):
    """A therapist tailors an exercise for a client or couple."""

    who = forms.ChoiceField(label="For", widget=forms.RadioSelect, error_messages=CHOICE_MESSAGES)
    note = forms.CharField(
        label="A personal note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your client reads this at the top of the exercise.",
        error_messages=NOTE_MESSAGES,
    )
    times = forms.IntegerField(
        label="How often to invite them to try it",
        required=False,
        min_value=1,
        max_value=MAX_TIMES,
        error_messages=TIMES_MESSAGES,
        help_text="Shown as an invitation, for example “Try it up to 3 times this week, if it "
        "feels right”. Leave empty for “whenever it feels right”.",
    )
    period = forms.ChoiceField(
        label="Over",
        choices=Assignment.Period.choices,
        initial=Assignment.Period.WEEK,
        error_messages=CHOICE_MESSAGES,
    )
    steps = StepsField(label="Steps (one per line; edit them if you like)")
    stage = forms.TypedChoiceField(
        label="Stage to start at", coerce=int, required=False, error_messages=CHOICE_MESSAGES
    )

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


class ChangeForm(forms.Form):
    """A therapist adjusts an assignment: the client sees what changed and the reason."""

    status = forms.ChoiceField(
        label="Status", choices=Assignment.Status.choices, error_messages=CHOICE_MESSAGES
    )
    stage = forms.TypedChoiceField(
        label="Stage",
        coerce=int,
        required=False,
        error_messages=CHOICE_MESSAGES,
        help_text="You can go back a stage at any time. A more intimate stage opens when "
        "everyone taking part says they feel ready.",
    )
    held = forms.BooleanField(
        label="Stay at this stage for now, even if they feel ready for the next",
        required=False,
        help_text="Your client reads your reason with the exercise; the next stage waits until "
        "you lift the hold.",
    )
    note = forms.CharField(
        label="Personal note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=NOTE_MESSAGES,
    )
    times = forms.IntegerField(
        label="How often",
        required=False,
        min_value=1,
        max_value=MAX_TIMES,
        error_messages=TIMES_MESSAGES,
    )
    period = forms.ChoiceField(
        label="Over", choices=Assignment.Period.choices, error_messages=CHOICE_MESSAGES
    )
    steps = StepsField(label="Steps (one per line)")
    reason = forms.CharField(
        label="A short reason, in words for your client",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: “Let's slow down and stay with the first part for now.”",
        error_messages={
            "required": "Please add a few words for your client about why.",
            "max_length": f"A reason can be up to {MAX_REASON:,} characters. Could you make it "
            "a little shorter? Nothing you typed has been lost.",
        },
    )

    def __init__(self, *args: Any, stages: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.TypedChoiceField)
        if stages:
            stage.choices = stages
        else:
            del self.fields["stage"]
            del self.fields["held"]
