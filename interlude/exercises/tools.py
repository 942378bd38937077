"""Which exercises come with an interactive tool, and what its button says.

A tool app (desire map, check-in, coach, ladder, guides, journals) offers its page for an
assignment at the URL named `tool_<name>`, taking `assignment_id`. The practice page links there
when the exercise has a tool (found by slug, or by the built-in exercise a practice's copy was
based on) and the tool's URL exists. Kept in code, not in the content files, so adding a tool
never changes an exercise's text (and so never needs a new version of it).
"""

from __future__ import annotations

from dataclasses import dataclass

from interlude.exercises.models import Exercise


@dataclass(frozen=True)
class Tool:
    name: str  # the URL `tool_<name>` offers it for an assignment
    button: str  # in the client's words, on the practice page
    together: str = ""  # the button when practised with a linked partner (default: the same)


TOOLS: dict[str, Tool] = {
    "desire-mapping": Tool(
        "desire_map", "Open your personal desire map", "Open your shared desire map"
    ),
    "personal-desire-map": Tool("desire_map", "Open your personal desire map"),
    "weekly-intimacy-check-in": Tool(
        "checkin", "Open this week's check-in", "Open this week's check-in together"
    ),
    "weekly-check-in-with-yourself": Tool("checkin", "Open this week's check-in"),
    "i-statement-practice": Tool("coach", "Open the I-statement helper"),
    "preparing-a-conversation": Tool("coach", "Open the I-statement helper"),
    "building-your-ladder": Tool("ladder", "Open your ladder"),
    "practising-a-ladder-step": Tool("ladder", "Open your ladder"),
    "exposure-journal": Tool("ladder", "Open your ladder"),
    "body-scan": Tool("guide", "Start the guided body scan"),
    "paced-breathing": Tool("guide", "Start the breathing guide"),
    "solo-fantasy-journal": Tool("fantasy", "Open your fantasy journal"),
    "shared-fantasy-journal": Tool("fantasy", "Open your fantasy journal"),
    "curiosity-list": Tool("fantasy", "Open your fantasy journal"),
    "sensation-log": Tool("sensations", "Open your new-sensations log"),
    "trying-new-sensations": Tool("sensations", "Open your new-sensations log"),
}


# How many steps of "copied from" lead back to the built-in exercise whose tool a copy opens.
COPY_DEPTH = 5


def tool_for(exercise: Exercise) -> Tool | None:
    """The tool of EXERCISE, or of the built-in exercise it was copied from (a few steps back)."""
    chain: list[tuple[str | None, int | None]] = []
    current: Exercise | None = exercise
    while current is not None and len(chain) < COPY_DEPTH:
        chain.append((current.slug, current.practice_id))
        current = current.based_on
    return tool_named_by(chain)


def tool_named_by(chain: list[tuple[str | None, int | None]]) -> Tool | None:
    """The tool of the first built-in exercise in CHAIN: (slug, practice id) of an exercise,
    then of the one it was copied from, and so on (a slug of None ends the chain)."""
    for slug, practice_id in chain[:COPY_DEPTH]:
        if slug is None:
            return None
        if practice_id is None and slug in TOOLS:
            return TOOLS[slug]
    return None


# An exercise written for two, and its version for one person: offered to a therapist who gives
# the first to someone practising on their own (who would otherwise read partner wording).
PERSONAL_VERSIONS: dict[str, str] = {
    "desire-mapping": "personal-desire-map",
    "weekly-intimacy-check-in": "weekly-check-in-with-yourself",
}


def personal_version_slug(exercise: Exercise) -> str | None:
    """The built-in slug of EXERCISE's version for one person (through the exercise it was
    copied from), if it has one."""
    current: Exercise | None = exercise
    for _ in range(COPY_DEPTH):
        if current is None:
            return None
        if current.practice_id is None and current.slug in PERSONAL_VERSIONS:
            return PERSONAL_VERSIONS[current.slug]
        current = current.based_on
    return None
