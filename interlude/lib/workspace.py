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

given every client's SINCE by client id (a read-only mapping), returning each client's part of
their row (clients with nothing to say left out), in a constant number of queries however many
clients there are (`count_since` below counts for a whole caseload in one query). Tools without
it add nothing to the caseload.

A tool with progress charts (interlude/lib/charts.py) also defines::

    def charts(therapist, client) -> list[Chart]

shown on the client's progress page (a page of its own: drawing charts costs more than the
rest of the client's page together).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR


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


# "Since" for a client with no session yet: the beginning of time, as a database compares it.
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


# The last SINCE given to count_since and its query parameters: every tool's caseload() gets
# the same mapping, and adapting hundreds of moments for the database was a tenth of the page.
_adapted: list[Any] = [None, ()]


def _since_params(since: Mapping[int, datetime | None]) -> tuple[Any, ...]:
    if _adapted[0] is since:
        return _adapted[1]  # type: ignore[no-any-return]
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for client_id, moment in since.items():
        params += [int(client_id), adapt(moment or BEGINNING)]
    # The mapping itself is kept (not its id, which a new one could reuse); and a mapping
    # changed since would be read again: only a read-only one is reused.
    if isinstance(since, MappingProxyType):
        _adapted[:] = [since, tuple(params)]
    return tuple(params)


def count_since(
    model: type[models.Model],
    since: Mapping[int, datetime | None],
    *,
    client: str = "client",
    at: str = "created_at",
    counts: Mapping[str, tuple[str, list[Any]]] | None = None,
) -> dict[int, dict[str, int]]:
    """For each client in SINCE, how many of MODEL's rows are theirs after their own moment:
    {"rows": n} plus one count per entry of COUNTS (name -> SQL condition on the row, with its
    parameters, columns written as found.<column>). One query for a whole caseload: the clients
    and their moments are a small table joined to MODEL on its (client, moment) index, so the
    database reads only each client's recent rows."""
    if not since:
        return {}
    meta = model._meta
    quote = connection.ops.quote_name
    client_column = quote(meta.get_field(client).column)  # type: ignore[union-attr, arg-type]
    at_column = quote(meta.get_field(at).column)  # type: ignore[union-attr, arg-type]
    values = ", ".join(["(CAST(%s AS BIGINT), %s)"] * len(since))
    params = list(_since_params(since))
    extra = dict(counts or {})
    selects = ["COUNT(*)"]
    for condition, condition_params in extra.values():
        selects.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        params += condition_params
    table = quote(meta.db_table)
    sql = (
        # The first row names the columns' types for PostgreSQL; every database takes them.
        f"WITH since_moment (client_id, moment) AS (VALUES {values}) "  # noqa: S608
        f"SELECT found.{client_column}, {', '.join(selects)} "
        # CROSS JOIN: SQLite then reads the small table first, and each client's own recent
        # rows from the index (left to choose, it scanned the whole index instead).
        f"FROM since_moment CROSS JOIN {table} found "
        f"WHERE found.{client_column} = since_moment.client_id "
        f"AND found.{at_column} > since_moment.moment GROUP BY found.{client_column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    names = ["rows", *extra]
    return {
        int(row[0]): {name: int(value or 0) for name, value in zip(names, row[1:], strict=True)}
        for row in found
    }


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 try", "3 tries": a count with its noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def moment_words(
    moment: datetime, *, weekday: bool = False, year: bool = False, time: bool = False
) -> str:
    """A moment as the workspace writes it, in the reader's time zone and language: "3 Mar",
    with the weekday "Tue 3 Mar", the year "3 Mar 2026", the time "3 Mar, 14:30". The same as
    Django's date_format with "D j M Y, H:i" and the like, made directly: a client's page writes
    dozens, and date_format (which looks its format up, then reads it letter by letter) was a
    tenth of the page's time."""
    local = timezone.localtime(moment)
    words = f"{local.day} {str(MONTHS_3[local.month]).title()}"
    if weekday:
        words = f"{WEEKDAYS_ABBR[local.weekday()]} {words}"
    if year:
        words = f"{words} {local.year}"
    if time:
        words = f"{words}, {local:%H:%M}"
    return words
