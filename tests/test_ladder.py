"""The exposure ladder: built by a client with their therapist, worked at the client's pace (they
choose the step; the therapist may hold one, with a reason), each try rated before, at its peak
and after, charted, and summed up kindly for the therapist."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from interlude.consents.actions import consent_withdraw
from interlude.consents.models import Consent
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create, assignment_set_status
from interlude.ladder import actions
from interlude.ladder.actions import LadderError
from interlude.ladder.models import (
    Ladder,
    LadderAttempt,
    LadderChange,
    LadderReflection,
    LadderStep,
)
from interlude.ladder.workspace import section
from interlude.testing import share_with_partner
from tests.support import count_queries, raw_database_text

pytestmark = pytest.mark.django_db

JOINT = re.compile(r"\b(both|together|each other|your partner|shared space|you two)\b", re.I)


def ladder_version(slug: str = "practising-a-ladder-step"):
    exercise = Exercise.objects.get(practice=None, slug=slug)
    return exercise.versions.get(version=exercise.latest_version)


def assign(cast, *, client=None, couple=None, slug="practising-a-ladder-step"):
    if client is None and couple is None:
        client = cast.bob
    return assignment_create(
        therapist=cast.alice, version=ladder_version(slug), client=client, couple=couple
    )


def built(cast, client=None, steps=((20, "Sitting close"), (35, "Holding hands"), (50, "A hug"))):
    """CLIENT's ladder (Bob's by default), with STEPS suggested by Alice, step 1 chosen."""
    client = client or cast.bob
    assignment = assign(cast, client=client)
    ladder = actions.ladder_for(assignment=assignment, client=client)
    made = [actions.step_add(ladder=ladder, by=cast.alice, text=t, suds=s) for s, t in steps]
    if len(made) >= 3:
        actions.step_choose(ladder=ladder, step=made[0], client=client)
    actions.pause_point_set(ladder=ladder, client=client, suds=70, note="if I feel far away")
    ladder.refresh_from_db()
    return ladder, made


def a_try(ladder, client, *, before, peak, after, outcome="completed", reflection=""):
    """One try at the ladder's current step, noted."""
    attempt = actions.attempt_start(ladder=ladder, client=client)
    actions.attempt_begin(
        attempt=attempt, client=client, suds_before=before, reflection="", visibility="only_me"
    )
    actions.attempt_to_afterwards(attempt=attempt, client=client, outcome=outcome)
    return actions.attempt_finish(
        attempt=attempt,
        client=client,
        outcome=outcome,
        suds_peak=peak,
        suds_after=after,
        minutes=20,
        reasons=["too_much"] if outcome == "stopped" else [],
        reflection=reflection,
        visibility="therapist",
    )


def main_text(response) -> str:
    body = response.content.decode().split("<main")[1].split("</main>")[0]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


# --- reaching it ---------------------------------------------------------------------------


def test_the_practice_page_offers_the_ladder(client, cast):
    assignment = assign(cast)
    client.force_login(cast.bob)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert reverse("tool_ladder", args=[assignment.pk]) in page
    assert "Open your ladder" in page


def test_it_is_only_for_ladder_exercises(client, cast):
    body_scan = Exercise.objects.get(practice=None, slug="body-scan")
    other = assignment_create(
        therapist=cast.alice, version=body_scan.versions.latest("version"), client=cast.bob
    )
    client.force_login(cast.bob)
    assert client.get(reverse("tool_ladder", args=[other.pk])).status_code == 404
    client.force_login(cast.alice)
    url = reverse("ladder_for_therapist", args=[cast.bob.pk, other.pk])
    assert client.get(url).status_code == 404
    assert not Ladder.objects.exists()


def test_opening_it_makes_one_empty_ladder_per_person(client, cast):
    assignment = assign(cast)
    client.force_login(cast.bob)
    for _ in range(2):
        assert client.get(reverse("tool_ladder", args=[assignment.pk])).status_code == 200
    client.force_login(cast.alice)
    assert (
        client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, assignment.pk])).status_code
        == 200
    )
    assert Ladder.objects.filter(assignment=assignment, client=cast.bob).count() == 1


def test_in_couple_work_each_partner_has_a_ladder_of_their_own(client, cast):
    assignment = assign(cast, couple=cast.member(cast.bob).couple)
    bobs = actions.ladder_for(assignment=assignment, client=cast.bob)
    actions.step_add(ladder=bobs, by=cast.bob, text="bob-private-step", suds=20)
    client.force_login(cast.carol)
    page = client.get(reverse("tool_ladder", args=[assignment.pk]))
    assert page.status_code == 200 and "bob-private-step" not in page.content.decode()
    assert (
        client.get(reverse("ladder_step_edit", args=[bobs.pk, bobs.steps.get().pk])).status_code
        == 404
    )
    assert Ladder.objects.filter(assignment=assignment).count() == 2


# --- building it together ------------------------------------------------------------------


def test_the_therapist_proposes_and_the_client_sees_what_changed_with_the_earlier_words(
    client, cast
):
    ladder, steps = built(cast)
    client.force_login(cast.bob)
    response = client.post(
        reverse("ladder_step_edit", args=[ladder.pk, steps[1].pk]),
        {"text": "Holding hands on the sofa", "suds": "30", "submission": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    client.force_login(cast.alice)
    page = main_text(
        client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]))
    )
    assert "What Bob changed lately" in page
    assert "Bob changed a step to “Holding hands on the sofa” (30)." in page
    assert "It was “Holding hands” (35)." in page
    client.force_login(cast.bob)
    page = main_text(client.get(reverse("tool_ladder", args=[ladder.assignment_id])))
    assert (
        "What Alice changed lately" in page and "Alice added “A hug” (distress about 50)." in page
    )
    assert "Suggested by Alice" in page


def test_a_step_goes_where_its_distress_puts_it_and_can_be_moved_and_sorted(cast):
    ladder, steps = built(cast)
    middle = actions.step_add(ladder=ladder, by=cast.bob, text="Sitting closer", suds=25)
    assert [s.text for s in LadderStep.objects.filter(ladder=ladder).order_by("position")] == [
        "Sitting close",
        "Sitting closer",
        "Holding hands",
        "A hug",
    ]
    actions.step_move(ladder=ladder, step=middle, by=cast.bob, later=True)
    middle.refresh_from_db()
    assert middle.position == 3
    assert LadderChange.objects.filter(kind="moved").get().before_position == 2
    assert actions.ladder_sort(ladder=ladder, by=cast.alice) is not None
    middle.refresh_from_db()
    assert middle.position == 2
    positions = sorted(LadderStep.objects.filter(ladder=ladder).values_list("position", flat=True))
    assert positions == [1, 2, 3, 4]


def test_a_step_taken_off_keeps_its_history_and_its_tries(client, cast):
    ladder, steps = built(cast)
    a_try(ladder, cast.bob, before=30, peak=40, after=20)
    actions.step_remove(ladder=ladder, step=steps[0], by=cast.bob)
    steps[0].refresh_from_db()
    assert steps[0].removed_at is not None and steps[0].attempts.count() == 1
    ladder.refresh_from_db()
    assert ladder.current_step is None  # the client chooses again
    assert [s.position for s in LadderStep.objects.filter(ladder=ladder, removed_at=None)] == [1, 2]
    client.force_login(cast.alice)
    page = main_text(
        client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]))
    )
    assert "Bob took “Sitting close” off the ladder." in page


def test_a_ladder_holds_three_to_twelve_small_steps(client, cast):
    ladder, _ = built(cast, steps=((20, "One"), (30, "Two")))
    ladder.refresh_from_db()
    with pytest.raises(LadderError, match="at least 3"):
        actions.step_choose(ladder=ladder, step=ladder.steps.last(), client=cast.bob)
    for n in range(10):
        actions.step_add(ladder=ladder, by=cast.bob, text=f"Step {n}", suds=40 + n * 5)
    with pytest.raises(LadderError, match="up to 12"):
        actions.step_add(ladder=ladder, by=cast.bob, text="Thirteen", suds=95)
    client.force_login(cast.bob)
    page = client.get(reverse("tool_ladder", args=[ladder.assignment_id])).content.decode()
    assert "as many as it holds" in page


def test_bad_input_comes_back_with_a_message_and_nothing_lost(client, cast):
    ladder, _ = built(cast)
    client.force_login(cast.bob)
    response = client.post(
        reverse("ladder_step_add", args=[ladder.pk]), {"text": "A slow kiss", "suds": "33"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "in fives" in page and "A slow kiss</textarea>" in page
    response = client.post(reverse("ladder_step_add", args=[ladder.pk]), {"text": "", "suds": "40"})
    assert response.status_code == 400 and "Please describe the step" in response.content.decode()
    response = client.post(reverse("ladder_pause_point", args=[ladder.pk]), {"pause_note": ""})
    assert (
        response.status_code == 400 and "Please choose a pause point" in response.content.decode()
    )


def test_a_double_submit_changes_the_ladder_once(client, cast):
    ladder, _ = built(cast)
    client.force_login(cast.bob)
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(
            reverse("ladder_step_add", args=[ladder.pk]),
            {"text": "A slow kiss", "suds": "60", "submission": key},
        )
    assert LadderStep.objects.filter(ladder=ladder).count() == 4
    step = ladder.steps.get(position=1)
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(
            reverse("ladder_step_move", args=[ladder.pk, step.pk]),
            {"direction": "later", "submission": key},
        )
    step.refresh_from_db()
    assert step.position == 2


def test_step_text_is_encrypted_under_the_clients_key(cast):
    built(cast, steps=((20, "words-only-bob-reads"), (30, "b"), (40, "c")))
    assert "words-only-bob-reads" not in raw_database_text()
    assert LadderStep.objects.get(position=1).text == "words-only-bob-reads"


# --- the client sets the pace --------------------------------------------------------------


def test_only_the_client_chooses_the_step_and_nothing_moves_on_its_own(client, cast):
    ladder, steps = built(cast)
    client.force_login(cast.alice)
    response = client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[2].pk]))
    assert response.status_code == 404
    with pytest.raises(LadderError):
        actions.step_choose(ladder=ladder, step=steps[2], client=cast.alice)
    for _ in range(4):  # four calm tries: still the step the client chose
        a_try(ladder, cast.bob, before=20, peak=25, after=10)
    ladder.refresh_from_db()
    assert ladder.current_step_id == steps[0].pk
    client.force_login(cast.bob)
    client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[2].pk]))
    ladder.refresh_from_db()
    assert ladder.current_step_id == steps[2].pk


def test_a_hold_keeps_the_client_at_or_below_a_step_and_they_read_why(client, cast):
    ladder, steps = built(cast)
    client.force_login(cast.bob)
    assert (
        client.post(reverse("ladder_hold", args=[ladder.pk]), {"action": "hold"}).status_code == 404
    )
    client.force_login(cast.alice)
    response = client.post(
        reverse("ladder_hold", args=[ladder.pk]), {"action": "hold", "step": steps[1].pk}
    )
    assert response.status_code == 400
    assert "Please add a few words for your client" in response.content.decode()
    client.post(
        reverse("ladder_hold", args=[ladder.pk]),
        {"action": "hold", "step": steps[1].pk, "reason": "Let's stay near here until we meet."},
    )
    client.force_login(cast.bob)
    page = main_text(client.get(reverse("tool_ladder", args=[ladder.assignment_id])))
    assert "Alice suggests staying at or below step 2 for now" in page
    assert "Let's stay near here until we meet." in page
    assert "You can still move down whenever you like." in page
    # Up to the held step is fine; above it is not (and is not offered).
    client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[1].pk]))
    client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[2].pk]))
    ladder.refresh_from_db()
    assert ladder.current_step_id == steps[1].pk
    page = client.get(reverse("tool_ladder", args=[ladder.assignment_id])).content.decode()
    assert reverse("ladder_step_choose", args=[ladder.pk, steps[2].pk]) not in page
    # Down is always fine.
    client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[0].pk]))
    ladder.refresh_from_db()
    assert ladder.current_step_id == steps[0].pk
    # Released: up again, by the client's own choice.
    client.force_login(cast.alice)
    client.post(reverse("ladder_hold", args=[ladder.pk]), {"action": "release", "note": ""})
    client.force_login(cast.bob)
    client.post(reverse("ladder_step_choose", args=[ladder.pk, steps[2].pk]))
    ladder.refresh_from_db()
    assert ladder.current_step_id == steps[2].pk


# --- trying a step -------------------------------------------------------------------------


def test_a_try_goes_before_during_after_with_a_pause_that_loses_nothing(client, cast):
    ladder, steps = built(cast)
    client.force_login(cast.bob)
    response = client.post(
        reverse("ladder_attempt_start", args=[ladder.pk]), {"submission": str(uuid.uuid4())}
    )
    attempt = LadderAttempt.objects.get()
    assert response["Location"] == reverse("ladder_attempt", args=[attempt.pk])
    url = reverse("ladder_attempt", args=[attempt.pk])
    # Pause from the first screen keeps what was typed.
    client.post(
        url, {"action": "pause", "suds_before": "40", "reflection_before": "I expect panic"}
    )
    attempt.refresh_from_db()
    assert attempt.pauses == 1 and attempt.paused
    page = main_text(client.get(reverse("tool_ladder", args=[ladder.assignment_id])))
    assert "You paused while trying step 1" in page and "Carry on" in page
    page = client.get(url).content.decode()
    assert "I expect panic" in page and 'value="40" selected' in page
    response = client.post(
        url,
        {
            "action": "begin",
            "suds_before": "40",
            "pause_suds": "70",
            "pause_note": "if I feel far away",
            "reflection_before": "I expect panic",
            "visibility_before": "therapist",
        },
    )
    assert response.status_code == 302
    page = main_text(client.get(url))
    assert "Your pause point: If my distress goes above 70, or if I feel far away." in page
    # Pause during the step: one tap.
    client.post(reverse("ladder_attempt_pause", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.pauses == 2 and attempt.phase == "during"
    client.post(url, {"action": "stopped"})
    page = client.get(url).content.decode()
    assert 'value="stopped"' in page and "checked" in page
    key = str(uuid.uuid4())
    data = {
        "action": "save",
        "outcome": "stopped",
        "suds_peak": "75",
        "suds_after": "45",
        "minutes": "12",
        "reasons": ["pause_point"],
        "reflection_after": "It was less than I feared",
        "visibility_after": "only_me",
        "submission": key,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit: still one try
    attempt = LadderAttempt.objects.get()
    assert (attempt.suds_before, attempt.suds_peak, attempt.suds_after) == (40, 75, 45)
    assert attempt.outcome == "stopped" and attempt.reasons == ["pause_point"]
    assert attempt.minutes == 12 and attempt.draft == "{}"
    notes = {n.moment: n for n in attempt.reflections.all()}
    assert notes["before"].visibility == "therapist" and notes["after"].visibility == "only_me"


def test_starting_twice_starts_one_try(client, cast):
    ladder, _ = built(cast)
    client.force_login(cast.bob)
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(reverse("ladder_attempt_start", args=[ladder.pk]), {"submission": key})
    client.post(
        reverse("ladder_attempt_start", args=[ladder.pk]), {"submission": str(uuid.uuid4())}
    )
    assert LadderAttempt.objects.count() == 1


def test_not_this_time_needs_no_pause_point(client, cast):
    ladder, _ = built(cast)
    ladder.pause_suds, ladder.pause_note = None, ""
    ladder.save()
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    client.force_login(cast.bob)
    url = reverse("ladder_attempt", args=[attempt.pk])
    response = client.post(url, {"action": "begin"})
    assert (
        response.status_code == 400 and "Please choose a pause point" in response.content.decode()
    )
    assert client.post(url, {"action": "not_this_time"}).status_code == 302
    client.post(url, {"action": "save", "outcome": "not_this_time", "reasons": ["no_privacy"]})
    attempt.refresh_from_db()
    assert attempt.outcome == "not_this_time" and not attempt.is_try


def test_the_draft_is_autosaved_encrypted(client, cast):
    ladder, _ = built(cast)
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    client.force_login(cast.bob)
    response = client.post(
        reverse("ladder_attempt_draft", args=[attempt.pk]),
        {"reflection_before": "draft-words-for-later"},
        HTTP_HX_REQUEST="true",
    )
    assert "Kept as a draft" in response.content.decode()
    assert "draft-words-for-later" not in raw_database_text()
    assert (
        "draft-words-for-later"
        in client.get(reverse("ladder_attempt", args=[attempt.pk])).content.decode()
    )


def test_a_session_timeout_keeps_the_note(client, cast):
    from tests.test_sessions import age

    ladder, _ = built(cast)
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    client.force_login(cast.bob)
    client.get(reverse("home"))
    age(client, idle=31 * 60)
    url = reverse("ladder_attempt", args=[attempt.pk])
    response = client.post(url, {"action": "begin", "reflection_before": "kept-after-timeout"})
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(cast.bob)
    assert "kept-after-timeout" in client.get(url).content.decode()


# --- charts, flags and sentences -----------------------------------------------------------


def test_each_step_has_a_chart_with_a_table_and_a_plain_summary(client, cast):
    ladder, steps = built(cast)
    for before, peak, after in ((65, 80, 60), (60, 75, 60), (50, 60, 30), (40, 50, 30)):
        a_try(ladder, cast.bob, before=before, peak=peak, after=after)
    client.force_login(cast.bob)
    page = client.get(reverse("tool_ladder", args=[ladder.assignment_id])).content.decode()
    assert f'id="ladder-step-{steps[0].pk}"' in page
    assert (
        "After this step your distress has come down from about 60 to about 30 over 4 tries."
        in page
    )
    assert page.count('class="chart__svg') == 2  # a phone picture and a wide one
    table = page.split('class="chart__table"')[1].split("</table>")[0]
    assert '<th scope="col">Before</th>' in table and "Peak" in table and "After" in table
    assert re.search(r"Try 4</th>\s*<td>40</td><td>50</td><td>30</td>", table)
    assert "<script" not in page.split('class="chart"')[1].split("</figure>")[0]


def test_the_therapist_sees_gentle_flags_for_a_rise_and_two_stops(client, cast):
    ladder, steps = built(cast)
    a_try(ladder, cast.bob, before=30, peak=40, after=20)
    a_try(ladder, cast.bob, before=50, peak=80, after=55, outcome="stopped")
    a_try(ladder, cast.bob, before=50, peak=80, after=60, outcome="stopped")
    client.force_login(cast.alice)
    page = main_text(
        client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]))
    )
    assert "Worth a conversation" in page
    assert "Step 1 was stopped partway twice in a row." in page
    assert "Distress after step 1 has gone up: about 40 before, about 60 the last time." in page
    # The client's page carries no flags.
    client.force_login(cast.bob)
    page = main_text(client.get(reverse("tool_ladder", args=[ladder.assignment_id])))
    assert "Worth a conversation" not in page and "twice in a row" not in page


def test_the_workspace_section_says_what_happened_since_last_session(cast):
    ladder, steps = built(cast)
    for s in steps[1:]:
        actions.step_choose(ladder=ladder, step=s, client=cast.bob)
    ladder.refresh_from_db()
    a_try(ladder, cast.bob, before=55, peak=70, after=55)
    since = timezone.now()
    a_try(ladder, cast.bob, before=50, peak=60, after=50)
    a_try(ladder, cast.bob, before=40, peak=50, after=35)
    found = section(cast.alice, cast.bob, since)
    assert found is not None
    assert "2 tries at step 3; distress after came down from about 50 to about 35." in found.since
    assert section(cast.alice, cast.dave, None) is None
    assert section(cast.olive, cast.bob, None) is None
    everything = section(cast.alice, cast.bob, None)
    assert any("Chose to work on step 3 (a step up)" in s for s in everything.since)


def test_the_workspace_offers_a_ladder_nobody_has_opened_yet(client, cast):
    assignment = assign(cast)
    found = section(cast.alice, cast.bob, None)
    assert found is not None and found.since == [] and found.flags == []
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert "Suggest the first steps" in page
    assert reverse("ladder_for_therapist", args=[cast.bob.pk, assignment.pk]) in page
    assignment_set_status(assignment=assignment, by=cast.alice, status="discarded", reason="")
    assert section(cast.alice, cast.bob, None) is None


def test_the_therapist_reads_each_try_in_their_own_words(client, cast):
    ladder, _ = built(cast)
    a_try(ladder, cast.bob, before=50, peak=80, after=55, outcome="stopped")
    client.force_login(cast.alice)
    page = main_text(
        client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]))
    )
    assert "Stopped partway" in page and "Felt like too much" in page
    client.force_login(cast.bob)
    page = main_text(client.get(reverse("tool_ladder", args=[ladder.assignment_id])))
    assert "I stopped partway" in page and "It felt like too much" in page


def test_the_client_page_shows_the_ladder_section(client, cast):
    ladder, _ = built(cast)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert "Exposure ladder" in page
    assert reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]) in page


# --- who reads the notes -------------------------------------------------------------------


def test_notes_follow_the_visibility_their_author_chose(client, cast):
    share_with_partner(cast.bob)
    ladder, _ = built(cast)
    for visibility in ("only_me", "therapist", "partner", "both"):
        attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
        actions.attempt_begin(
            attempt=attempt,
            client=cast.bob,
            suds_before=30,
            reflection=f"note-{visibility}",
            visibility=visibility,
        )
        actions.attempt_to_afterwards(attempt=attempt, client=cast.bob, outcome="completed")
        actions.attempt_finish(
            attempt=attempt,
            client=cast.bob,
            outcome="completed",
            suds_peak=None,
            suds_after=20,
            minutes=None,
            reasons=[],
            reflection="",
            visibility="only_me",
        )
    client.force_login(cast.alice)
    page = client.get(
        reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id])
    ).content.decode()
    assert "note-therapist" in page and "note-both" in page
    assert "note-only_me" not in page and "note-partner" not in page
    client.force_login(cast.carol)
    page = client.get(reverse("ladder_shared")).content.decode()
    assert "note-partner" in page and "note-both" in page
    assert "note-only_me" not in page and "note-therapist" not in page
    assert "Sitting close" not in page  # never the ladder itself
    consent_withdraw(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING)
    page = client.get(reverse("ladder_shared")).content.decode()
    assert "note-" not in page
    for outsider in (cast.dave, cast.erin, cast.gina):
        client.force_login(outsider)
        assert "note-" not in client.get(reverse("ladder_shared")).content.decode()


def test_partner_sharing_is_offered_only_when_linked_and_turned_on(client, cast):
    ladder, _ = built(cast)
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    client.force_login(cast.bob)
    url = reverse("ladder_attempt", args=[attempt.pk])
    assert 'value="partner"' not in client.get(url).content.decode()
    share_with_partner(cast.bob)
    assert 'value="partner"' in client.get(url).content.decode()


def test_a_client_whose_partner_is_not_taking_part_meets_no_partner_wording(client, cast):
    couple = cast.member(cast.gina).couple
    assignment = assign(cast, client=None, couple=couple)
    client.force_login(cast.gina)
    urls = [reverse("tool_ladder", args=[assignment.pk])]
    client.get(urls[0])
    ladder = Ladder.objects.get(client=cast.gina)
    for suds, text in ((20, "Looking in the mirror"), (40, "Undressed"), (60, "Touching")):
        client.post(reverse("ladder_step_add", args=[ladder.pk]), {"text": text, "suds": suds})
    ladder.refresh_from_db()
    step = ladder.steps.get(position=1)
    client.post(reverse("ladder_step_choose", args=[ladder.pk, step.pk]))
    client.post(reverse("ladder_attempt_start", args=[ladder.pk]))
    attempt = LadderAttempt.objects.get(client=cast.gina)
    url = reverse("ladder_attempt", args=[attempt.pk])
    urls += [url, reverse("ladder_step_edit", args=[ladder.pk, step.pk]), reverse("ladder_shared")]
    pages = [client.get(u) for u in urls]
    client.post(url, {"action": "begin", "pause_suds": "70", "visibility_before": "only_me"})
    pages.append(client.get(url))
    client.post(url, {"action": "completed"})
    pages.append(client.get(url))
    assert 'value="partner"' not in pages[-1].content.decode()
    client.post(
        url,
        {
            "action": "save",
            "outcome": "completed",
            "suds_after": "30",
            "visibility_after": "only_me",
        },
    )
    pages.append(client.get(urls[0]))
    problems = []
    for response in pages:
        assert response.status_code == 200
        problems += [m.group(0) for m in JOINT.finditer(main_text(response))]
    assert not problems, problems


# --- set aside, and other people -----------------------------------------------------------


def test_a_ladder_set_aside_stays_readable_and_cannot_be_changed(client, cast):
    ladder, steps = built(cast)
    assignment_set_status(
        assignment=ladder.assignment, by=cast.alice, status="discarded", reason="Later."
    )
    client.force_login(cast.bob)
    page = client.get(reverse("tool_ladder", args=[ladder.assignment_id]))
    assert page.status_code == 200 and "stays here for you to read" in page.content.decode()
    assert reverse("ladder_step_add", args=[ladder.pk]) not in page.content.decode()
    assert (
        client.post(
            reverse("ladder_step_add", args=[ladder.pk]), {"text": "x", "suds": "5"}
        ).status_code
        == 404
    )
    client.force_login(cast.alice)
    url = reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id])
    assert "can be read but not changed" in client.get(url).content.decode()


def test_nobody_else_reaches_a_ladder(client, cast):
    ladder, steps = built(cast)
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    for outsider in (cast.carol, cast.dave, cast.olive, cast.mallory, cast.pam):
        client.force_login(outsider)
        assert client.get(reverse("ladder_attempt", args=[attempt.pk])).status_code == 404
        assert (
            client.get(reverse("ladder_step_edit", args=[ladder.pk, steps[0].pk])).status_code
            == 404
        )
        assert (
            client.get(
                reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id])
            ).status_code
            == 404
        )


def test_the_therapist_reading_it_is_in_the_clients_access_history(client, cast):
    ladder, _ = built(cast)
    client.force_login(cast.alice)
    client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]))
    client.force_login(cast.bob)
    assert "Alice" in main_text(client.get(reverse("access_history")))


# --- export, deletion, the canary, query budgets -------------------------------------------


def test_it_is_in_the_export_and_goes_with_the_account(cast):
    from interlude.privacy.actions import client_account_delete
    from interlude.privacy.export import build_export

    ladder, _ = built(cast)
    a_try(ladder, cast.bob, before=30, peak=40, after=20, reflection="my own note")
    data = build_export(cast.bob)
    assert [s["text"] for s in data["ladder.ladderstep"]][:1] == ["Sitting close"]
    assert data["ladder.ladderreflection"][0]["text"] == "my own note"
    assert data["ladder.ladder"][0]["pause_note"] == "if I feel far away"
    assert len(data["ladder.ladderattempt"]) == 1 and data["ladder.ladderchange"]
    assert "ladder.ladderstep" not in {k for k, v in build_export(cast.carol).items() if v}
    client_account_delete(user=cast.bob)
    for model in (Ladder, LadderStep, LadderChange, LadderAttempt, LadderReflection):
        assert not model.objects.exists(), model


def test_the_canary_never_leaks(client, cast, logs, django_capture_on_commit_callbacks):
    canary = f"canary-{uuid.uuid4().hex}"
    share_with_partner(cast.bob)
    assignment = assign(cast)
    responses = []
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.alice)
        responses.append(
            client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, assignment.pk]))
        )
        ladder = Ladder.objects.get()
        for n in range(3):
            responses.append(
                client.post(
                    reverse("ladder_step_add", args=[ladder.pk]),
                    {"text": f"{canary} step {n}", "suds": str(20 + n * 10)},
                )
            )
        step = ladder.steps.get(position=2)
        responses.append(
            client.post(
                reverse("ladder_hold", args=[ladder.pk]),
                {"action": "hold", "step": step.pk, "reason": f"{canary} reason"},
            )
        )
        error = client.post(
            reverse("ladder_step_add", args=[ladder.pk]), {"text": canary, "suds": "7"}
        )
        assert error.status_code == 400 and canary in error.content.decode()  # kept for Alice
        client.force_login(cast.bob)
        responses.append(
            client.post(
                reverse("ladder_step_edit", args=[ladder.pk, step.pk]),
                {"text": f"{canary} edited", "suds": "35"},
            )
        )
        responses.append(
            client.post(
                reverse("ladder_pause_point", args=[ladder.pk]),
                {"pause_suds": "70", "pause_note": f"{canary} pause"},
            )
        )
        first = ladder.steps.get(position=1)
        responses.append(client.post(reverse("ladder_step_choose", args=[ladder.pk, first.pk])))
        responses.append(client.post(reverse("ladder_attempt_start", args=[ladder.pk])))
        attempt = LadderAttempt.objects.get()
        url = reverse("ladder_attempt", args=[attempt.pk])
        responses.append(
            client.post(
                reverse("ladder_attempt_draft", args=[attempt.pk]),
                {"reflection_before": f"{canary} draft"},
            )
        )
        responses.append(client.post(url, {"action": "pause", "reflection_before": f"{canary} p"}))
        responses.append(
            client.post(
                url,
                {
                    "action": "begin",
                    "pause_suds": "70",
                    "pause_note": f"{canary} pause",
                    "reflection_before": f"{canary} before",
                    "visibility_before": "both",
                },
            )
        )
        responses.append(client.post(url, {"action": "stopped"}))
        error = client.post(
            url, {"action": "save", "outcome": "nonsense", "reflection_after": f"{canary} after"}
        )
        assert error.status_code == 400 and canary in error.content.decode()  # kept for Bob
        responses.append(
            client.post(
                url,
                {
                    "action": "save",
                    "outcome": "stopped",
                    "reflection_after": f"{canary} after",
                    "visibility_after": "therapist",
                },
            )
        )
        responses.append(client.post(reverse("ladder_step_remove", args=[ladder.pk, step.pk])))
        responses.append(client.post(reverse("ladder_attempt", args=[999999]), {"x": canary}))
        client.force_login(cast.carol)
        assert canary in client.get(reverse("ladder_shared")).content.decode()
        client.force_login(cast.alice)
        page = client.get(reverse("ladder_for_therapist", args=[cast.bob.pk, assignment.pk]))
        assert f"{canary} after" in page.content.decode()
        responses.append(page)
        responses.append(client.get(reverse("client_detail", args=[cast.bob.pk])))
    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400:
            assert canary not in response.content.decode(), response.status_code
        for link in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert canary not in link
        for cookie in response.cookies.values():
            assert canary not in cookie.value
    for message in mail.outbox:
        assert canary not in message.message().as_string()
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text
    assert canary not in log_text
    assert canary not in raw_database_text()


def grow(cast, ladder, steps, tries):
    """TRIES tries, spread over the steps, with notes of each visibility, and changes."""
    share_with_partner(cast.bob)
    visibilities = ("only_me", "therapist", "partner", "both")
    for i in range(tries):
        actions.step_choose(ladder=ladder, step=steps[i % len(steps)], client=cast.bob)
        ladder.refresh_from_db()
        attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
        actions.attempt_pause(attempt=attempt, client=cast.bob)
        actions.attempt_begin(
            attempt=attempt,
            client=cast.bob,
            suds_before=40,
            reflection=f"before {i}",
            visibility=visibilities[i % 4],
        )
        actions.attempt_to_afterwards(attempt=attempt, client=cast.bob, outcome="completed")
        actions.attempt_finish(
            attempt=attempt,
            client=cast.bob,
            outcome=["completed", "stopped", "not_this_time"][i % 3],
            suds_peak=60,
            suds_after=(i * 5) % 100,
            minutes=15,
            reasons=["too_much"],
            reflection=f"after {i}",
            visibility=visibilities[(i + 1) % 4],
        )
        actions.step_edit(ladder=ladder, step=steps[0], by=cast.alice, text=f"Step {i}", suds=20)


def test_its_pages_run_constant_queries(client, cast):
    ladder, steps = built(cast)
    open_try = None

    def measure():
        nonlocal open_try
        pages = {
            "ladder": (cast.bob, reverse("tool_ladder", args=[ladder.assignment_id])),
            "therapist": (
                cast.alice,
                reverse("ladder_for_therapist", args=[cast.bob.pk, ladder.assignment_id]),
            ),
            "client_detail": (cast.alice, reverse("client_detail", args=[cast.bob.pk])),
            "shared": (cast.carol, reverse("ladder_shared")),
            "step_edit": (cast.bob, reverse("ladder_step_edit", args=[ladder.pk, steps[0].pk])),
            "try": (cast.bob, reverse("ladder_attempt", args=[open_try.pk])),
        }
        counts = {}
        for name, (who, url) in pages.items():
            client.force_login(who)
            counts[name] = count_queries(client, url)
        return counts

    grow(cast, ladder, steps, 4)
    open_try = actions.attempt_start(ladder=ladder, client=cast.bob)
    small = measure()
    actions.attempt_pause(attempt=open_try, client=cast.bob)
    actions.attempt_to_afterwards(attempt=open_try, client=cast.bob, outcome="not_this_time")
    actions.attempt_finish(
        attempt=open_try,
        client=cast.bob,
        outcome="not_this_time",
        suds_peak=None,
        suds_after=None,
        minutes=None,
        reasons=[],
        reflection="",
        visibility="only_me",
    )
    grow(cast, ladder, steps, 60)
    open_try = actions.attempt_start(ladder=ladder, client=cast.bob)
    assert LadderAttempt.objects.count() == 66
    large = measure()
    assert large == small, (small, large)


def test_a_try_is_not_dated_by_a_timer(cast):
    """Nothing advances by itself: an old try under way is still waiting, at the same screen."""
    ladder, _ = built(cast)
    attempt = actions.attempt_start(ladder=ladder, client=cast.bob)
    LadderAttempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(days=30)
    )
    attempt.refresh_from_db()
    assert attempt.phase == "before" and attempt.is_open
    assert connection.vendor in ("sqlite", "postgresql")
