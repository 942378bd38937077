"""The I-statement coach: find blame patterns in a draft and offer the I feel… when… frame.

Pure Python and deterministic: nothing leaves Interlude and no model is involved. `analyse()`
is the one entry point; `assemble()` and `FEELINGS` serve the page where a client builds the
sentence by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interlude.coach.claims import absolutes, accusations
from interlude.coach.forms import comparisons, demands, feeling_judgements, sarcasm, why_questions
from interlude.coach.frame import FEELINGS, GAP, FeelingGroup, assemble, feeling_words
from interlude.coach.hit import Hit
from interlude.coach.judgements import labels, mind_readings
from interlude.coach.text import Sentence, sentences

__all__ = [
    "FEELINGS",
    "LEAD",
    "MAX_CHARS",
    "PATTERNS",
    "Analysis",
    "FeelingGroup",
    "Finding",
    "Pattern",
    "analyse",
    "assemble",
    "feeling_words",
]

LEAD = "This might land as blame; here is another way to say it."

# The coach reads this much of a draft; the rest is left as it is. Far beyond any message to a
# partner, and it keeps the work bounded whatever is pasted in.
MAX_CHARS = 20_000


@dataclass(frozen=True)
class Pattern:
    """A blame pattern's stable id and the gentle words the coach shows for it."""

    id: str
    title: str
    explanation: str


PATTERNS: dict[str, Pattern] = {
    p.id: p
    for p in (
        Pattern(
            "absolute",
            "An “always” or a “never”",
            "“Always” and “never” can sound like a verdict on your whole relationship, and your "
            "partner may answer the exception instead of the hurt. One recent moment, and how it "
            "felt, is easier to hear.",
        ),
        Pattern(
            "accusation",
            "Your feeling, placed on them",
            "“You make me…” or “it’s your fault” can land as blame, even when the hurt is real. "
            "Starting from your own feeling makes it easier for your partner to stay and listen.",
        ),
        Pattern(
            "label",
            "A label for who they are",
            "A word like “selfish” or “lazy” describes who someone is, which is hard to hear and "
            "hard to change. Describing one thing that happened, and how you felt, gives you both "
            "something to work with.",
        ),
        Pattern(
            "why_question",
            "A question carrying a complaint",
            "“Why don’t you…?” can sound like an accusation rather than a real question. Saying "
            "plainly what you would like is often easier to answer.",
        ),
        Pattern(
            "demand",
            "It may sound like an order",
            "“You need to…” or “you have to…” can sound like an order, and people often push "
            "back against orders. A request in your own words leaves room for a yes.",
        ),
        Pattern(
            "feeling_judgement",
            "A thought dressed as a feeling",
            "“I feel that you…” usually names a thought about your partner rather than a feeling. "
            "Naming the feeling itself, such as hurt, lonely or unsure, helps your partner hear "
            "you; the worry can follow as yours.",
        ),
        Pattern(
            "comparison",
            "A comparison with someone else",
            "Comparing your partner with an ex, a friend’s partner or other couples can sting, "
            "and it moves the talk away from the two of you. Try saying what you would like for "
            "your relationship.",
        ),
        Pattern(
            "sarcasm",
            "Sarcasm",
            "Sarcasm often carries a real hurt, but your partner may hear only the edge. Saying "
            "the hurt plainly gives it a better chance of being heard.",
        ),
        Pattern(
            "mind_reading",
            "Guessing what they think or feel",
            "Telling your partner what they feel or intend (“you don’t care”) can leave them "
            "defending themselves. Your worry matters: you can share it as yours, and ask.",
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    """One pattern in one sentence of the draft.

    `spans` are (start, end) character offsets into the text as the client wrote it, one per
    place the pattern shows in that sentence. `reframe` is the I feel… when… I'd like… frame
    with the client's own words where the rule could find them and "…" where they fill it in.
    """

    pattern: str
    spans: tuple[tuple[int, int], ...]
    title: str
    explanation: str
    reframe: str


@dataclass(frozen=True)
class Analysis:
    """What the coach found in one draft, in the order the findings appear in the text."""

    text: str
    findings: tuple[Finding, ...]

    @property
    def blame(self) -> bool:
        """Whether any part of the draft might land as blame."""
        return bool(self.findings)

    @property
    def patterns(self) -> frozenset[str]:
        """The ids of every pattern found."""
        return frozenset(f.pattern for f in self.findings)


Detector = Callable[[Sentence], list[Hit]]
DETECTORS: tuple[Detector, ...] = (
    absolutes,
    accusations,
    labels,
    mind_readings,
    why_questions,
    demands,
    feeling_judgements,
    comparisons,
    sarcasm,
)


def analyse(text: str) -> Analysis:
    """Find the blame patterns in a draft, one finding per pattern per sentence.

    Deterministic and local: the same text always gives the same findings. Only the first
    `MAX_CHARS` characters are read; spans always index into `text` as given.
    """
    findings: list[Finding] = []
    for sentence in sentences(text[:MAX_CHARS]):
        hits = _without_echoes([hit for detect in DETECTORS for hit in detect(sentence)])
        for pattern_id in dict.fromkeys(hit.pattern for hit in sorted(hits, key=lambda h: h.span)):
            same = [hit for hit in hits if hit.pattern == pattern_id]
            findings.append(_finding(pattern_id, same))
    findings.sort(key=lambda f: f.spans[0])
    return Analysis(text=text, findings=tuple(findings))


# A pattern whose hit sits inside another's says the same thing twice: "I feel like you don't
# care" is one judgement dressed as a feeling, not also a separate piece of mind-reading.
_ECHOES = {"mind_reading": "feeling_judgement"}


def _without_echoes(hits: list[Hit]) -> list[Hit]:
    kept = []
    for hit in hits:
        host = _ECHOES.get(hit.pattern)
        if host and any(
            other.pattern == host
            and other.span[0] <= hit.span[1]
            and hit.span[0] <= other.span[1] + 40
            for other in hits
        ):
            continue
        kept.append(hit)
    return kept


def _finding(pattern_id: str, hits: list[Hit]) -> Finding:
    spans = _merge(sorted(hit.span for hit in hits))
    pattern = PATTERNS[pattern_id]
    return Finding(
        pattern=pattern_id,
        spans=tuple(spans),
        title=pattern.title,
        explanation=pattern.explanation,
        reframe=_reframe(hits),
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _reframe(hits: list[Hit]) -> str:
    """The frame filled with the richest words any of the hits found."""
    feeling = next((h.feeling for h in hits if h.feeling), "")
    situation = next((h.situation for h in hits if h.situation), "")
    request = next((h.request for h in hits if h.request), "")
    worry = next((h.worry for h in hits if h.worry), "")
    sentence = assemble(feeling or GAP, situation or GAP, request or GAP)
    if worry:
        sentence += (
            f" If it helps, you can add the worry as yours: “I start to worry that {worry}.”"
        )
    return sentence
