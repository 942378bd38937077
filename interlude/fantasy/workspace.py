"""The fantasy journal's and the new-sensations log's part of a client's page for their
therapist: only how many entries the client shared with them, and a link to read them."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.fantasy.models import FantasyEntry, SensationEntry
from interlude.lib.workspace import Section
from interlude.sharing.visibility import THERAPIST_CAN_READ


def _count(
    model: type[FantasyEntry] | type[SensationEntry], client: User, since: datetime | None
) -> int:
    rows = model.objects.filter(author=client, visibility__in=THERAPIST_CAN_READ)
    if since is not None:
        rows = rows.filter(updated_at__gt=since)
    return rows.count()


def _entries(n: int, what: str) -> str:
    return f"1 {what} entry" if n == 1 else f"{n} {what} entries"


def section(therapist: User, client: User, since: datetime | None) -> Section | None:
    # The clinic shows this only on the page of the therapist's own client.
    fantasies = _count(FantasyEntry, client, since)
    tried = _count(SensationEntry, client, since)
    if not fantasies and not tried:
        return None
    when = f" since {date_format(timezone.localtime(since), 'j M')}" if since else ""
    new = "new " if since else ""
    sentences = [
        f"{_entries(n, new + what)} shared with you{when}."
        for n, what in ((fantasies, "fantasy-journal"), (tried, "new-sensations log"))
        if n
    ]
    return Section(
        title="Fantasy journal and new sensations",
        template="fantasy/_section.html",
        context={"sentences": sentences, "client": client},
        since=sentences,
        order=70,
    )
