"""Every page that shows a person's history runs a constant number of queries however many
assignments, practice entries and journal entries there are."""

import pytest
from django.urls import reverse

from interlude.homework.actions import assignment_change, assignment_create, practice_entry_record
from interlude.homework.models import PracticeEntry
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.testing import make_exercise, share_with_partner
from tests.support import count_queries

pytestmark = pytest.mark.django_db


def grow(cast, version, assignments, entries):
    made = [
        assignment_create(therapist=cast.alice, version=version, client=cast.dave, note=f"n{i}")
        for i in range(assignments)
    ]
    couple = cast.member(cast.bob).couple
    made.append(assignment_create(therapist=cast.alice, version=version, couple=couple))
    for a in made[:3]:
        assignment_change(assignment=a, by=cast.alice, reason="gentler", note="changed")
    batch = []
    for i in range(entries):
        batch.append(
            practice_entry_record(
                assignment=made[i % len(made)],
                client=cast.dave,
                outcome=["completed", "stopped", "not_this_time"][i % 3],
                ratings_before={"anxiety": i % 10},
                reasons=["too_much"] if i % 7 == 0 else [],
                reflection=f"reflection {i}",
                visibility="therapist",
            )
        )
        # Bob writes too: his journal, and what he shares with Carol.
        journal_entry_create(
            author=cast.bob, body=f"entry {i}", visibility=VISIBILITIES[i % len(VISIBILITIES)]
        )
        practice_entry_record(
            assignment=made[-1],
            client=cast.bob,
            outcome="completed",
            reflection=f"shared {i}",
            visibility="both",
        )
    return made[0], batch


VISIBILITIES = ("only_me", "therapist", "partner", "both")


def pages(cast, first):
    """(who, url) for every page whose cost could grow with a person's history."""
    return {
        "home": (cast.dave, reverse("home")),
        "practice": (cast.dave, reverse("practice", args=[first.pk])),
        "journal": (cast.bob, reverse("journal")),
        "shared_by_partner": (cast.carol, reverse("shared_by_partner")),
        "privacy": (cast.bob, reverse("privacy")),
        "access_history": (cast.dave, reverse("access_history")),
        "partner": (cast.bob, reverse("partner")),
        "caseload": (cast.alice, reverse("caseload")),
        "client_detail": (cast.alice, reverse("client_detail", args=[cast.dave.pk])),
        "client_journal": (cast.alice, reverse("client_journal", args=[cast.bob.pk])),
    }


def measure(client, cast, first):
    counts = {}
    for name, (who, url) in pages(cast, first).items():
        client.force_login(who)
        counts[name] = count_queries(client, url)
    return counts


def test_pages_run_constant_queries(client, cast):
    version = make_exercise()
    share_with_partner(cast.bob)
    first, _ = grow(cast, version, 1, 4)  # one entry of each visibility
    small = measure(client, cast, first)
    grow(cast, version, 49, 56)
    assert PracticeEntry.objects.filter(client=cast.dave).count() == 60
    assert JournalEntry.objects.filter(author=cast.bob).count() == 60
    large = measure(client, cast, first)
    assert large == small
