"""What a guide will say and when: the chosen body-scan script, or a breathing pattern for a
chosen number of minutes between the opening and closing cues. Built on the server and written
into the page as data; the page's script only follows it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from interlude.guides.models import GuideKind
from interlude.guides.scripts import (
    BodyScans,
    Breathing,
    BreathingPattern,
    load_body_scans,
    load_breathing,
)

# The paced-breathing exercise says never to hold the breath, so its guide offers only the
# patterns without a pause. (The box pattern stays in the content for a later exercise that
# includes short pauses on purpose.)
PAUSES_ALLOWED = {GuideKind.BODY_SCAN: False, GuideKind.BREATHING: False}
DEFAULT_SCAN_MINUTES = 10


@cache
def body_scans() -> BodyScans:
    return load_body_scans()


@cache
def breathing() -> Breathing:
    return load_breathing()


def has_pause(pattern: BreathingPattern) -> bool:
    return any(phase.name == "hold" for phase in pattern.phases)


def offered_patterns(kind: str = GuideKind.BREATHING) -> tuple[BreathingPattern, ...]:
    """The breathing patterns this guide offers (without pauses unless the exercise has them)."""
    allowed = PAUSES_ALLOWED.get(GuideKind(kind), False)
    return tuple(p for p in breathing().patterns if allowed or not has_pause(p))


def scan_lengths() -> tuple[int, ...]:
    return tuple(script.minutes for script in body_scans().scripts)


def breathing_lengths() -> tuple[int, ...]:
    return breathing().durations_minutes


@dataclass(frozen=True)
class Line:
    """One line of the guide, shown for SECONDS; PACED is the breathing part itself."""

    text: str
    seconds: int
    paced: bool = False


@dataclass(frozen=True)
class Plan:
    kind: str
    title: str
    minutes: int
    lines: tuple[Line, ...]
    pattern: BreathingPattern | None = None

    @property
    def seconds(self) -> int:
        return sum(line.seconds for line in self.lines)

    @property
    def total_minutes(self) -> int:
        """The whole guide, rounded to whole minutes."""
        return max(1, round(self.seconds / 60))


@dataclass(frozen=True)
class Choice:
    """What will be played: a length in minutes and, for breathing, a pattern's slug."""

    kind: str
    minutes: int
    pattern: str = ""


def choose(
    kind: str,
    *,
    minutes: object = None,
    pattern: object = None,
    default_minutes: int | None = None,
    default_pattern: str = "",
) -> Choice:
    """The asked-for length and pattern where they are on offer; else the therapist's default;
    else the content's own default."""
    if kind == GuideKind.BODY_SCAN:
        lengths = scan_lengths()
        fallback = default_minutes if default_minutes in lengths else DEFAULT_SCAN_MINUTES
        return Choice(kind, _pick_minutes(minutes, lengths, fallback))
    lengths = breathing_lengths()
    slugs = [p.slug for p in offered_patterns(kind)]
    content_default = breathing().default if breathing().default in slugs else slugs[0]
    fallback_pattern = default_pattern if default_pattern in slugs else content_default
    fallback_minutes = default_minutes if default_minutes in lengths else lengths[len(lengths) // 2]
    chosen = pattern if isinstance(pattern, str) and pattern in slugs else fallback_pattern
    return Choice(kind, _pick_minutes(minutes, lengths, fallback_minutes), chosen)


def _pick_minutes(value: object, lengths: tuple[int, ...], fallback: int) -> int:
    text = str(value or "")
    if text.isdigit() and len(text) <= 3 and int(text) in lengths:
        return int(text)
    return fallback


def plan_for(choice: Choice) -> Plan:
    """The whole guide for CHOICE."""
    if choice.kind == GuideKind.BODY_SCAN:
        script = body_scans().for_minutes(choice.minutes)
        lines = tuple(Line(cue.text, cue.seconds) for cue in script.cues)
        return Plan(choice.kind, script.title, choice.minutes, lines)
    content = breathing()
    pattern = content.pattern(choice.pattern)
    steps = ", ".join(f"{p.cue.lower()} for {p.seconds}" for p in pattern.phases)
    # The length chosen is the whole guide: the count fills what the opening and closing
    # cues leave (at least a minute).
    around = sum(c.seconds for c in (*content.opening, *content.closing))
    paced = Line(
        f"Now follow the count: {steps}.",
        max(60, choice.minutes * 60 - around),
        paced=True,
    )
    lines = (
        *(Line(c.text, c.seconds) for c in content.opening),
        paced,
        *(Line(c.text, c.seconds) for c in content.closing),
    )
    return Plan(choice.kind, pattern.title, choice.minutes, lines, pattern)


def describe(kind: str, minutes: int, pattern: str = "") -> str:
    """A guide in a few words, for the therapist: "the 10-minute body scan"."""
    if kind == GuideKind.BODY_SCAN:
        return f"the {minutes}-minute body scan"
    try:
        title = breathing().pattern(pattern).title
    except KeyError:
        return f"the {minutes}-minute breathing guide"
    return f"the {minutes}-minute breathing guide ({title})"
