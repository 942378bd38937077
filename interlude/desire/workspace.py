"""The desire map's part of a client's page for their therapist (interlude/lib/workspace.py):
its rounds, dated, and whether each person has sent answers, in neutral words; a link to what
was shared with the therapist, if anything; no flags (nothing here is for the therapist to act
on: answers, and counts of them, are never shown)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from interlude.accounts.models import User
from interlude.desire.access import desire_maps_of_client_for_therapist
from interlude.desire.queries import TherapistMap, therapist_maps
from interlude.lib.workspace import Section


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M")


def since_sentences(views: list[TherapistMap], since: datetime | None) -> list[str]:
    """What happened after SINCE (everything, when there has been no session yet), oldest
    first, in plain sentences."""
    events: list[tuple[datetime, str]] = []
    for view in views:
        for line in view.rounds:
            round_ = line.round
            if view.couple:
                if round_.revealed_at and (since is None or round_.revealed_at > since):
                    events.append(
                        (
                            round_.revealed_at,
                            f"A desire-map round was revealed on {_day(round_.revealed_at)}.",
                        )
                    )
                if round_.number > 1 and (since is None or round_.opened_at > since):
                    events.append(
                        (
                            round_.opened_at,
                            f"A new desire-map round started on {_day(round_.opened_at)}.",
                        )
                    )
            else:
                for person in line.participants:
                    if person.sent_at and (since is None or person.sent_at > since):
                        events.append(
                            (
                                person.sent_at,
                                f"{person.name} finished a personal desire map on "
                                f"{_day(person.sent_at)}.",
                            )
                        )
    return [text for _, text in sorted(events, key=lambda e: e[0])]


# Asked for its section only when the client was given an exercise that opens it.
SHOWN_FOR = frozenset({"desire_map"})


def section(therapist: User, client: User, since: datetime | None) -> Section | None:
    assignments = desire_maps_of_client_for_therapist(therapist, client)
    if not assignments:
        return None
    views = therapist_maps(assignments)
    return Section(
        title="Desire map",
        template="desire/_section.html",
        context={"maps": views},
        since=since_sentences(views, since),
        flags=[],
        order=40,
    )
