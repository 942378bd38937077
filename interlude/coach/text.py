"""Text helpers for the coach: normalising without moving offsets, sentences, clauses, polarity.

Every helper keeps character offsets identical to the original text, so a span found in the
normalised text can be highlighted in what the client wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from interlude.coach.lexicon import NEGATIVE, NEGATORS, POSITIVE

_SAME_LENGTH = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "—",
        "\u00a0": " ",
    }  # fmt: skip
)

# Short names for the spellings people type, with and without apostrophes.
MACROS = {
    "you": r"(?:you|u)",
    "youre": r"(?:you'?re|you\s+are|u\s+r)",
    "youve": r"(?:you'?ve|you\s+have)",
    "youd": r"(?:you'?d|you\s+would)",
    "youll": r"(?:you'?ll|you\s+will)",
    "dont": r"(?:don'?t|do\s+not)",
    "doesnt": r"(?:doesn'?t|does\s+not)",
    "didnt": r"(?:didn'?t|did\s+not)",
    "cant": r"(?:can'?t|cannot|can\s+not)",
    "wont": r"(?:won'?t|will\s+not)",
    "wouldnt": r"(?:wouldn'?t|would\s+not)",
    "couldnt": r"(?:couldn'?t|could\s+not)",
    "isnt": r"(?:isn'?t|is\s+not)",
    "arent": r"(?:aren'?t|are\s+not)",
    "im": r"(?:i'?m|i\s+am)",
    "its": r"(?:it'?s|it\s+is|this\s+is|that'?s|that\s+is)",
    "s": r"\s+",
    "w": r"[a-z'-]+",
}
_MACRO = re.compile(r"\{(\w+)\}")


def rx(source: str) -> re.Pattern[str]:
    """Compile a rule pattern, expanding {macros}; whole-word boundaries are up to the pattern."""
    return re.compile(_MACRO.sub(lambda m: MACROS[m.group(1)], source))


def normalise(text: str) -> str:
    """Lower case with straight quotes, keeping every character at its offset."""
    text = text.translate(_SAME_LENGTH)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offset in the whole text, its text as written and normalised, and the
    stretches in quotation marks (offsets within the sentence)."""

    start: int
    text: str
    original: str
    quoted: tuple[tuple[int, int], ...]

    def words(self, start: int, end: int) -> str:
        """The client's own words between two offsets in the sentence, trimmed."""
        return self.original[start:end].strip(" ,;:—–-\"'“”")

    def absolute(self, start: int, end: int) -> tuple[int, int]:
        """A span in the sentence as a span in the whole text."""
        return (self.start + start, self.start + end)

    def in_quotes(self, pos: int) -> bool:
        """Whether `pos` sits inside quotation marks, i.e. words someone else said or will say."""
        return any(start < pos < end for start, end in self.quoted)


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?…]+[\"')]*|$)|[.!?\n]+")
_QUOTED = re.compile(r'"[^"\n]*"')


# A sentence longer than this is read in pieces, cut at clause punctuation where possible, so
# the work per piece stays small whatever someone pastes in.
LONGEST_SENTENCE = 300


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > LONGEST_SENTENCE:
        window = text[start : start + LONGEST_SENTENCE]
        cut = max(window.rfind(mark) for mark in ",;:—")
        if cut < LONGEST_SENTENCE // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = LONGEST_SENTENCE - 1
        yield start, start + cut + 1
        start += cut + 1
    yield start, end


def sentences(original: str) -> list[Sentence]:
    """Split into sentences, keeping quoted stretches whole so their full stops don't split.

    Very long sentences come back in pieces of at most `LONGEST_SENTENCE` characters.
    """
    normalised = normalise(original)
    quotes = [m.span() for m in _QUOTED.finditer(normalised)]
    # Stand-in text with quoted punctuation blanked, so a quote never ends a sentence early.
    blanked = list(normalised)
    for start, end in quotes:
        for i in range(start + 1, end - 1):
            if blanked[i] in ".!?\n":
                blanked[i] = ","
    found = []
    spans = [
        piece
        for match in _SENTENCE.finditer("".join(blanked))
        for piece in _pieces(normalised, *match.span())
    ]
    for start, end in spans:
        if not normalised[start:end].strip(" .!?\n"):
            continue
        inside = tuple(
            (max(q0, start) - start, min(q1, end) - start)
            for q0, q1 in quotes
            if q0 < end and q1 > start
        )
        found.append(Sentence(start, normalised[start:end], original[start:end], inside))
    return found


# Where a clause starts: punctuation, or a conjunction that begins a new thought.
_CLAUSE_START = re.compile(r"[,;:—(]|\b(?:but|however|though|although|yet|and|because)\b")
_PREDICATE_END = re.compile(
    r"[,;:.!?—()\"]|\b(?:and|but|when|whenever|because|if|while|after|before|until|unless"
    r"|since|though|although|whereas|except|or|which|even\s+though|every\s+time)\b"
)
_SUBORDINATE = re.compile(
    r"\b(?:when|whenever|if|unless|after|before|while|once|until|since|as\s+soon\s+as|in\s+case"
    r"|what|whatever|anything|everything|everyone|whenever|wherever|how|the\s+way|that\s+way)\b"
)
_NEGATED_FRAME = re.compile(
    r"\bnot\s+that\b|\bisn'?t\s+that\b|\b(?:don'?t|do\s+not|didn'?t)\s+(?:think|believe|mean"
    r"|feel|want\s+to\s+say|say)\b|\bnot\s+saying\b|\bnot\s+accusing\b|\bnot\s+calling\b"
    r"|\bnever\s+said\b|\bwouldn'?t\s+say\b|\bnot\s+trying\s+to\s+say\b"
)
_POSITIVE_FRAME = re.compile(
    r"\bi\s+(?:really\s+|just\s+|so\s+)?(?:love|like|adore|appreciate|admire|enjoy|cherish|value)"
    r"\s+(?:it\s+)?(?:that|how|when|the\s+way)\b|\b(?:means?|meant)\s+(?:a\s+lot|so\s+much"
    r"|the\s+world|everything)(?:\s+to\s+me)?\s+(?:that|how|when)\b|\bgrateful\s+(?:that|for)\b"
    r"|\bthank\s+you\s+for\b|\bthanks\s+for\b|\bi'?m\s+(?:so\s+)?(?:glad|lucky|proud)\b"
    r"|\bmy\s+favou?rite\s+thing\b|\bthe\s+thing\s+i\s+love\b"
)
_REPORTED = re.compile(
    r"\b(?:you|u|he|she|they|my\s+\w+)\s+(?:once\s+|just\s+|already\s+)?(?:said|say|says|told\s+me"
    r"|mentioned|explained|shared|admitted|wrote|texted|asked|feel|felt|think|thought)"
    r"(?:\s+to\s+me)?(?:\s+that)?\s*$"
)
_OWN_WORDS = re.compile(
    r"\bi\s+(?:[a-z]+\s+)?(?:said|told\s+you|called\s+you|accused\s+you|snapped|yelled|shouted)\b"
)
_REGRET = re.compile(
    r"\b(?:sorry|regret|unfair|wasn'?t\s+fair|not\s+fair|didn'?t\s+mean|take\s+(?:it|that)\s+back"
    r"|apologi[sz]e|shouldn'?t\s+have|i\s+was\s+wrong|my\s+mistake|wasn'?t\s+kind|was\s+unkind"
    r"|was\s+harsh|went\s+too\s+far)\b"
)


def clause_before(sentence: Sentence, pos: int) -> str:
    """The text of the clause that leads up to `pos`."""
    head = sentence.text[:pos]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    return head[starts[-1] :] if starts else head


# Verbs whose object is itself a clause: "know when I need a hug", "ask before you touch me".
_CLAUSE_OBJECT = re.compile(
    r"^\s*(?:know|knows|knew|ask|asks|asked|notice|notices|noticed|remember|remembers|tell|tells"
    r"|check|checks|wonder|see|sees|understand|understands|sense|senses|care|cares)\s*$"
)


def predicate_after(text: str, pos: int) -> tuple[int, int]:
    """The span of the predicate that starts at `pos`, up to the next clause boundary."""
    match = _PREDICATE_END.search(text, pos)
    if match and match.group(0)[0].isalpha() and _CLAUSE_OBJECT.match(text[pos : match.start()]):
        match = _PREDICATE_END.search(text, match.end())
    end = match.start() if match else len(text)
    while end > pos and text[end - 1].isspace():
        end -= 1
    return (pos, end)


_SITUATION_END = re.compile(
    r"[,;:.!?—()\"]|\b(?:and|but|when|whenever|because|if|unless|since|though|although|whereas"
    r"|except|or|which|even\s+though|every\s+time)\b"
)


def situation_after(text: str, pos: int) -> tuple[int, int]:
    """Like `predicate_after`, but keeping "before bed" and "after work": context for a moment."""
    match = _SITUATION_END.search(text, pos)
    end = match.start() if match else len(text)
    while end > pos and text[end - 1].isspace():
        end -= 1
    return (pos, end)


def is_subordinate(sentence: Sentence, pos: int) -> bool:
    """Whether `pos` sits in an if/when/what clause: a condition or a description, not a claim."""
    return bool(_SUBORDINATE.search(clause_before(sentence, pos)))


def is_negated(sentence: Sentence, pos: int) -> bool:
    """Whether the speaker frames what follows as not so ("I don't think you're...")."""
    head = sentence.text[:pos]
    contrast = [m.end() for m in re.finditer(r"[;—]|\bbut\b|\bhowever\b", head)]
    zone = head[contrast[-1] :] if contrast else head
    return bool(_NEGATED_FRAME.search(zone))


def is_praise_frame(sentence: Sentence, pos: int) -> bool:
    """Whether what follows is introduced as something the speaker loves or is grateful for."""
    return bool(_POSITIVE_FRAME.search(clause_before(sentence, pos)))


def is_reported(sentence: Sentence, pos: int) -> bool:
    """Whether the words at `pos` report what someone said or felt ("you said you never...")."""
    return bool(_REPORTED.search(sentence.text[:pos]))


def is_owned_past_words(sentence: Sentence, pos: int) -> bool:
    """Whether the speaker is quoting their own earlier words with regret."""
    head = sentence.text[:pos]
    return bool(_OWN_WORDS.search(head)) and bool(_REGRET.search(sentence.text))


def is_quiet(sentence: Sentence, pos: int) -> bool:
    """Shared reasons to stay quiet: quoted, negated, reported, or the speaker's own past words."""
    return (
        sentence.in_quotes(pos)
        or is_negated(sentence, pos)
        or is_reported(sentence, pos)
        or is_owned_past_words(sentence, pos)
    )


# "you" as a word, including "you're" and texting's "u".
YOU = rx(r"(?<![\w'])(?:{you})(?![a-z])")
# Text ending in "do", "are", "can"…: what follows is a question ("do you always…?").
INVERTED = re.compile(r"\b(?:do|does|did|are|is|were|have|has|will|would|can|could)\s+$")
# The partner named in the third person.
PARTNER = r"(?:my{s}(?:partner|wife|husband|boyfriend|girlfriend|spouse|fianc[eé]e?|other{s}half))"

_TOKEN = re.compile(r"[a-z][a-z'-]*")


def polarity(phrase: str) -> int:
    """+1 if the phrase is kind or warm, -1 if it is critical or painful, 0 if neither.

    A negator ("not", "never", "without", "don't") flips the next polar word within four words;
    a negator with nothing polar after it reads as an absence, which is negative
    ("leave without saying goodbye"). Anything negative outweighs anything positive.
    """
    found = [(m.start(), m.end(), 1) for m in POSITIVE.finditer(phrase)]
    found += [(m.start(), m.end(), -1) for m in NEGATIVE.finditer(phrase)]
    # Where matches overlap the longer phrase decides: "what you mean to me" is warm although
    # "mean" alone is not; on a tie the critical reading wins.
    marks: list[tuple[int, int, int]] = []  # (start, end, sign)
    for s, e, g in sorted(found, key=lambda mark: (mark[0] - mark[1], mark[2])):
        if not any(s < e2 and s2 < e for s2, e2, _ in marks):
            marks.append((s, e, g))
    marks.sort()
    negators = list(NEGATORS.finditer(phrase))
    signs: list[int] = []
    used: set[int] = set()
    for neg in negators:
        window_end = _nth_word_end(phrase, neg.end(), 4)
        inside = [
            (s, e, g)
            for s, e, g in marks
            if neg.end() <= s < window_end and s not in used and not _overlaps(neg, s, e)
        ]
        if inside:
            s, _e, g = min(inside)
            used.add(s)
            signs.append(-g)
        else:
            signs.append(-1)
    for s, e, g in marks:
        if s in used or any(_overlaps(neg, s, e) for neg in negators):
            continue
        signs.append(g)
    if -1 in signs:
        return -1
    return 1 if 1 in signs else 0


def _overlaps(match: re.Match[str], start: int, end: int) -> bool:
    return match.start() < end and start < match.end()


def _nth_word_end(text: str, pos: int, n: int) -> int:
    end = pos
    for count, m in enumerate(_TOKEN.finditer(text, pos), start=1):
        end = m.end()
        if count == n:
            break
    return end
