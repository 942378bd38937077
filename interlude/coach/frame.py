"""The I feel… when… I'd like… frame: feeling words, assembling a sentence, and verb forms.

`assemble` is also what the coach's page uses when a client fills the three parts in by hand,
so it copes with whatever people type: trailing full stops, a repeated "I feel", empty parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GAP = "…"


@dataclass(frozen=True)
class FeelingGroup:
    """A handful of feeling words that sit near each other, with a plain name for the group."""

    name: str
    words: tuple[str, ...]


FEELINGS: tuple[FeelingGroup, ...] = (
    FeelingGroup("Hurt or low", ("hurt", "sad", "disappointed", "lonely", "left out", "low")),
    FeelingGroup("Unseen", ("overlooked", "unseen", "unheard", "far away from you", "alone")),
    FeelingGroup(
        "Worried or unsure",
        ("anxious", "nervous", "unsure", "uneasy", "worried", "self-conscious", "exposed"),
    ),
    FeelingGroup("Under pressure", ("rushed", "pressured", "overwhelmed", "tense", "stretched")),
    FeelingGroup("Frustrated or tired", ("frustrated", "irritated", "impatient", "tired", "stuck")),
    FeelingGroup("Longing", ("longing", "wistful", "curious", "restless", "eager")),
    FeelingGroup(
        "Warm or hopeful",
        ("hopeful", "close", "relieved", "grateful", "calm", "safe", "tender", "playful"),
    ),
)


def feeling_words() -> list[str]:
    """Every feeling word, in group order."""
    return [word for group in FEELINGS for word in group.words]


_FEELING_LEAD = re.compile(
    r"^(?:i\s+(?:feel|felt|am\s+feeling|'m\s+feeling|’m\s+feeling)\s+)", re.I
)
_SITUATION_LEAD = re.compile(r"^(?:when|whenever)\s+", re.I)
_REQUEST_LEAD = re.compile(
    r"^(?:and\s+)?(?:i(?:['’]d|\s+would)\s+(?:really\s+)?(?:like|love)\s+)?", re.I
)
_KEEP_CAPITAL = re.compile(
    r"^(?:I|I['’](?:m|d|ve|ll)|[A-Z]{2,}\b|\w+[A-Z]\w*|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|January|February|March|April|May|June|July|August|September|October|November|December)\b"
)


def lower_start(words: str) -> str:
    """Lower-case the first letter, unless it starts "I", an acronym, a day or a month."""
    if words and not _KEEP_CAPITAL.match(words):
        return words[0].lower() + words[1:]
    return words


def _tidy(part: str, lead: re.Pattern[str], *, last: bool) -> str:
    part = " ".join(part.split())
    part = lead.sub("", part, count=1)
    part = part.rstrip(" .,;:" if last else " .,;:!?")
    return lower_start(part)


def assemble(feeling: str, situation: str, request: str) -> str:
    """Build "I feel {feeling} when {situation}, and I'd like {request}." from the three parts.

    Each part is trimmed, loses a trailing full stop and any lead the client typed twice
    ("I feel", "when", "I'd like"), and starts in lower case unless it begins with "I", an
    acronym or a day or month. Empty parts are left out and the sentence closes up around them;
    with all three empty the result is empty.
    """
    request_part = _tidy(request, _REQUEST_LEAD, last=True)
    situation_part = _tidy(situation, _SITUATION_LEAD, last=not request_part)
    feeling_part = _tidy(feeling, _FEELING_LEAD, last=not (request_part or situation_part))
    if feeling_part and situation_part:
        sentence = f"I feel {feeling_part} when {situation_part}"
    elif feeling_part:
        sentence = f"I feel {feeling_part}"
    elif situation_part:
        sentence = f"When {situation_part}"
    else:
        sentence = ""
    if request_part:
        if feeling_part:
            sentence = f"{sentence}, and I'd like {request_part}"
        elif sentence:
            sentence = f"{sentence}, I'd like {request_part}"
        else:
            sentence = f"I'd like {request_part}"
    if sentence and sentence[-1] not in "!?…":
        sentence += "."
    return sentence


# --- Verb forms, for turning the client's words into a situation
_IRREGULAR_BASE = {
    "said": "say", "made": "make", "did": "do", "went": "go", "took": "take", "gave": "give",
    "told": "tell", "came": "come", "got": "get", "left": "leave", "forgot": "forget",
    "thought": "think", "brought": "bring", "bought": "buy", "held": "hold", "kept": "keep",
    "put": "put", "let": "let", "felt": "feel", "knew": "know", "saw": "see", "heard": "hear",
    "sent": "send", "spent": "spend", "sat": "sit", "ran": "run", "met": "meet", "paid": "pay",
    "was": "be", "were": "be", "is": "be", "are": "be", "has": "have", "had": "have",
    "does": "do", "goes": "go",
}  # fmt: skip
_DOUBLE = {"put", "get", "stop", "sit", "plan", "hug", "chat", "shop", "run", "let", "set", "cut",
           "hit", "nap", "tap", "skip", "grab", "drop", "rub", "snap", "nag", "jog", "swim",
           "begin", "forget", "admit", "commit", "prefer", "refer"}  # fmt: skip
_STATIVE = {"want", "like", "love", "need", "know", "seem", "have", "care", "mean", "understand",
            "remember", "believe", "think", "prefer", "be", "feel", "mind", "hate"}  # fmt: skip


def base_form(verb: str) -> str:
    """The dictionary form of a verb the client wrote in the past or third person."""
    if verb in _IRREGULAR_BASE:
        return _IRREGULAR_BASE[verb]
    if verb.endswith("ied") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith("ed") and len(verb) > 4:
        stem = verb[:-2]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]
        if stem.endswith(("at", "iv", "ur", "as", "us", "ng", "it", "ak", "in", "ov", "ar", "ag")):
            return stem + "e" if stem.endswith(("at", "iv", "ur", "as", "us", "ov", "ar")) else stem
        return stem
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes")):
        return verb[:-2]
    if verb.endswith("s") and not verb.endswith("ss") and len(verb) > 3:
        return verb[:-1]
    return verb


def gerund(verb: str) -> str:
    """The -ing form of a verb in its dictionary form."""
    if verb == "be":
        return "being"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if verb in _DOUBLE:
        return verb + verb[-1] + "ing"
    return verb + "ing"


_FILLERS = re.compile(
    r"\b(?:ever|anymore|any\s+more|at\s+all|just|even|for\s+once|once|again|really|actually"
    r"|literally|honestly|seriously|all\s+the\s+time|constantly|always|by\s+now|already)\b",
    re.I,
)
# Words of certainty: a worry offered as the speaker's own keeps its meaning but not these.
_CERTAINTY = re.compile(
    r"\b(?:obviously|clearly|evidently|definitely|surely|honestly|literally|at\s+all|even|deep"
    r"\s+down|secretly)\b",
    re.I,
)


def without_fillers(words: str) -> str:
    """The client's words without "ever", "anymore", "just" and other intensifiers."""
    return " ".join(_FILLERS.sub(" ", words).split())


def as_worry(words: str) -> str:
    """The client's claim about their partner, without its certainty, ready for "I worry that"."""
    return lower_start(" ".join(_CERTAINTY.sub(" ", words).split()))


def not_doing(predicate: str) -> str:
    """'listen to me' -> "I'm talking and it seems you aren't listening" style situations.

    Turns what the client says the partner never does into what is missing right now, which is
    closer to one specific moment than "never" is.
    """
    predicate = without_fillers(predicate)
    if not predicate:
        return ""
    head, _, rest = predicate.partition(" ")
    verb = base_form(head.lower())
    if verb == "listen":
        return "I'm talking and it seems you aren't listening"
    if verb in _STATIVE or "'" in head or "’" in head:
        return f"it seems you don't {verb} {rest}".strip()
    return f"it seems you aren't {gerund(verb)} {rest}".strip()
