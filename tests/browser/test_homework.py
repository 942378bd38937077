"""End to end in Chromium: a client practises on a phone, stops at step 2 with one tap, steps
back a stage; the partner is told neutrally; the therapist sees the entry at the stage it was
done at, holds stage 1 with a reason, and the client reads why."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from interlude.exercises.actions import library_sync
from interlude.exercises.models import Exercise
from interlude.homework.models import Assignment, PracticeEntry
from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email, *, totp_user=None):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp_user is not None:
        secret = decrypt(
            Authenticator.objects.get(user=totp_user, type=Authenticator.Type.TOTP).data["secret"]
        )
        page.get_by_label("Code").fill(
            format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        )
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def latest(slug):
    exercise = Exercise.objects.get(slug=slug, practice__isnull=True)
    return exercise.versions.get(version=exercise.latest_version)


def test_practise_stop_step_back_hold_and_read_why(new_page, shoot):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    couple = cast.member(cast.bob).couple
    stage2 = latest("sensate-focus-stage-2")

    # Alice assigns sensate focus to Bob and Carol, starting at stage 2, with a note.
    therapist = new_page(width=1280, height=900)
    sign_in(therapist, "alice@example.test", totp_user=cast.alice)
    therapist.goto(f"/clients/{cast.bob.pk}/assign/?exercise={stage2.exercise_id}")
    therapist.get_by_label("Bob and Carol, together").check()
    therapist.get_by_label("A personal note").fill("Go slowly. Either of you can say no.")
    therapist.get_by_label("How often to invite them to try it").fill("2")
    shoot(therapist, "40-assign-form")
    therapist.get_by_role("button", name="Share with Bob").click()
    therapist.get_by_text("is now on Bob's and Carol's pages").wait_for()
    assignment = Assignment.objects.get(couple=couple)
    assert assignment.version.stage == 2

    # Bob, on his phone: the first screen, then one step at a time.
    bob = new_page()
    sign_in(bob, "bob@example.test")
    bob.get_by_text("Go slowly. Either of you can say no.").wait_for()
    shoot(bob, "41-client-home-phone")
    bob.get_by_role("link", name=assignment.version.title).click()
    # The scale says what its ends mean.
    bob.locator(".scale__ends").get_by_text("0 = not at all anxious").first.wait_for()
    bob.locator("#id_before_anxiety").get_by_text("7", exact=True).click()
    shoot(bob, "42-practice-before-phone")
    bob.get_by_role("button", name="Start").click()
    bob.get_by_role("heading", name="Step 1").wait_for()
    # One bar with Pause and Stop, named by the step, stays on screen.
    assert bob.get_by_role("button", name="Stop at step 1").is_visible()
    bob.get_by_role("button", name="Next step").click()
    bob.get_by_role("heading", name="Step 2").wait_for()
    shoot(bob, "43-practice-step-phone")
    bar = bob.locator(".practice-bar").bounding_box()
    assert bar["y"] + bar["height"] <= 844  # on screen on a phone
    # One tap on Stop: noted at step 2 at once, with Undo, and the afterwards screen optional.
    bob.get_by_role("button", name="Stop at step 2").click()
    bob.get_by_text("Noted: you stopped at step 2").wait_for()
    entry = PracticeEntry.objects.get(client=cast.bob)
    assert entry.outcome == "stopped" and entry.stopped_at_step == 2 and entry.stage == 2
    assert entry.ratings_before == {"anxiety": 7}
    bob.get_by_label("It felt like too much").check()
    bob.get_by_label("Anything you noticed").fill("My mind kept racing ahead.")
    shoot(bob, "44-practice-stopped-phone")
    bob.get_by_role("button", name="Save", exact=True).click()
    bob.get_by_text("Stopping is part of the practice").wait_for()

    # Bob steps back to stage 1, in one tap.
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_role("button", name="Go back to stage 1").click()
    bob.get_by_text("You're back at stage 1").wait_for()
    assignment.refresh_from_db()
    assert assignment.version.stage == 1

    # Carol is told neutrally, never who asked.
    carol = new_page()
    sign_in(carol, "carol@example.test")
    carol.get_by_text("Your practice is back at stage 1.").wait_for()
    main = carol.locator("main").inner_text()
    assert "Bob" not in main
    shoot(carol, "45-partner-told-neutrally-phone")
    # Her afterwards form asks only what fits her answer.
    carol.goto(f"/practice/{assignment.pk}/after/")
    carol.get_by_label("I did it").check()
    assert carol.locator("#id_reasons").is_hidden()
    carol.get_by_label("Not this time").check()
    assert carol.locator("#id_reasons").is_visible()
    assert carol.locator("#id_duration_minutes").is_hidden()

    # Alice sees the entry at stage 2, where it happened, and holds stage 1 with a reason.
    therapist.goto(f"/clients/{cast.bob.pk}/")
    flag = therapist.locator(".flag").filter(has_text="Said it felt like too much")
    assert "stage 2" in flag.inner_text().lower()
    assert therapist.get_by_text("My mind kept racing ahead.").count() == 0  # only Bob's
    shoot(therapist, "46-client-page-flag")
    card = therapist.locator(f"#assignment-{assignment.pk}")
    card.get_by_role("link", name="Adjust").click()
    card.get_by_label("Stay at this stage for now").wait_for()
    # Once open, Adjust gives way (pressing it again would have emptied the form).
    assert card.get_by_role("link", name="Adjust").count() == 0
    assert card.get_by_text("Adjusting below").count() == 1
    assert card.locator("form").count() == 1
    card.get_by_label("Stay at this stage for now").check()
    card.get_by_role("button", name="Save change").click()
    # Without a reason: the message appears in the form, nothing is lost.
    card.locator(".errorlist").get_by_text("Please add a few words for your client").wait_for()
    card.get_by_label("A short reason, in words for your client").fill(
        "Let's stay with stage 1 until we next meet."
    )
    shoot(therapist, "47-adjust-form")
    card.get_by_role("button", name="Save change").click()
    therapist.get_by_text("Saved. Changed: staying at this stage.").wait_for()
    assert therapist.url.endswith(f"/clients/{cast.bob.pk}/")  # stayed in place (htmx)

    # Bob reads why.
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_text("suggests staying with this stage for now").wait_for()
    bob.get_by_text("Let's stay with stage 1 until we next meet.").first.wait_for()
    shoot(bob, "48-client-reads-why-phone")
