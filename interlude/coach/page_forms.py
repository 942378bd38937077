"""Input validation for the helper's pages. (`forms.py` in this app is the coach's rules for
forms of speech, such as demands and sarcasm, not Django forms.)"""

from __future__ import annotations

from typing import Any

from django import forms

from interlude.coach.rules import FEELINGS, MAX_CHARS

MAX_PART = 300
MAX_SENTENCE = 2_000
# The journal's own limit for one entry (interlude.journal.forms.MAX_ENTRY; the tools do not
# import each other, so it is repeated here and checked by a test).
MAX_JOURNAL_ENTRY = 50_000

TOO_LONG = "This is longer than {limit:,} characters. Could you shorten it a little? Nothing has been lost."  # noqa: E501


def _text(label: str, limit: int, *, rows: int | None = None, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={"max_length": TOO_LONG.format(limit=limit)},
    )


class DraftForm(forms.Form):
    """What a client is drafting: their words as they came, and the frame's three parts."""

    text = _text(
        "What would you like to say?",
        MAX_CHARS,
        rows=6,
        help_text="Write it the way it first comes out. Nobody else sees this page.",
    )
    feeling = forms.ChoiceField(
        label="I feel…",
        required=False,
        choices=[("", "Choose a feeling word")]
        + [(group.name, [(word, word) for word in group.words]) for group in FEELINGS],
        help_text="One plain word is enough.",
    )
    feeling_own = _text("Or a feeling word of your own", 80)
    situation = _text(
        "…when…",
        MAX_PART,
        help_text="One moment, described the way a camera would see it.",
    )
    wish = _text(
        "…and I'd like…",
        MAX_PART,
        help_text="Something specific you could ask for, said as what you want.",
    )
    sentence = _text(
        "Your sentence",
        MAX_SENTENCE,
        rows=3,
        help_text="Change anything you like. Building it again starts it afresh.",
    )

    def parts(self) -> dict[str, str]:
        """The draft's parts as kept: the feeling is the person's own word when they gave one."""
        data = self.cleaned_data
        return {
            "text": data.get("text") or "",
            "feeling": (data.get("feeling_own") or "").strip() or data.get("feeling") or "",
            "situation": data.get("situation") or "",
            "wish": data.get("wish") or "",
            "sentence": data.get("sentence") or "",
        }


def initial_from(draft: Any) -> dict[str, str]:
    """The form's values from a saved draft (CoachDraft)."""
    if draft is None:
        return {}
    words = {word for group in FEELINGS for word in group.words}
    feeling = draft.feeling
    return {
        "text": draft.text,
        "feeling": feeling if feeling in words else "",
        "feeling_own": "" if feeling in words else feeling,
        "situation": draft.situation,
        "wish": draft.wish,
        "sentence": draft.sentence,
    }


class JournalCopyForm(forms.Form):
    """The journal's own fields (its page takes the POST), so the text can be looked at and
    changed before it is saved there."""

    body = forms.CharField(
        label="What goes into your journal",
        max_length=MAX_JOURNAL_ENTRY,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    visibility = forms.ChoiceField(label="Who can see this?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, allowed: list[str], labels: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["visibility"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, labels[v]) for v in allowed]
