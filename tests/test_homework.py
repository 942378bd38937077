"""Homework: a therapist assigns, the client practises at their own pace, the therapist adjusts."""

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
    assert "Breathe slowly for a minute." in practice
    assert practice.count("Stop here") == 3 and practice.count(">Pause<") >= 3


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
    url = reverse("practice", args=[assignment.pk])
    # "Stop here" on step 2 keeps what was typed and opens the end of the form.
    response = client.post(url, {"action": "stop:2", "before_anxiety": "4", "reflection": "hm"})
    assert response.status_code == 302 and response["Location"].endswith("#how-it-went")
    page = client.get(response["Location"]).content.decode()
    assert "You stopped partway" in page and "hm</textarea>" in page
    response = client.post(
        url,
        {
            "action": "save",
            "outcome": "stopped",
            "stopped_at_step": "2",
            "before_anxiety": "4",
            "reasons": ["too_much"],
            "wants_to_talk": "on",
            "reflection": "It got a lot, quickly.",
            "visibility": "therapist",
        },
    )
    assert response.status_code == 302
    entry = PracticeEntry.objects.get(client=cast.dave)
    assert entry.outcome == "stopped" and entry.stopped_at_step == 2
    assert entry.ratings_before == {"anxiety": 4} and entry.reasons == ["too_much"]
    assert not PracticeDraft.objects.filter(client=cast.dave).exists()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert "Said it felt like too much" in page
    assert "Would like to talk about changing this" in page
    assert "It got a lot, quickly." in page


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
    assignment = assign_solo(cast, version)
    assignment_set_status(assignment=assignment, by=cast.alice, status="paused", reason="A break")
    client.force_login(cast.dave)
    assert b"paused for now" in client.get(reverse("home")).content
    assignment_set_status(assignment=assignment, by=cast.alice, status="discarded", reason="Done")
    assert version.title.encode() not in client.get(reverse("home")).content
    assert client.get(reverse("practice", args=[assignment.pk])).status_code == 404
    kinds = list(assignment.changes.values_list("kind", flat=True))
    assert kinds == ["discarded", "paused", "created"]  # the full history is kept


def test_drafts_keep_what_was_typed(client, cast, version):
    assignment = assign_solo(cast, version)
    client.force_login(cast.dave)
    url = reverse("practice", args=[assignment.pk])
    response = client.post(url, {"action": "save", "reflection": "half a thought"})
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
    assert b"Draft kept at" in response.content and b"<html" not in response.content
    assert b"a whole thought" in client.get(url).content
    client.post(url, {"action": "pause", "reflection": "paused thought"})
    assert b"paused thought" in client.get(url).content
    # The draft is stored encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM homework_practicedraft")
        assert "paused thought" not in str(cursor.fetchall())


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
    assert "just for me" not in page and "I did it" in page
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
    labels = dict(PracticeEntry.Outcome.choices).values()
    assert "Not this time" in labels


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
    assignment = Assignment.objects.get(couple=couple)
    assert assignment.version.exercise.slug == "sensate-focus-stage-2"
    assert assignment.stage == 2


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
    assert "I feel ready for the next stage" in page and "when you both do" in page
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
