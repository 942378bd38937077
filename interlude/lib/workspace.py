"""How a tool shows itself on the therapist's page for one client.

Each tool app may have a `workspace.py` with `def section(therapist, client, since) -> Section |
None`. The therapist's client page (clinic) gathers every installed app's section: the tool's
own part of the page, the plain sentences it adds to "Since last session", and its gentle flags.
A tool never reaches into another; the clinic never needs to know each tool's models.

SINCE is the moment of the client's last session held (None when none has been recorded yet:
then everything counts).

The caseload shows a row for each of a therapist's hundreds of clients, so it never calls
`section()` per client. A tool that has something to count there also defines, in the same
`workspace.py`::

    def caseload(therapist, since: Mapping[int, datetime | None]) -> Mapping[int, CaseloadPart]

given every client's SINCE by client id, returning each client's part of their row (clients
with nothing to say left out), in a constant number of queries however many clients there are
(`since_q` below builds the per-client condition). Tools without it add nothing to the caseload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q


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
    safety     (optional) flags about the client's safety, such as "felt pressured or unsafe":
               shown before every other flag, marked as such
    """

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    since: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    order: int = 100
    safety: list[str] = field(default_factory=list)


SectionFunction = Any  # Callable[[User, User, datetime | None], Section | None]


def no_earlier_than(since: datetime | None) -> datetime:
    """SINCE, or the beginning of time when there has been no session yet."""
    return since or datetime.min.replace(tzinfo=None)


@dataclass
class CaseloadPart:
    """One tool's part of one client's row on the caseload.

    since   short, neutral counts of what happened since the last session ("3 completed",
            "1 check-in"); never pass/fail words
    flags   gentle flags, as in Section.flags (they sort the row towards the top)
    safety  safety flags, as in Section.safety (they sort the row to the very top)
    """

    since: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    safety: list[str] = field(default_factory=list)


def since_q(
    since: Mapping[int, datetime | None], *, client: str = "client_id", at: str = "created_at"
) -> Q:
    """Rows of each client in SINCE after that client's own moment (all of them for None): one
    condition for a whole caseload. CLIENT and AT name the fields holding the client's id and
    the row's moment."""
    everything = [client_id for client_id, moment in since.items() if moment is None]
    parts = [
        Q(**{client: client_id, f"{at}__gt": moment})
        for client_id, moment in since.items()
        if moment is not None
    ]
    if everything:
        parts.append(Q(**{f"{client}__in": everything}))
    if not parts:
        return Q(pk__in=[])
    return Q(*parts, _connector=Q.OR)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 try", "3 tries": a count with its noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
