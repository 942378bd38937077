from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from interlude.checkins.questions import MAX_ADDED, Question, agenda
from interlude.sharing.visibility import Visibility

MAX_ANSWER = 5_000
MAX_NOTE = 5_000
MAX_QUESTION = 300
SHARE, KEEP = "share", "keep"


@dataclass(frozen=True)
class Choices:
    """Who an answer can go to, in this person's words. PARTNER is the linked partner's name
    when the person may share with them now (linked, with sharing turned on), else ""."""

    therapist: str
    partner: str = ""


@dataclass(frozen=True)
class Row:
    """One question of the form with its fields, in the order the page shows them."""

    question: Question
    answer: forms.BoundField
    share: forms.BoundField | None
    therapist: forms.BoundField


def visibility_of(*, share: bool, therapist: bool) -> str:
    if share:
        return Visibility.BOTH if therapist else Visibility.PARTNER
    return Visibility.THERAPIST if therapist else Visibility.ONLY_ME


class PreparationForm(forms.Form):
    """A person's answers, and for each who may read it. Every answer may stay blank."""

    def __init__(
        self,
        data: Any = None,
        *,
        questions: Sequence[Question],
        choices: Choices,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.questions = list(questions)
        self.choices = choices
        for question in self.questions:
            self.fields[question.field] = forms.CharField(
                label=question.text,
                required=False,
                strip=False,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"This is longer than {MAX_ANSWER:,} characters. A few words "
                    "are enough here; the rest could go in your journal. Nothing has been lost."
                },
            )
            if choices.partner:
                self.fields[f"share-{question.key}"] = forms.ChoiceField(
                    label="Who sees this answer?",
                    required=False,
                    initial=KEEP,
                    widget=forms.RadioSelect,
                    choices=[
                        (KEEP, "Keep for our session"),
                        (SHARE, f"Share with {choices.partner}"),
                    ],
                )
            self.fields[f"therapist-{question.key}"] = forms.BooleanField(
                label=f"{choices.therapist}, your therapist, can read it"
                + (" too" if choices.partner else ""),
                required=False,
            )

    def rows(self) -> list[Row]:
        share = bool(self.choices.partner)
        return [
            Row(
                question=q,
                answer=self[q.field],
                share=self[f"share-{q.key}"] if share else None,
                therapist=self[f"therapist-{q.key}"],
            )
            for q in self.questions
        ]

    def answers(self) -> list[tuple[int, Question, str, str]]:
        """(position, question, text, visibility) for each question whose answer was sent
        (blank ones too: a blank answer keeps nothing), in order. An answer not sent at all,
        such as by a button outside the form, is left as it was."""
        data = self.cleaned_data
        return [
            (
                position,
                q,
                data.get(q.field) or "",
                visibility_of(
                    share=data.get(f"share-{q.key}") == SHARE,
                    therapist=bool(data.get(f"therapist-{q.key}")),
                ),
            )
            for position, q in enumerate(self.questions)
            if q.field in self.data
        ]


def initial_from(answers: Sequence[Any]) -> dict[str, Any]:
    """The form's starting values from saved answers (Answer rows)."""
    initial: dict[str, Any] = {}
    for answer in answers:
        visibility = answer.effective_visibility
        initial[f"answer-{answer.key}"] = answer.text
        initial[f"share-{answer.key}"] = (
            SHARE if visibility in (Visibility.PARTNER, Visibility.BOTH) else KEEP
        )
        initial[f"therapist-{answer.key}"] = visibility in (Visibility.THERAPIST, Visibility.BOTH)
    return initial


class AgreedForm(forms.Form):
    text = forms.CharField(
        label="The note of what you agreed",
        required=False,
        strip=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="You can both read it and change it; earlier versions are kept.",
        error_messages={
            "max_length": f"This is longer than {MAX_NOTE:,} characters. Could you shorten it a "
            "little? Nothing has been lost."
        },
    )
    # The version the person started from: saving over a newer one asks them to look first.
    base = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class AgendaForm(forms.Form):
    """The therapist's tailoring: which sections to keep, and a question to add."""

    sections = forms.MultipleChoiceField(
        label="Sections in their check-in",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Sections you turn off are left out from the next preparation on.",
    )
    question = forms.CharField(
        label="Add a question of your own",
        required=False,
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One question, in a sentence or two. It is asked after the sections above.",
        error_messages={
            "max_length": f"A question can be up to {MAX_QUESTION} characters. Nothing has been "
            "lost."
        },
    )

    def __init__(self, *args: Any, added: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.added = added
        field = self.fields["sections"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(s.slug, s.title) for s in agenda().sections]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = bool((data.get("question") or "").strip())
        if new and self.added >= MAX_ADDED:
            self.add_error(
                "question",
                f"A check-in can hold up to {MAX_ADDED} questions of your own. Remove one to "
                "add another.",
            )
        if not data.get("sections") and not self.added and not new:
            self.add_error("sections", "Keep at least one section, or add a question of your own.")
        return data
