"""The coach's findings as a person reads them: numbered notes, and their words with each
flagged part marked (underlined and numbered, never by colour alone).

For someone with no linked partner the explanations say "the other person" instead of "your
partner": a client whose partner is not taking part is never reminded of it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from interlude.coach.rules import LEAD, Analysis, analyse

# Written for Interlude, in the same voice as rules.PATTERNS, with no partner wording.
SOLO_EXPLANATIONS = {
    "absolute": (
        "“Always” and “never” can sound like a verdict on everything, and the other person may "
        "answer the exception instead of the hurt. One recent moment, and how it felt, is "
        "easier to hear."
    ),
    "accusation": (
        "“You make me…” or “it’s your fault” can land as blame, even when the hurt is real. "
        "Starting from your own feeling makes it easier for the other person to stay and listen."
    ),
    "label": (
        "A word like “selfish” or “lazy” describes who someone is, which is hard to hear and "
        "hard to change. Describing one thing that happened, and how you felt, gives you "
        "something to work with."
    ),
    "why_question": (
        "“Why don’t you…?” can sound like an accusation rather than a real question. Saying "
        "plainly what you would like is often easier to answer."
    ),
    "demand": (
        "“You need to…” or “you have to…” can sound like an order, and people often push back "
        "against orders. A request in your own words leaves room for a yes."
    ),
    "feeling_judgement": (
        "“I feel that you…” usually names a thought about the other person rather than a "
        "feeling. Naming the feeling itself, such as hurt, lonely or unsure, helps them hear "
        "you; the worry can follow as yours."
    ),
    "comparison": (
        "Comparing someone with an ex or with other people can sting, and it moves the talk "
        "away from the person in front of you. Try saying what you would like, in your own "
        "words."
    ),
    "sarcasm": (
        "Sarcasm often carries a real hurt, but the other person may hear only the edge. Saying "
        "the hurt plainly gives it a better chance of being heard."
    ),
    "mind_reading": (
        "Telling someone what they feel or intend (“you don’t care”) can leave them defending "
        "themselves. Your worry matters: you can share it as yours, and ask."
    ),
}

NOTHING_FOUND = "Nothing here looks likely to land as blame."
SOMETHING_FOUND = "Some of these words might land as blame. The notes suggest another way."


@dataclass(frozen=True)
class Note:
    number: int
    title: str
    explanation: str
    reframe: str
    words: tuple[str, ...]  # the flagged words, as written


@dataclass(frozen=True)
class Notes:
    """What the coach shows for one piece of writing."""

    text: str
    notes: tuple[Note, ...]
    marked: SafeString

    lead = LEAD

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def summary(self) -> str:
        if self.blank:
            return ""
        return SOMETHING_FOUND if self.notes else NOTHING_FOUND


def notes_for(text: str, *, solo: bool) -> Notes:
    """The coach's notes on TEXT, worded for someone with a linked partner or without one."""
    analysis = analyse(text)
    notes = tuple(
        Note(
            number=number,
            title=finding.title,
            explanation=SOLO_EXPLANATIONS[finding.pattern] if solo else finding.explanation,
            reframe=finding.reframe,
            words=tuple(text[start:end] for start, end in finding.spans),
        )
        for number, finding in enumerate(analysis.findings, start=1)
    )
    return Notes(text=text, notes=notes, marked=marked(analysis))


def marked(analysis: Analysis) -> SafeString:
    """The text, escaped, with each flagged part in <mark> followed by its note numbers."""
    text = analysis.text
    spans = sorted(
        (start, end, number)
        for number, finding in enumerate(analysis.findings, start=1)
        for start, end in finding.spans
    )
    merged: list[tuple[int, int, list[int]]] = []
    for start, end, number in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), sorted({*last[2], number}))
        else:
            merged.append((start, end, [number]))
    parts: list[str] = []
    at = 0
    for start, end, numbers in merged:
        parts.append(escape(text[at:start]))
        refs = ", ".join(str(n) for n in numbers)
        label = "note" if len(numbers) == 1 else "notes"
        parts.append(
            format_html(
                '<mark class="coach-mark">{}</mark><sup class="coach-ref">'
                '<span class="coach-sr"> ({} </span>{}<span class="coach-sr">)</span></sup>',
                text[start:end],
                label,
                refs,
            )
        )
        at = end
    parts.append(escape(text[at:]))
    # Every part was escaped above.
    return mark_safe("".join(parts))  # noqa: S308
