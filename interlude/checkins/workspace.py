"""The check-in's part of a client's page for their therapist: which weeks had a check-in,
and only the answers the client chose to share with them."""

from __future__ import annotations

from datetime import datetime

from interlude.accounts.models import User
from interlude.checkins.access import checkin_assignments_for_therapist, checkins_for_therapist
from interlude.checkins.questions import week_words
from interlude.lib.workspace import Section

SINCE_SENTENCES = 8


# Asked for its section only when the client was given an exercise that opens it.
SHOWN_FOR = frozenset({"checkin"})


def section(therapist: User, client: User, since: datetime | None) -> Section | None:
    places = checkin_assignments_for_therapist(therapist, client)
    if not places:
        return None
    checkins, shared = checkins_for_therapist(therapist, client, places)
    held = [c for c in checkins if c.held_at is not None and (since is None or c.held_at >= since)]
    return Section(
        title="Weekly check-in",
        template="checkins/_workspace.html",
        context={
            "places": places,
            "weeks": [(c, week_words(c.week), shared.get(c.pk, [])) for c in checkins],
        },
        since=[f"A check-in was held in {week_words(c.week)}." for c in held[:SINCE_SENTENCES]],
        order=40,
    )
