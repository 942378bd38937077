from __future__ import annotations

import re
from typing import Any

from django import forms

from interlude.exercises.content import (
    MAX_DURATION,
    MAX_PROMPT,
    MAX_PROMPTS,
    MAX_STEP,
    MAX_STEPS,
    MAX_SUMMARY,
    MAX_TEXT,
    MAX_TITLE,
    OPTIONAL_TEXT_FIELDS,
    TEXT_FIELDS,
)
from interlude.exercises.models import RATINGS, ExerciseVersion, Family, Intensity, Suits

# What people tend to type at the start of a line of a list: "1.", "2)", "-", "•".
LIST_MARKER = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s*")
RATING_CHOICES = [(key, rating.question) for key, rating in RATINGS.items()]
TEXT_HELP = "A blank line starts a new paragraph. Start a line with “- ” for a bullet point."


class LibraryFilterForm(forms.Form):
    family = forms.ChoiceField(
        label="Family", required=False, choices=[("", "All families"), *Family.choices]
    )
    suits = forms.ChoiceField(
        label="Who it suits",
        required=False,
        choices=[
            ("", "Anyone"),
            (Suits.SOLO, "On your own (includes either)"),
            (Suits.COUPLE, "Together (includes either)"),
        ],
    )
    intensity = forms.ChoiceField(
        label="Intensity", required=False, choices=[("", "Any intensity"), *Intensity.choices]
    )


def _one_line(value: str, what: str) -> str:
    if "\n" in value or "\r" in value:
        raise forms.ValidationError(
            f"{what} fits on one line. Could you join the lines? Nothing you typed has been lost."
        )
    return value


def _text(label: str, help_text: str = TEXT_HELP, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"“{label}” is empty. Your client reads this part, so a few words help.",
            "max_length": f"This part can be up to {MAX_TEXT:,} characters. Could you shorten "
            "it? Nothing you typed has been lost.",
        },
    )


def _lines(value: str) -> list[str]:
    """One item per line: blank lines dropped, typed list numbers and bullets removed."""
    return [LIST_MARKER.sub("", line).strip() for line in value.splitlines() if line.strip()]


class ExerciseForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE,
        error_messages={
            "required": "Please give the exercise a title. It's the first thing your client sees.",
            "max_length": f"A title can be up to {MAX_TITLE} characters. Could you shorten it?",
        },
    )
    summary = forms.CharField(
        label="One-line summary",
        max_length=MAX_SUMMARY,
        help_text="One sentence saying what the exercise invites your client to do.",
        error_messages={
            "required": "Please add a one-line summary, so your client knows what to expect.",
            "max_length": f"A summary can be up to {MAX_SUMMARY} characters. Could you make it "
            "a little shorter?",
        },
    )
    family = forms.ChoiceField(label="Family", choices=Family.choices)
    suits = forms.ChoiceField(
        label="Who it suits",
        choices=Suits.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose who the exercise suits."},
    )
    intensity = forms.ChoiceField(
        label="Intensity",
        choices=Intensity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose how intense the exercise is."},
    )
    duration_minutes = forms.IntegerField(
        label="Typical time, in minutes",
        min_value=1,
        max_value=MAX_DURATION,
        error_messages={
            "required": "Please give a typical time in minutes, such as 20.",
            "invalid": "Please give the typical time as a number of minutes, such as 20.",
            "min_value": "Please give at least 1 minute.",
            "max_value": f"Please give at most {MAX_DURATION} minutes.",
        },
    )
    what_it_is = _text("What it is")
    before_you_start = _text(
        "Before you start", help_text="Setting, consent, what to agree on. " + TEXT_HELP
    )
    steps = forms.CharField(
        label="Steps",
        help_text="One step per line, each one action. They are numbered for your client.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please add at least one step, one per line."},
    )
    if_you_want_to_stop = _text(
        "If you want to stop", help_text="How to stop or pause, and that it is fine. " + TEXT_HELP
    )
    afterwards = _text("Afterwards")
    why_it_helps = _text("Why it helps")
    safety_notes = _text(
        "Safety notes",
        help_text="When to talk to you first, for example pain, trauma memories or a partner "
        "who pressures. " + TEXT_HELP,
    )
    for_therapists = forms.CharField(
        label="For therapists",
        required=False,
        max_length=MAX_TEXT,
        help_text="Optional. Only therapists in your practice see this: never your client or "
        "their partner, and it is not part of a client's export. For example: who to screen "
        "for first, when not to assign it, what to look for in the log. " + TEXT_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"This part can be up to {MAX_TEXT:,} characters. Could you shorten "
            "it? Nothing you typed has been lost.",
        },
    )
    ratings_before = forms.MultipleChoiceField(
        label="Ratings before practising",
        required=False,
        choices=RATING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your client may answer these before they start. Every rating is optional.",
    )
    ratings_after = forms.MultipleChoiceField(
        label="Ratings after practising",
        required=False,
        choices=RATING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your client may answer these afterwards. Every rating is optional.",
    )
    reflection_prompts = forms.CharField(
        label="Reflection prompts",
        help_text="Questions your client might reflect on afterwards, one per line.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Please add at least one question your client might reflect on, one "
            "per line."
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in TEXT_FIELDS + OPTIONAL_TEXT_FIELDS:
            if isinstance(cleaned.get(name), str):
                # Browsers send textarea line breaks as \r\n; store plain \n, as the loader does.
                cleaned[name] = cleaned[name].replace("\r\n", "\n").replace("\r", "\n")
        return cleaned

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"], "The title")

    def clean_summary(self) -> str:
        return _one_line(self.cleaned_data["summary"], "The summary")

    def clean_ratings_before(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["ratings_before"]))  # each once, in order

    def clean_ratings_after(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["ratings_after"]))

    def clean_steps(self) -> list[str]:
        steps = _lines(self.cleaned_data["steps"])
        if not steps:
            raise forms.ValidationError("Please add at least one step, one per line.")
        if len(steps) > MAX_STEPS:
            raise forms.ValidationError(
                f"There are {len(steps)} steps; up to {MAX_STEPS} fit. Could you combine some? "
                "Nothing you typed has been lost."
            )
        long = [n for n, step in enumerate(steps, start=1) if len(step) > MAX_STEP]
        if long:
            raise forms.ValidationError(
                f"Step {long[0]} is longer than {MAX_STEP} characters. Could you split it into "
                "two steps? Each step works best as one action."
            )
        return steps

    def clean_reflection_prompts(self) -> list[str]:
        prompts = _lines(self.cleaned_data["reflection_prompts"])
        if not prompts:
            raise forms.ValidationError(
                "Please add at least one question your client might reflect on, one per line."
            )
        if len(prompts) > MAX_PROMPTS:
            raise forms.ValidationError(
                f"There are {len(prompts)} prompts; up to {MAX_PROMPTS} fit. Could you choose "
                "the ones that matter most?"
            )
        if any(len(prompt) > MAX_PROMPT for prompt in prompts):
            raise forms.ValidationError(
                f"Each prompt can be up to {MAX_PROMPT} characters. Could you shorten the "
                "longest one?"
            )
        return prompts

    def exercise_fields(self) -> dict[str, Any]:
        """The cleaned values, named as the exercise actions take them."""
        return {name: self.cleaned_data[name] for name in self.fields}

    @staticmethod
    def initial_from(version: ExerciseVersion) -> dict[str, Any]:
        """The form's starting values: the version's text, lists one item per line."""
        initial: dict[str, Any] = {
            name: getattr(version, name) for name in ExerciseForm.base_fields
        }
        initial["steps"] = "\n".join(version.steps)
        initial["reflection_prompts"] = "\n".join(version.reflection_prompts)
        return initial
