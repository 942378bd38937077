"""Practising that works and feels safe: one-tap stop with undo, the afterwards note, nothing
stored twice, nothing relabelled, stages that step back, drafts that keep only what they should,
and couple wording only where there is a couple practising together."""

import html
import json
import re
import time
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from interlude.accounts.middleware import SEEN, STARTED
from interlude.exercises.models import Exercise
from interlude.homework.actions import (
    _draft_upsert,
    assignment_create,
    assignment_set_status,
    practice_entry_record,
    stage_ready,
)
from interlude.homework.models import Assignment, AssignmentChange, PracticeDraft, PracticeEntry
from interlude.testing import PASSWORD, make_exercise, share_with_partner

pytestmark = pytest.mark.django_db


def staged(cast, *, couple=None, client=None, stage=1, slug="sensate-focus-stage"):
    exercise = Exercise.objects.get(slug=f"{slug}-{stage}", practice__isnull=True)
    version = exercise.versions.order_by("-version").first()
    return assignment_create(therapist=cast.alice, version=version, couple=couple, client=client)


def solo(cast, **extra):
    return assignment_create(
        therapist=cast.alice, version=make_exercise(), client=cast.dave, **extra
    )


# --- Stop, undo, afterwards -------------------------------------------------------------------


def test_a_stop_tapped_by_mistake_can_be_undone_for_a_while(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    client.post(reverse("practice", args=[assignment.pk]), {"before_anxiety": "3"})
    stop = client.post(reverse("practice_stop", args=[assignment.pk]), {"step": "3"})
    entry = PracticeEntry.objects.get(client=cast.dave)
    response = client.post(reverse("practice_undo", args=[entry.pk]))
    assert response["Location"] == reverse("practice_step", args=[assignment.pk, 3])
    assert not PracticeEntry.objects.filter(client=cast.dave).exists()
    # Carrying on from there keeps the ratings given before.
    paused = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "You paused at step 3" in paused
    # Carrying on comes first; starting again is there, folded away.
    assert paused.index("Carry on from step 3") < paused.index("Start again from the beginning")
    client.post(reverse("practice_stop", args=[assignment.pk]), {"step": "3"})
    entry = PracticeEntry.objects.get(client=cast.dave)
    assert entry.ratings_before == {"anxiety": 3}
    # After a while the stop stays in the notes.
    PracticeEntry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    page = client.get(stop["Location"].replace(str(entry.pk - 1), str(entry.pk))).content
    assert b"Undo" not in page
    client.post(reverse("practice_undo", args=[entry.pk]))
    assert PracticeEntry.objects.filter(pk=entry.pk).exists()


def test_the_same_submission_twice_stores_one_entry(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    key = str(uuid4())
    form = {"outcome": "completed", "visibility": "only_me", "submission": key}
    first = client.post(reverse("practice_after", args=[assignment.pk]), form)
    second = client.post(reverse("practice_after", args=[assignment.pk]), form)
    assert first.status_code == second.status_code == 302
    assert PracticeEntry.objects.filter(client=cast.dave).count() == 1
    stop = {"step": "1", "submission": str(uuid4())}
    client.post(reverse("practice_stop", args=[assignment.pk]), stop)
    client.post(reverse("practice_stop", args=[assignment.pk]), stop)
    assert PracticeEntry.objects.filter(client=cast.dave).count() == 2


def test_the_afterwards_note_defaults_to_only_me(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    page = client.get(reverse("practice_after", args=[assignment.pk])).content.decode()
    checked = re.search(
        r'<input type="radio" name="visibility" value="([a-z_]+)"[^>]*checked', page
    )
    assert checked and checked.group(1) == "only_me"


def test_every_scale_says_what_its_ends_mean(client, cast):
    version = make_exercise()
    version.ratings_before = ["anxiety", "suds"]
    version.save(update_fields=["ratings_before"])
    assignment = assignment_create(therapist=cast.alice, version=version, client=cast.dave)
    client.force_login(cast.dave)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "0 = not at all anxious" in page and "10 = the most anxious I can imagine" in page
    assert "100 = the most distress I can imagine" in page
    assert 'value="100"' in page  # SUDS runs from 0 to 100


# --- Nothing relabelled ------------------------------------------------------------------------


def test_an_entry_keeps_the_stage_it_was_done_at(client, cast):
    couple = cast.member(cast.bob).couple
    assignment = staged(cast, couple=couple)
    practice_entry_record(
        assignment=assignment,
        client=cast.bob,
        outcome="stopped",
        reasons=["too_much"],
        visibility="therapist",
    )
    stage_ready(assignment=assignment, client=cast.bob)
    stage_ready(assignment=assignment, client=cast.carol)
    assignment.refresh_from_db()
    assert assignment.version.stage == 2
    entry = PracticeEntry.objects.get(client=cast.bob)
    assert entry.stage == 1 and "stage 1" in entry.version.title.lower()
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    flag = re.search(r"Said it felt like too much</strong>.*?</li>", page, re.S).group(0)
    assert "stage 1" in flag.lower() and "stage 2" not in flag.lower()
    timeline = page.split('id="timeline-heading"')[1]
    assert "stage 1" in timeline.lower() and "stage 2" not in timeline.lower()
    # The change history says what was true then, too.
    change = AssignmentChange.objects.filter(assignment=assignment, fields=["stage"]).get()
    assert change.stage == 2 and change.summary == "Changed: the stage (now stage 2)."


def test_starting_again_after_a_stage_opened_is_recorded_at_the_new_stage(client, cast):
    assignment = staged(cast, client=cast.dave)
    client.force_login(cast.dave)
    # Begun at stage 1 and left at step 2 ...
    client.post(reverse("practice", args=[assignment.pk]), {"action": "start"})
    client.post(reverse("practice_step", args=[assignment.pk, 1]))
    # ... then stage 2 opens, and the client starts afresh from the first screen.
    stage_ready(assignment=assignment, client=cast.dave)
    assignment.refresh_from_db()
    assert assignment.version.stage == 2
    client.post(reverse("practice", args=[assignment.pk]), {"action": "start"})
    response = client.post(
        reverse("practice_after", args=[assignment.pk]),
        {"outcome": "completed", "visibility": "only_me"},
    )
    assert response.status_code == 302
    assert PracticeEntry.objects.get(client=cast.dave).stage == 2


# --- Stages: not ready after all, back a stage, the therapist's choice --------------------------


def test_readiness_can_be_taken_back(client, cast):
    assignment = staged(cast, couple=cast.member(cast.bob).couple)
    client.force_login(cast.bob)
    client.post(reverse("ready_for_next_stage", args=[assignment.pk]))
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "Not ready after all" in page
    client.post(reverse("stage_not_ready", args=[assignment.pk]))
    client.force_login(cast.carol)
    client.post(reverse("ready_for_next_stage", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.version.stage == 1  # Bob took his readiness back: nothing opened


def test_either_partner_steps_back_for_both_and_nobody_is_named(client, cast):
    assignment = staged(cast, couple=cast.member(cast.bob).couple, stage=2)
    client.force_login(cast.carol)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "Go back to stage 1" in page
    client.post(reverse("stage_back", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.version.stage == 1
    client.force_login(cast.bob)
    for url in (reverse("home"), reverse("practice", args=[assignment.pk])):
        main = client.get(url).content.decode().split("<main")[1]
        assert "Your practice is back at stage 1" in main
        assert "Carol" not in main  # never who asked
    change = assignment.changes.filter(fields=["stage"]).get()
    assert change.by is None


def test_who_tapped_ready_last_is_never_named(client, cast):
    assignment = staged(cast, couple=cast.member(cast.bob).couple)
    stage_ready(assignment=assignment, client=cast.bob)
    stage_ready(assignment=assignment, client=cast.carol)
    for person, other in ((cast.bob, "Carol"), (cast.carol, "Bob")):
        client.force_login(person)
        main = client.get(reverse("practice", args=[assignment.pk])).content.decode()
        changes = main.split('id="changes-heading"')[1].split("</section>")[0]
        assert "You both said you felt ready" in changes and other not in changes


def test_the_therapist_chooses_the_stage_and_holds_it_with_a_reason(client, cast):
    assignment = staged(cast, client=cast.dave, stage=2)
    client.force_login(cast.alice)
    url = reverse("assignment_change", args=[assignment.pk])
    form = client.get(url).content.decode()
    # Back a stage, or stay: a more intimate stage is never opened on the therapist's word alone.
    assert "Stage 1:" in form and "Stage 2:" in form and "Stage 3:" not in form
    forward = {"status": "active", "stage": "3", "period": "week", "reason": "Onward."}
    refused = client.post(url, {**forward, "steps": "\n".join(assignment.effective_steps)})
    assert refused.status_code == 400
    assignment.refresh_from_db()
    assert assignment.version.stage == 2
    # Once the client says they feel ready (and the therapist held it), it is offered.
    assignment.held = True
    assignment.save(update_fields=["held"])
    stage_ready(assignment=assignment, client=cast.dave)
    form = client.get(url).content.decode()
    assert "Stage 3:" in form and "your client said they feel ready" in form
    client.post(
        reverse("assignment_change", args=[assignment.pk]),
        {
            "status": "active",
            "stage": "1",
            "held": "on",
            "period": "week",
            "steps": "\n".join(assignment.effective_steps),
            "reason": "Let's spend longer with the first stage.",
        },
    )
    assignment.refresh_from_db()
    assert assignment.version.stage == 1 and assignment.held
    client.force_login(cast.dave)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "suggests staying with this stage for now" in page
    assert "Let&#x27;s spend longer with the first stage." in page


# --- Adjusting never fails silently -------------------------------------------------------------


def test_adjusting_shows_its_errors_in_place_and_says_what_changed(client, cast):
    assignment = solo(cast, times=3)
    client.force_login(cast.alice)
    url = reverse("assignment_change", args=[assignment.pk])
    data = {"status": "active", "period": "week", "steps": "One.\nTwo.", "times": "1"}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    # htmx drops a 400, so the form comes back as 200 with its message, and nothing typed lost.
    assert response.status_code == 200
    assert b"Please add a few words for your client" in response.content
    assert b"One.\nTwo." in response.content
    response = client.post(url, {**data, "reason": "Gentler."}, HTTP_HX_REQUEST="true")
    assert b"Saved. Changed: the steps, how often." in response.content
    assert response["HX-Retarget"] == f"#assignment-{assignment.pk}"
    # Adjust opens the form into one place (replaced, never added twice).
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    assert f'hx-target="#adjust-{assignment.pk}" hx-swap="innerHTML"' in page
    # Opened by its own address, the form is a plain page form (there is no card to put the
    # answer in), and the page after saving says what changed.
    own_page = client.get(url).content.decode()
    form = own_page.split(f'id="change-form-{assignment.pk}"')[1].split(">")[0]
    assert "hx-post" not in form
    response = client.post(url, {**data, "times": "2", "reason": "Twice."}, follow=True)
    assert b"Saved. Changed: how often." in response.content


# --- Nothing vanishes without a word --------------------------------------------------------------


def test_couple_work_stays_readable_after_the_link_ends(client, cast):
    assignment = assignment_create(
        therapist=cast.alice, version=make_exercise(), couple=cast.member(cast.bob).couple
    )
    practice_entry_record(
        assignment=assignment, client=cast.carol, outcome="completed", reflection="carol's own"
    )
    client.force_login(cast.bob)
    client.post(reverse("couple_leave", args=[cast.member(cast.bob).pk]))
    for person in (cast.bob, cast.carol):
        client.force_login(person)
        home = client.get(reverse("home")).content.decode()
        assert "Earlier exercises" in home and "shared work, which has ended" in home
        page = client.get(reverse("practice", args=[assignment.pk]))
        assert page.status_code == 200 and b">Start<" not in page.content
    assert b"carol&#x27;s own" in page.content  # Carol reads her own notes
    client.force_login(cast.bob)
    assert b"carol&#x27;s own" not in client.get(reverse("practice", args=[assignment.pk])).content
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    assert assignment.version.title in page and "the link ended on" in page


def test_text_written_while_an_exercise_is_set_aside_is_saved(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    client.get(reverse("practice_after", args=[assignment.pk]))
    assignment_set_status(assignment=assignment, by=cast.alice, status="discarded", reason="Later")
    response = client.post(
        reverse("practice_after", args=[assignment.pk]),
        {"outcome": "completed", "reflection": "still mine", "visibility": "only_me"},
    )
    assert response.status_code == 302
    assert PracticeEntry.objects.get(client=cast.dave).reflection == "still mine"


def test_text_is_kept_when_the_session_times_out_mid_form(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    client.get(reverse("home"))
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session[STARTED] = int(time.time()) - 40 * 60
    session.save()
    response = client.post(
        reverse("practice_after", args=[assignment.pk]),
        {"outcome": "completed", "reflection": "written before the timeout"},
    )
    assert response["Location"].startswith(reverse("account_login"))
    assert client.login(email="dave@example.test", password=PASSWORD)
    page = client.get(reverse("practice_after", args=[assignment.pk])).content.decode()
    assert "written before the timeout" in page


# --- Drafts --------------------------------------------------------------------------------------


def test_a_draft_keeps_only_the_forms_own_fields_within_limits(client, cast):
    assignment = solo(cast)
    client.force_login(cast.dave)
    url = reverse("practice_draft", args=[assignment.pk])
    client.post(url, {"reflection": "mine", "injected": "x" * 5000, "outcome": "completed"})
    data = json.loads(PracticeDraft.objects.get(client=cast.dave).data)
    assert data == {"reflection": "mine", "outcome": "completed"}
    response = client.post(url, {"reflection": "y" * 2_000_000}, HTTP_HX_REQUEST="true")
    assert b"longer than a note can be" in response.content
    assert json.loads(PracticeDraft.objects.get(client=cast.dave).data)["reflection"] == "mine"


def test_a_second_tab_saving_the_first_draft_at_the_same_moment_is_no_error(cast):
    assignment = solo(cast)
    # The other tab's insert lands between this one's check and its own insert.
    _draft_upsert(assignment=assignment, client=cast.dave, version=assignment.version, data={})
    _draft_upsert(
        assignment=assignment,
        client=cast.dave,
        version=assignment.version,
        data={"reflection": "second tab"},
    )
    draft = PracticeDraft.objects.get(client=cast.dave)
    assert json.loads(draft.data) == {"reflection": "second tab"}  # and it still decrypts


# --- The safety answer ---------------------------------------------------------------------------


def test_feeling_pressured_or_unsafe_reaches_only_the_therapist(
    client, cast, django_capture_on_commit_callbacks
):
    assignment = assignment_create(
        therapist=cast.alice, version=make_exercise(), couple=cast.member(cast.bob).couple
    )
    share_with_partner(cast.bob)
    client.force_login(cast.bob)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("practice_after", args=[assignment.pk]),
            {
                "outcome": "stopped",
                "felt_unsafe": "on",
                "reflection": "shared with carol",
                "visibility": "both",
            },
        )
    entry = PracticeEntry.objects.get(client=cast.bob)
    assert entry.felt_unsafe
    # Alice hears at once, in words that say nothing of what, who or which exercise.
    [alert] = mail.outbox
    assert alert.to == ["alice@example.test"]
    assert alert.subject == "Something in Interlude needs your attention"
    body = alert.message().as_string().lower()
    for word in ("bob", "pressured", "unsafe", "practice", entry.version.title.lower()):
        assert word not in body
    # A calm page follows: thanks, who sees it, nothing expected, and help now (every number a
    # link to call, the abuse helpline included). It never names the answer.
    support = reverse("practice_support", args=[entry.pk])
    assert response["Location"] == support
    main = client.get(support).content.decode().split("<main")[1]
    assert "Thank you for telling us" in main and "Alice will see it" in main
    assert "Nothing more is expected of you" in main and "on your own first" in main
    assert 'href="tel:911"' in main and "frightens or hurts you" in main
    assert "pressured" not in main and "unsafe" not in main
    # Opened later from the browser's history, in another session, it is not shown.
    client.logout()
    client.force_login(cast.bob)
    assert client.get(support)["Location"] == reverse("home")
    client.force_login(cast.carol)
    for url in (
        reverse("shared_by_partner"),
        reverse("home"),
        reverse("practice", args=[assignment.pk]),
    ):
        page = client.get(url).content.decode()
        assert "pressured" not in page.split("<main")[1]
        assert "unsafe" not in page.split("<main")[1]
    assert "shared with carol" in client.get(reverse("shared_by_partner")).content.decode()
    # Not on Bob's own pages either (someone may be looking over his shoulder).
    client.force_login(cast.bob)
    page = client.get(reverse("practice", args=[assignment.pk])).content.decode()
    assert "pressured" not in page.split("<main")[1]
    # Nor in his own export, nor in any e-mail.
    from interlude.privacy.export import build_export, export_zip

    assert "felt_unsafe" not in json.dumps(build_export(cast.bob))
    assert b"pressured" not in export_zip(cast.bob)
    assert not any("pressured" in m.message().as_string() for m in mail.outbox)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()
    flags = page.split('id="flags-heading"')[1]
    # Work done together: the therapist is asked to talk with Bob on his own first.
    said = (
        "Said they felt pressured or unsafe during couple work: talk with them on their own first"
    )
    assert flags.index(said) < flags.index("</ul>")
    assert "flag--safety" in flags
    # Work done alone carries the plain words.
    own = assignment_create(
        therapist=cast.alice, version=make_exercise("alone", suits="individual"), client=cast.dave
    )
    client.force_login(cast.dave)
    done = client.post(
        reverse("practice_after", args=[own.pk]),
        {"outcome": "stopped", "felt_unsafe": "on", "visibility": "only_me"},
    )
    assert done.status_code == 302, done.content.decode()[-3000:]
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.dave.pk])).content.decode()
    flags = page.split('id="flags-heading"')[1]
    assert "Said they felt pressured or unsafe" in flags and "during couple work" not in flags


# --- A partner who is not taking part -------------------------------------------------------------

JOINT = re.compile(r"\b(both|together|each other|shared space|you two)\b", re.IGNORECASE)


def test_a_client_whose_partner_is_not_taking_part_meets_no_couple_wording(client, cast):
    couple = cast.member(cast.gina).couple
    assignment = staged(cast, couple=couple, stage=1, slug="solo-sensate-focus-stage")
    client.force_login(cast.gina)
    client.post(reverse("practice", args=[assignment.pk]), {})
    pages = [
        reverse("home"),
        reverse("practice", args=[assignment.pk]),
        reverse("practice_step", args=[assignment.pk, 1]),
        reverse("practice_after", args=[assignment.pk]),
        reverse("ready_for_next_stage", args=[assignment.pk]),
        reverse("partner"),
        reverse("couple_leave", args=[cast.member(cast.gina).pk]),
        reverse("journal"),
        reverse("privacy"),
    ]
    client.post(reverse("practice_stop", args=[assignment.pk]), {"step": "1"})
    pages.append(reverse("practice_entry_after", args=[PracticeEntry.objects.get().pk]))
    # The exercise's own text is the therapist's choice of a solo exercise; Interlude's words
    # around it are what must fit a client practising on their own.
    version = assignment.version
    exercise_text = [*version.steps, version.what_it_is, version.summary, version.title]
    problems = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        main = html.unescape(response.content.decode().split("<main")[1].split("</main>")[0])
        main = re.sub(r"<[^>]+>", " ", main)
        for text in exercise_text:
            main = main.replace(text, " ")
        problems += [f"{url}: {m.group(0)!r}" for m in JOINT.finditer(main)]
    assert not problems, problems
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[cast.gina.pk])).content.decode()
    assert "Their own (their partner is not taking part)" in page


def test_drafts_are_encrypted(cast):
    assignment = solo(cast)
    _draft_upsert(
        assignment=assignment,
        client=cast.dave,
        version=assignment.version,
        data={"reflection": "secret draft words"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM homework_practicedraft")
        assert "secret draft words" not in str(cursor.fetchall())
    assert Assignment.objects.count() == 1


def test_not_this_time_keeps_no_minutes_and_the_form_hides_what_does_not_fit(client, cast):
    assignment = solo(cast, times=3)
    entry = practice_entry_record(
        assignment=assignment, client=cast.dave, outcome="not_this_time", duration_minutes=20
    )
    assert entry.duration_minutes is None
    client.force_login(cast.dave)
    page = client.get(reverse("practice_after", args=[assignment.pk])).content.decode()
    assert 'class="afterwards"' in page  # the stylesheet hides reasons after "I did it"


def test_words_typed_after_a_one_tap_stop_are_kept_for_that_screen_alone(client, cast):
    assignment = solo(cast, times=3)
    client.force_login(cast.dave)
    client.post(reverse("practice", args=[assignment.pk]), {"action": "start"})
    client.post(reverse("practice_stop", args=[assignment.pk]), {"step": "1"})
    entry = PracticeEntry.objects.get(client=cast.dave)
    after = reverse("practice_entry_after", args=[entry.pk])
    page = client.get(after).content.decode()
    assert f'name="afterwards_of" value="{entry.pk}"' in page and "hx-post" in page
    # Autosaved as it is typed (encrypted, like every draft), and offered back on that screen.
    saved = client.post(
        reverse("practice_draft", args=[assignment.pk]),
        {"afterwards_of": str(entry.pk), "reflection": "half a thought about the second step"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "Kept as a draft" in saved.content.decode()
    assert "half a thought about the second step" in client.get(after).content.decode()
    # Not in a new practice's screens.
    for url in (
        reverse("practice", args=[assignment.pk]),
        reverse("practice_after", args=[assignment.pk]),
    ):
        assert "half a thought" not in client.get(url).content.decode()
    # Saved with the note, then gone from the drafts.
    done = client.post(after, {"reflection": "half a thought, finished", "visibility": "only_me"})
    assert done.status_code == 302
    entry.refresh_from_db()
    assert entry.reflection == "half a thought, finished"
    assert not PracticeDraft.objects.filter(client=cast.dave).exists()
