"""Client home, the practice page and the therapist's client page run a constant number of
queries however many assignments and practice entries there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interlude.encryption.keys import forget_cached_keys
from interlude.homework.actions import assignment_change, assignment_create, practice_entry_record
from interlude.homework.models import PracticeEntry
from interlude.testing import make_exercise

pytestmark = pytest.mark.django_db


def count(client, url):
    forget_cached_keys()  # count key look-ups too, as on a cold worker
    client.get(url)  # warm up session and caches the same way for both measurements
    forget_cached_keys()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


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
    return made[0], batch


def test_pages_run_constant_queries(client, cast):
    version = make_exercise()
    first, _ = grow(cast, version, 1, 1)
    client.force_login(cast.dave)
    small = {
        "home": count(client, reverse("home")),
        "practice": count(client, reverse("practice", args=[first.pk])),
    }
    client.force_login(cast.alice)
    small["client"] = count(client, reverse("client_detail", args=[cast.dave.pk]))

    grow(cast, version, 49, 499)
    assert PracticeEntry.objects.filter(client=cast.dave).count() == 500
    client.force_login(cast.dave)
    large = {
        "home": count(client, reverse("home")),
        "practice": count(client, reverse("practice", args=[first.pk])),
    }
    client.force_login(cast.alice)
    large["client"] = count(client, reverse("client_detail", args=[cast.dave.pk]))
    assert large == small
