"""Input validation for the ladder's forms: every input bounded, messages in Interlude's voice."""

from __future__ import annotations

from typing import Any

from django import forms

from interlude.ladder.models import SUDS_STEP, SUDS_TOP, LadderAttempt, LadderStep
from interlude.sharing.visibility import Visibility

MAX_STEP_TEXT = 200
MAX_PAUSE_NOTE = 200
MAX_REASON = 1_000
MAX_REFLECTION = 20_000
MAX_MINUTES = 600

SUDS_WORDS = {
    0: "no distress at all",
    50: "clearly uncomfortable, and manageable",
    100: "the most distress you can imagine",
}
SUDS_CHOICES: list[tuple[Any, str]] = [
    (n, f"{n} — {SUDS_WORDS[n]}" if n in SUDS_WORDS else str(n))
    for n in range(0, SUDS_TOP + 1, SUDS_STEP)
]
SUDS_HELP = "SUDS: how distressed you feel, from 0 (not at all) to 100 (the most you can imagine)."
LONG = (
    "This is longer than {limit:,} characters. Could you shorten it a little? Nothing you typed "
    "has been lost."
)


class SudsField(forms.TypedChoiceField):
    """A SUDS rating, 0 to 100 in fives, chosen from a list (optional unless said)."""

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", SUDS_HELP)
        super().__init__(
            label=label,
            coerce=int,
            required=required,
            empty_value=None,
            choices=[("", "Choose a number" if required else "Leave it for now"), *SUDS_CHOICES],
            widget=forms.Select,
            error_messages={
                "required": "Please choose a number from 0 to 100. A rough guess is fine.",
                "invalid_choice": "Please choose a number from 0 to 100, in fives.",
            },
            **kwargs,
        )


def _text(label: str, limit: int, *, required: bool = False, rows: int = 0, **kw: Any) -> Any:
    # Short writing (a step, a reason) gets a small box that grows; notes a bigger one.
    attrs = {"rows": rows, "class": "ladder-short"} if rows and rows <= 2 else {"rows": rows}
    widget = forms.Textarea(attrs=attrs) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=widget,
        error_messages={"max_length": LONG.format(limit=limit), **kw.pop("error_messages", {})},
        **kw,
    )


class StepForm(forms.Form):
    """A step, as either of them writes it: a few words and the distress it is expected to
    bring."""

    text = _text(
        "The step, in a few words",
        MAX_STEP_TEXT,
        required=True,
        rows=2,
        help_text="Small and specific, such as “Sitting close, fully dressed, for five minutes”.",
        error_messages={"required": "Please describe the step in a few words."},
    )
    suds = SudsField(
        label="How distressing do you expect it to be?",
        required=True,
        help_text="Imagine the step and give your best guess. " + SUDS_HELP,
    )


class PausePointForm(forms.Form):
    """The pause point the client chooses in advance: a rating, their own words, or both."""

    pause_suds = SudsField(
        label="I pause if my distress goes above",
        help_text="For example 70. " + SUDS_HELP,
    )
    pause_note = _text(
        "…or when (in your own words)",
        MAX_PAUSE_NOTE,
        help_text="For example: “if I feel numb or far away”.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pause_suds") is None and not (data.get("pause_note") or "").strip():
            raise forms.ValidationError(
                "Please choose a pause point before you begin: a number, a few words, or one of "
                "each. It helps you notice when to pause."
            )
        return data


def _visibility(label: str) -> forms.ChoiceField:
    # Not asked when nothing was written: "only me" then.
    return forms.ChoiceField(
        label=label, widget=forms.RadioSelect, choices=Visibility.choices, required=False
    )


class _Visible(forms.Form):
    VISIBILITY_FIELDS: tuple[str, ...] = ()

    def __init__(
        self, *args: Any, allowed: list[str], labels: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in self.VISIBILITY_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, labels[v]) for v in allowed]

    def clean(self) -> dict[str, Any]:
        # Before the other checks, so the default holds even when one of them refuses.
        for name in self.VISIBILITY_FIELDS:
            if name in self.cleaned_data and not self.cleaned_data[name]:
                self.cleaned_data[name] = str(Visibility.ONLY_ME)
        return super().clean() or {}


class BeforeForm(_Visible, PausePointForm):
    """Before trying a step: distress now, the pause point, and what you expect."""

    VISIBILITY_FIELDS = ("visibility_before",)

    suds_before = SudsField(label="How distressed do you feel right now?")
    reflection_before = _text(
        "What are you about to do, and what do you expect might happen?",
        MAX_REFLECTION,
        rows=4,
        help_text="Optional. A few words is plenty; you can compare it with what happens.",
    )
    visibility_before = _visibility("Who can read what you wrote before?")

    field_order = ["suds_before", "pause_suds", "pause_note", "reflection_before"]


class AfterForm(_Visible):
    """After a try (or not this time): how it went, the ratings, and a note."""

    VISIBILITY_FIELDS = ("visibility_after",)

    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=LadderAttempt.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one, whichever fits. Each is fine."},
    )
    suds_peak = SudsField(label="The highest your distress reached")
    suds_after = SudsField(label="How distressed do you feel now?")
    minutes = forms.IntegerField(
        label="About how many minutes did you stay with it?",
        required=False,
        min_value=0,
        max_value=MAX_MINUTES,
        error_messages={
            "min_value": "Please give a number of minutes from 0.",
            "max_value": f"Please give a number of minutes up to {MAX_MINUTES}.",
            "invalid": "Please give the minutes as a whole number, such as 20.",
        },
    )
    reasons = forms.MultipleChoiceField(
        label="If you'd like to say why (optional)",
        choices=LadderAttempt.Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reflection_after = _text(
        "What happened, compared with what you expected?",
        MAX_REFLECTION,
        rows=5,
        help_text="Optional. Anything you noticed or learned, about the step or about yourself.",
    )
    visibility_after = _visibility("Who can read what you wrote after?")


class HoldForm(forms.Form):
    """The therapist asks the client to stay at or below a step for now, and says why."""

    step = forms.TypedChoiceField(
        label="Stay at or below this step for now",
        coerce=int,
        error_messages={
            "required": "Please choose a step.",
            "invalid_choice": "Please choose a step.",
        },
    )
    reason = _text(
        "A short reason, in words for your client",
        MAX_REASON,
        required=True,
        rows=2,
        help_text="Your client reads this on their ladder.",
        error_messages={"required": "Please add a few words for your client about why."},
    )

    def __init__(self, *args: Any, steps: list[LadderStep], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(s.pk, f"Step {s.position}: {s.text}") for s in steps]


class ReleaseForm(forms.Form):
    note = _text("A few words for your client", MAX_REASON, rows=2)


def draft_field_names() -> set[str]:
    """What a try's draft may keep: the try's own form fields."""
    return set(BeforeForm.base_fields) | set(AfterForm.base_fields)
