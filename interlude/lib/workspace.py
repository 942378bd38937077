"""How a tool shows itself on the therapist's page for one client.

Each tool app may have a `workspace.py` with `def section(therapist, client, since) -> Section |
None`. The therapist's client page (clinic) gathers every installed app's section: the tool's
own part of the page, the plain sentences it adds to "Since last session", and its gentle flags.
A tool never reaches into another; the clinic never needs to know each tool's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Section:
    """One tool's part of a client's page for their therapist.

    title      the heading of its part of the page
    template   the template rendering it (given `section` and its `context`)
    context    what that template needs
    since      plain sentences for "Since last session" (what happened after SINCE)
    flags      gentle flags, most important first (shown at the top of the page and counted
               on the caseload); words, never pass/fail
    order      where it sits among the tools' sections (lower first)
    """

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    since: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    order: int = 100


SectionFunction = Any  # Callable[[User, User, datetime | None], Section | None]


def no_earlier_than(since: datetime | None) -> datetime:
    """SINCE, or the beginning of time when there has been no session yet."""
    return since or datetime.min.replace(tzinfo=None)
