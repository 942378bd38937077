"""The guides: what they offer (never a held breath for paced breathing), what the therapist
chooses first, stopping and finishing into the practice log with the minutes, one use per tap,
the therapist's sentences, no couple wording for a client practising alone, and constant
queries."""

import html
import re
import uuid

import pytest
from django.urls import reverse

from interlude.exercises.models import Exercise
from interlude.guides.actions import guide_default_set
from interlude.guides.models import GuideDefault, GuideUse
from interlude.guides.plans import choose, has_pause, offered_patterns, plan_for
from interlude.homework.actions import assignment_create
from interlude.testing import make_exercise
from tests.support import count_queries

pytestmark = pytest.mark.django_db


def assign(cast, slug, **who):
    exercise = Exercise.objects.get(practice=None, slug=slug)
    version = exercise.versions.get(version=exercise.latest_version)
    return assignment_create(therapist=cast.alice, version=version, **who)


def test_paced_breathing_never_offers_a_pattern_with_a_pause(client, cast):
    assert offered_patterns() and not any(has_pause(p) for p in offered_patterns())
    breathing = assign(cast, "paced-breathing", client=cast.dave)
    client.force_login(cast.dave)
    page = client.get(reverse("tool_guide", args=[breathing.pk])).content.decode()
    assert "In 4, out 6" in page and "box-4" not in page and "Pause softly" not in page
    # Asked for by hand, it is not played either: the default is.
    page = client.get(reverse("guide_play", args=[breathing.pk]) + "?pattern=box-4").content
    assert b"Pause softly" not in page and b"In 4, out 6" in page


def test_it_plays_the_length_asked_for_or_the_therapists_choice_or_the_default():
    assert choose("body_scan").minutes == 10
    assert choose("body_scan", minutes="20").minutes == 20
    assert choose("body_scan", minutes="7", default_minutes=3).minutes == 3
    assert choose("body_scan", minutes="9" * 50).minutes == 10
    breathing = choose("breathing", pattern="in-3-out-4", minutes="10")
    assert (breathing.pattern, breathing.minutes) == ("in-3-out-4", 10)
    assert choose("breathing").pattern == "in-4-out-6" and choose("breathing").minutes == 5
    plan = plan_for(choose("body_scan", minutes="3"))
    assert plan.seconds == 180 and plan.total_minutes == 3
    paced = plan_for(choose("breathing", minutes="3"))
    assert [line.paced for line in paced.lines].count(True) == 1
    # Three minutes is the whole guide: the count fills what the opening and closing leave.
    assert paced.seconds == 180 and paced.total_minutes == 3
    assert 60 <= sum(line.seconds for line in paced.lines if line.paced) < 180


def test_stopping_opens_the_practice_log_with_the_minutes(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    client.force_login(cast.dave)
    key = str(uuid.uuid4())
    data = {"action": "stopped", "minutes": "10", "elapsed": "250", "submission": key}
    response = client.post(reverse("guide_end", args=[scan.pk]), data)
    after = reverse("practice_after", args=[scan.pk])
    assert response["Location"] == f"{after}?outcome=stopped&minutes=4"
    # Stop tapped twice: one use.
    client.post(reverse("guide_end", args=[scan.pk]), data)
    use = GuideUse.objects.get(client=cast.dave)
    assert (use.kind, use.minutes, use.seconds, use.outcome) == ("body_scan", 10, 250, "stopped")
    # Finishing: the whole guide's minutes, whatever the page said.
    done = client.post(
        reverse("guide_end", args=[scan.pk]),
        {"action": "completed", "minutes": "3", "elapsed": "5"},
    )
    assert done["Location"] == f"{after}?outcome=completed&minutes=3"
    # The practice log page opens with the outcome chosen and the minutes filled in.
    page = client.get(done["Location"]).content.decode()
    assert re.search(r'name="duration_minutes"[^>]*value="3"', page)
    assert re.search(r'value="completed"[^>]*checked', page)
    nonsense = client.get(f"{after}?outcome=completed&minutes=99999").content.decode()
    assert not re.search(r'name="duration_minutes"[^>]*value="', nonsense)


def test_without_the_pages_script_the_time_comes_from_when_it_started(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    client.force_login(cast.dave)
    page = client.get(reverse("guide_play", args=[scan.pk])).content.decode()
    started = int(re.search(r'name="started" value="(\d+)"', page).group(1))
    response = client.post(
        reverse("guide_end", args=[scan.pk]),
        {"action": "stopped", "minutes": "10", "started": str(started - 120)},
    )
    assert response["Location"].endswith("outcome=stopped&minutes=2")
    # Pause without the script: back to the exercise, nothing noted.
    paused = client.post(reverse("guide_end", args=[scan.pk]), {"action": "pause"})
    assert paused["Location"] == reverse("practice", args=[scan.pk])
    assert GuideUse.objects.count() == 1


def test_the_whole_guide_is_in_the_page_as_a_list(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    client.force_login(cast.dave)
    page = client.get(reverse("guide_play", args=[scan.pk]) + "?minutes=3").content.decode()
    assert page.count("<li data-seconds=") == 13
    assert "<script>" not in page and "guides.js" in page
    for name in ("Pause", "Stop", "I've finished"):
        assert f">{name}</button>" in html.unescape(page)


def test_the_therapist_chooses_what_it_offers_first(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    client.force_login(cast.alice)
    response = client.post(reverse("guide_defaults", args=[scan.pk]), {"scan_minutes": "20"})
    assert response["Location"] == reverse("client_detail", args=[cast.dave.pk])
    assert GuideDefault.objects.get(assignment=scan).scan_minutes == 20
    bad = client.post(reverse("guide_defaults", args=[scan.pk]), {"scan_minutes": "7"})
    assert bad.status_code == 400
    client.force_login(cast.dave)
    page = client.get(reverse("tool_guide", args=[scan.pk])).content.decode()
    assert re.search(r'value="20"[^>]*checked', page)
    assert b"Twenty-minute body scan" in client.get(reverse("guide_play", args=[scan.pk])).content


def test_only_guide_exercises_open_a_guide(client, cast):
    other = assignment_create(therapist=cast.alice, version=make_exercise(), client=cast.dave)
    client.force_login(cast.dave)
    assert client.get(reverse("tool_guide", args=[other.pk])).status_code == 404
    client.force_login(cast.alice)
    assert client.get(reverse("guide_defaults", args=[other.pk])).status_code == 404


def test_a_practices_copy_opens_the_same_guide(client, cast):
    from interlude.exercises.actions import exercise_copy

    body_scan = Exercise.objects.get(practice=None, slug="body-scan")
    copy = exercise_copy(exercise=body_scan, therapist=cast.alice, title="Harbour scan")
    assignment = assignment_create(
        therapist=cast.alice, version=copy.versions.get(), client=cast.dave
    )
    client.force_login(cast.dave)
    assert client.get(reverse("tool_guide", args=[assignment.pk])).status_code == 200


def test_the_therapist_reads_which_guides_were_used(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    client.force_login(cast.dave)
    for _ in range(2):
        client.post(reverse("guide_end", args=[scan.pk]), {"action": "completed", "minutes": "10"})
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Used the 10-minute body scan twice." in page
    # Olive, in the same practice, gave nothing: she reaches nothing.
    client.force_login(cast.olive)
    assert client.get(reverse("guide_defaults", args=[scan.pk])).status_code == 404


def test_a_client_practising_alone_meets_no_couple_wording(client, cast):
    couple = cast.member(cast.gina).couple
    scan = assign(cast, "body-scan", couple=couple)
    breathing = assign(cast, "paced-breathing", couple=couple)
    client.force_login(cast.gina)
    joint = re.compile(r"\b(both|together|each other|your partner|partner)\b", re.I)
    problems = []
    for url in (
        reverse("tool_guide", args=[scan.pk]),
        reverse("guide_play", args=[scan.pk]),
        reverse("tool_guide", args=[breathing.pk]),
        reverse("guide_play", args=[breathing.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        main = html.unescape(response.content.decode().split("<main")[1].split("</main>")[0])
        problems += [f"{url}: {m.group(0)}" for m in joint.finditer(re.sub(r"<[^>]+>", " ", main))]
    assert not problems, problems


def test_guide_pages_run_constant_queries(client, cast):
    scan = assign(cast, "body-scan", client=cast.dave)
    breathing = assign(cast, "paced-breathing", client=cast.dave)
    guide_default_set(assignment=breathing, by=cast.alice, pattern="in-3-out-4")
    pages = {
        "setup": (cast.dave, reverse("tool_guide", args=[scan.pk])),
        "play": (cast.dave, reverse("guide_play", args=[breathing.pk])),
        "defaults": (cast.alice, reverse("guide_defaults", args=[breathing.pk])),
        "client": (cast.alice, reverse("client_detail", args=[cast.dave.pk])),
    }

    def measure():
        counts = {}
        for name, (who, url) in pages.items():
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    small = measure()
    client.force_login(cast.dave)
    for i in range(30):
        for assignment in (scan, breathing):
            client.post(
                reverse("guide_end", args=[assignment.pk]),
                {"action": ["stopped", "completed"][i % 2], "minutes": "3", "elapsed": str(i)},
            )
    for slug in ("body-scan", "paced-breathing"):
        assign(cast, slug, client=cast.dave)
    large = measure()
    assert GuideUse.objects.count() == 60
    assert large == small, (small, large)
