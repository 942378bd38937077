"""Homework: a therapist assigns, the client practises at their own pace, the therapist adjusts."""

import html
from uuid import uuid4

import pytest
from django.db import connection
from django.urls import reverse

from interlude.homework.actions import (
    assignment_create,
    assignment_set_status,
    practice_entry_record,
)
from interlude.homework.models import Assignment, AssignmentChange, PracticeDraft, PracticeEntry
from interlude.homework.queries import gentle_flags
from interlude.testing import make_exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    return make_exercise()


def assign_solo(cast, version, **extra):
    return assignment_create(therapist=cast.alice, version=version, client=cast.dave, **extra)


def assign_couple(cast, version, **extra):
    couple = cast.member(cast.bob).couple
    return assignment_create(therapist=cast.alice, version=version, couple=couple, **extra)


def test_a_therapist_assigns_with_a_note_and_an_invitation(client, cast, version):
    client.force_login(cast.alice)
    page = client.get(reverse("assign", args=[cast.dave.pk]) + f"?exercise={version.exercise_id}")
    assert page.status_code == 200
    assert "Find a warm, private room." in page.content.decode()
    response = client.post(
        reverse("assign", args=[cast.dave.pk]),
        {
            "exercise": version.exercise_id,
            "who": "client",
            "note": "Go gently, Dave.",
            "times": "3",
            "period": "week",
            "steps": "Find a warm, private room.\nBreathe slowly for a minute.\nTalk afterwards.",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(client=cast.dave)
    assert assignment.note == "Go gently, Dave."
    assert assignment.effective_steps[1] == "Breathe slowly for a minute."
    assert assignment.version == version
    client.force_login(cast.dave)
    home = client.get(reverse("home")).content.decode()
    assert "Go gently, Dave." in home
    assert "Try it up to 3 times this week, if it feels right." in home
    practice = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert ">Start<" in practice and ">Stop at step" not in practice
    step = client.get(reverse("practice_step", args=[assignment.pk, 2])).content.decode()
    assert "Breathe slowly for a minute." in step and "Step 2" in step
    # One bar, one Pause and one Stop, named by the step (not one pair per step).
    assert step.count(">Pause<") == 1 and step.count(">Stop at step 2<") == 1


def test_it_keeps_the_assign_form_when_something_is_missing(client, cast, version):
    client.force_login(cast.alice)
    response = client.post(
        reverse("assign", args=[cast.dave.pk]),
        {"exercise": version.exercise_id, "who": "client", "note": "Keep me", "steps": "  "},
    )
    assert response.status_code == 400
    assert b"Please keep at least one step" in response.content and b"Keep me" in response.content


def test_a_couple_assignment_reaches_both_partners_only(client, cast, version):
    assignment = assign_couple(cast, version, note="For you both")
    for person in (cast.bob, cast.carol):
        client.force_login(person)
        assert b"For you both" in client.get(reverse("home")).content
        assert client.get(reverse("practice", args=[assignment.pk])).status_code == 200
    for outsider in (cast.dave, cast.erin, cast.gina):
        client.force_login(outsider)
        assert b"For you both" not in client.get(reverse("home")).content
        assert client.get(reverse("practice", args=[assignment.pk])).status_code == 404


def test_practising_and_stopping_partway_raises_gentle_flags(client, cast, version):
    assignment = assign_solo(cast, version)
    client.force_login(cast.dave)
    client.post(reverse("practice", args=[assignment.pk]), {"before_anxiety": "4"})
    # One tap on Stop at step 2: noted at once, nothing asked, no second screen to confirm.
    response = client.post(
        reverse("practice_stop", args=[assignment.pk]), {"step": "2", "submission": uuid4()}
    )
    entry = PracticeEntry.objects.get(client=cast.dave)
    assert entry.outcome == "stopped" and entry.stopped_at_step == 2
    assert entry.ratings_before == {"anxiety": 4}
    assert response["Location"] == reverse("practice_entry_after", args=[entry.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Noted: you stopped at step 2" in page and "Undo" in page
    # The afterwards screen is optional; adding to it changes the same entry.
    response = client.post(
        response["Location"],
        {
            "reasons": ["too_much"],
            "wants_to_talk": "on",
            "reflection": "It got a lot, quickly.",
            "visibility": "therapist",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.reasons == ["too_much"] and entry.reflection == "It got a lot, quickly."
    assert PracticeEntry.objects.filter(client=cast.dave).count() == 1
    assert not PracticeDraft.objects.filter(client=cast.dave).exists()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Said it felt like too much" in page
    assert "Would like to talk about changing this exercise" in page
    assert "It got a lot, quickly." in page
    assert "Stopped partway (at step 2)" in page


def test_it_flags_two_stops_in_a_row_and_a_rise_in_anxiety(cast, version):
    assignment = assign_solo(cast, version)
    for anxiety in (2, 3, 2):
        practice_entry_record(
            assignment=assignment,
            client=cast.dave,
            outcome="completed",
            ratings_before={"anxiety": anxiety},
        )
    assert gentle_flags(list(PracticeEntry.objects.all())) == []
    practice_entry_record(assignment=assignment, client=cast.dave, outcome="stopped")
    practice_entry_record(
        assignment=assignment, client=cast.dave, outcome="stopped", ratings_before={"anxiety": 7}
    )
    kinds = {f.kind for f in gentle_flags(list(PracticeEntry.objects.all()))}
    assert kinds == {"stopped_twice", "anxiety_rise"}


def test_the_client_sees_what_changed_and_why(client, cast, version):
    assignment = assign_solo(cast, version, note="First note")
    client.force_login(cast.alice)
    url = reverse("assignment_change", args=[assignment.pk])
    response = client.post(
        url,
        {
            "status": "active",
            "note": "First note",
            "period": "week",
            "steps": "\n".join(version.steps),
            "reason": "",
        },
    )
    assert response.status_code == 400 and b"Please add a few words" in response.content
    client.post(
        url,
        {
            "status": "active",
            "note": "A gentler start",
            "times": "1",
            "period": "week",
            "steps": "Only the first part.",
            "reason": "Let's stay with the first part for now.",
        },
    )
    assignment.refresh_from_db()
    assert assignment.effective_steps == ["Only the first part."]
    change = AssignmentChange.objects.filter(assignment=assignment, kind="changed").get()
    assert set(change.fields) == {"note", "times", "steps"}
    client.force_login(cast.dave)
    home = client.get(reverse("home")).content.decode()
    assert "Let&#x27;s stay with the first part for now." in home
    assert "Changed: the note, the steps, how often." in home


def test_paused_and_set_aside_assignments(client, cast, version):
    assignment = assign_solo(cast, version, times=3)
    practice_entry_record(
        assignment=assignment, client=cast.dave, outcome="completed", reflection="my own words"
    )
    assignment_set_status(assignment=assignment, by=cast.alice, status="paused", reason="A break")
    client.force_login(cast.dave)
    home = client.get(reverse("home")).content.decode()
    assert "paused for now" in home and "Try it up to 3 times" not in home
    assignment_set_status(
        assignment=assignment, by=cast.alice, status="discarded", reason="Let's come back to this"
    )
    home = client.get(reverse("home")).content.decode()
    # Not gone without a word: a short line, with the reason, and the page still opens.
    assert "Earlier exercises" in home
    assert "Set aside on" in home and "Let&#x27;s come back to this" in home
    page = client.get(reverse("practice", args=[assignment.pk]))
    assert page.status_code == 200
    assert b"This exercise has been set aside" in page.content
    assert b"my own words" in page.content and b">Start<" not in page.content
    kinds = list(assignment.changes.values_list("kind", flat=True))
    assert kinds == ["discarded", "paused", "created"]  # the full history is kept


def test_drafts_keep_what_was_typed(client, cast, version):
    assignment = assign_solo(cast, version)
    client.force_login(cast.dave)
    url = reverse("practice_after", args=[assignment.pk])
    response = client.post(url, {"reflection": "half a thought", "visibility": "only_me"})
    assert response.status_code == 400
    assert b"Please choose one, whichever fits" in response.content
    assert b"half a thought" in response.content
    # Leaving and coming back: it is still there.
    assert b"half a thought" in client.get(url).content
    # Autosave (htmx) keeps edits made since.
    response = client.post(
        reverse("practice_draft", args=[assignment.pk]),
        {"reflection": "a whole thought"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Kept as a draft at" in response.content and b"<html" not in response.content
    assert b"a whole thought" in client.get(url).content
    client.post(reverse("practice_pause", args=[assignment.pk]), {"step": "2"})
    assert b"You paused at step 2" in client.get(reverse("practice", args=[assignment.pk])).content
    assert b"a whole thought" in client.get(url).content
    # The draft is stored encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM homework_practicedraft")
        assert "whole thought" not in str(cursor.fetchall())


def test_a_partner_never_sees_a_therapist_only_reflection(client, cast, version):
    assignment = assign_couple(cast, version)
    practice_entry_record(
        assignment=assignment,
        client=cast.bob,
        outcome="completed",
        reflection="for alice only",
        visibility="therapist",
    )
    client.force_login(cast.carol)
    for url in (
        reverse("home"),
        reverse("practice", args=[assignment.pk]),
        reverse("shared_by_partner"),
    ):
        assert b"for alice only" not in client.get(url).content
    client.force_login(cast.alice)
    assert b"for alice only" in client.get(reverse("client_detail", args=[cast.bob.pk])).content
    client.force_login(cast.olive)
    assert client.get(reverse("client_detail", args=[cast.bob.pk])).status_code == 404
    assert client.get(reverse("assignment_change", args=[assignment.pk])).status_code == 404


def test_an_only_me_reflection_stays_with_its_author(client, cast, version):
    assignment = assign_solo(cast, version)
    practice_entry_record(
        assignment=assignment,
        client=cast.dave,
        outcome="completed",
        reflection="just for me",
        visibility="only_me",
    )
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "just for me" not in page and "Did it" in page
    client.force_login(cast.dave)
    assert b"just for me" in client.get(reverse("practice", args=[assignment.pk])).content


def test_practice_entries_are_encrypted_and_outcomes_neutral(cast, version):
    assignment = assign_solo(cast, version)
    practice_entry_record(
        assignment=assignment,
        client=cast.dave,
        outcome="not_this_time",
        reasons=["no_privacy"],
        reflection="a private reflection",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT reflection FROM homework_practiceentry")
        assert "private reflection" not in str(cursor.fetchall())


def test_the_therapist_reads_each_outcome_in_neutral_words(client, cast, version):
    assignment = assign_solo(cast, version)
    for outcome in ("completed", "stopped", "not_this_time"):
        practice_entry_record(assignment=assignment, client=cast.dave, outcome=outcome)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    for words in ("Did it", "Stopped partway", "Not this time"):
        assert words in page
    assert "I did it" not in page.split("<main")[1]  # the client's words, not the therapist's
    from tests.test_language import shaming_words

    assert not shaming_words(page.split("<main")[1])


def test_the_therapist_chooses_the_stage_to_start_at(client, cast):
    from interlude.exercises.models import Exercise

    stage1 = Exercise.objects.get(slug="sensate-focus-stage-1", practice__isnull=True)
    client.force_login(cast.alice)
    page = client.get(reverse("assign", args=[cast.bob.pk]) + f"?exercise={stage1.pk}")
    assert "Stage 2:" in page.content.decode() and "Stage 3:" in page.content.decode()
    couple = cast.member(cast.bob).couple
    response = client.post(
        reverse("assign", args=[cast.bob.pk]),
        {
            "exercise": stage1.pk,
            "who": f"couple:{couple.pk}",
            "steps": "one step",
            "period": "week",
            "stage": "2",
        },
    )
    assert response.status_code == 302
    # An exercise for two is offered to the couple first, and the message names both pages.
    assert f'value="couple:{couple.pk}" id="id_who_1" required checked' in page.content.decode()
    done = html.unescape(client.get(response["Location"]).content.decode())
    assert "is now on Bob's and Carol's pages" in done
    assignment = Assignment.objects.get(couple=couple)
    assert assignment.version.exercise.slug == "sensate-focus-stage-2"
    assert assignment.stage == 2
    # One written for one person is offered to the client alone.
    solo = Exercise.objects.get(slug="body-scan", practice__isnull=True)
    page = client.get(reverse("assign", args=[cast.bob.pk]) + f"?exercise={solo.pk}")
    assert 'value="client" id="id_who_0" required checked' in page.content.decode()


def staged(cast, *, couple=None, client=None):
    from interlude.exercises.models import Exercise

    stage1 = Exercise.objects.get(slug="sensate-focus-stage-1", practice__isnull=True)
    version = stage1.versions.order_by("-version").first()
    return assignment_create(therapist=cast.alice, version=version, couple=couple, client=client)


def test_a_stage_opens_only_when_both_partners_feel_ready(client, cast):
    assignment = staged(cast, couple=cast.member(cast.bob).couple)
    client.force_login(cast.bob)
    url = reverse("ready_for_next_stage", args=[assignment.pk])
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "I feel ready for stage 2" in page and "when you both do" in page
    # Before saying so, a calm look at what stage 2 includes, and that coming back is easy.
    confirm = client.get(url).content.decode()
    assert "What stage 2 includes" in confirm and "come back to stage 1 any time" in confirm
    client.post(url)
    assignment.refresh_from_db()
    assert assignment.version.stage == 1
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "You said you feel ready" in page
    client.force_login(cast.carol)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "Bob" not in page.split("<main")[1]  # no word about what the partner did
    client.post(url)
    assignment.refresh_from_db()
    assert assignment.version.exercise.slug == "sensate-focus-stage-2"
    home = client.get(reverse("home")).content.decode()
    assert "You both said you felt ready." in home
    assert "“You both said you felt ready.”" not in home  # not quoted as if someone said it


def test_a_therapist_can_hold_a_stage(client, cast):
    assignment = staged(cast, client=cast.dave)
    client.force_login(cast.alice)
    client.post(
        reverse("assignment_change", args=[assignment.pk]),
        {
            "status": "active",
            "period": "week",
            "steps": "\n".join(assignment.effective_steps),
            "held": "on",
            "reason": "Let's stay here a little longer.",
        },
    )
    client.force_login(cast.dave)
    client.post(reverse("ready_for_next_stage", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.held and assignment.version.stage == 1
    assert (
        b"suggests staying with this stage"
        in client.get(reverse("practice", args=[assignment.pk])).content
    )


def test_a_partner_not_taking_part_does_not_block_the_next_stage(client, cast):
    couple = cast.member(cast.gina).couple
    assignment = staged(cast, couple=couple)
    client.force_login(cast.gina)
    client.post(reverse("ready_for_next_stage", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.version.stage == 2


def test_each_line_of_the_log_says_when_what_stage_how_and_the_scales(cast):
    from interlude.homework.queries import timeline_item

    assignment = staged(cast, client=cast.dave)
    entry = practice_entry_record(
        assignment=assignment,
        client=cast.dave,
        outcome="stopped",
        stopped_at_step=2,
        duration_minutes=12,
        ratings_before={"anxiety": 6},
        reasons=["no_privacy"],
        wants_to_talk=True,
    )
    item = timeline_item(entry)
    assert entry.version.title in item.meta and "Stopped partway (at step 2)" in item.meta
    assert "12 min" in item.meta
    assert item.ratings == "anxiety before 6 (of 10)"
    assert item.reasons == "No privacy; would like to talk about changing this exercise"


def test_someone_practising_alone_is_offered_the_version_for_one_person(client, cast):
    from interlude.exercises.actions import exercise_copy
    from interlude.exercises.models import Exercise

    both = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    alone = Exercise.objects.get(slug="personal-desire-map", practice__isnull=True)
    copy = exercise_copy(exercise=both, therapist=cast.alice, title="Our desire map")
    client.force_login(cast.alice)
    for person in (cast.gina, cast.dave):  # a partner not taking part; no partner at all
        for exercise in (both, copy):
            page = client.get(reverse("assign", args=[person.pk]) + f"?exercise={exercise.pk}")
            body = html.unescape(page.content.decode())
            assert f"?exercise={alone.pk}" in body and "“A personal desire map” instead" in body
    # Bob is linked with Carol: the exercise for two is what fits.
    page = client.get(reverse("assign", args=[cast.bob.pk]) + f"?exercise={both.pk}")
    assert "instead" not in page.content.decode().split("<main")[1]
    # The personal version opens the desire map too.
    page = client.get(reverse("assign", args=[cast.gina.pk]) + f"?exercise={alone.pk}")
    assert "instead" not in page.content.decode().split("<main")[1]
