"""Reads for the fantasy pages, each a constant number of queries however long the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from interlude.fantasy.content import prompts, sensations
from interlude.fantasy.models import FantasyEntry, SensationEntry
from interlude.fantasy.prompts import Prompt, SensationCategory
from interlude.sharing.person import Person
from interlude.sharing.rules import entry_visibility_sentence

# The newest entries shown on a page; the export holds every one.
PAGE_SIZE = 100


def with_sentences(
    person: Person, entries: Iterable[FantasyEntry | SensationEntry]
) -> list[tuple[FantasyEntry | SensationEntry, str]]:
    """Each of the author's entries with who can see it now, in words."""
    return [(entry, entry_visibility_sentence(person, entry)) for entry in entries]


def prompt_text(slug: str) -> str:
    try:
        return prompts().prompt(slug).text
    except KeyError:
        return ""


def next_prompt(slug: str) -> Prompt:
    """The prompt after SLUG (the first one when SLUG is none), for "Another prompt"."""
    every = prompts().prompts
    slugs = [p.slug for p in every]
    if slug not in slugs:
        return every[0]
    return every[(slugs.index(slug) + 1) % len(every)]


@dataclass
class KindSummary:
    category: SensationCategory
    entries: list[SensationEntry] = field(default_factory=list)


def felt_good(entries: Iterable[SensationEntry]) -> list[KindSummary]:
    """The private summary: what felt pleasant (or mixed) and is worth trying again, by kind,
    in the order the log offers the kinds."""
    groups = {c.slug: KindSummary(c) for c in sensations().categories}
    for entry in entries:
        if entry.felt_good and entry.kind in groups:
            groups[entry.kind].entries.append(entry)
    return [group for group in groups.values() if group.entries]
