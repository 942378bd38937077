"""End to end in Chromium: assign, practise, stop partway, see the flag, adjust, see the change."""

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


def test_assign_practise_stop_flag_adjust(new_page, shoot):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    stage1 = Exercise.objects.get(slug="sensate-focus-stage-1", practice__isnull=True)

    # Alice assigns sensate focus stage 1 to Bob and Carol, with a note.
    therapist = new_page(width=1024, height=900)
    sign_in(therapist, "alice@example.test", totp_user=cast.alice)
    therapist.goto(f"/clients/{cast.bob.pk}/")
    therapist.get_by_role("link", name="Assign an exercise").click()
    shoot(therapist, "40-assign-pick")
    therapist.goto(f"/clients/{cast.bob.pk}/assign/?exercise={stage1.pk}")
    therapist.get_by_label("Bob and Carol, together").check()
    therapist.get_by_label("A personal note").fill("Go slowly. Either of you can say no.")
    therapist.get_by_label("How often to invite them to try it").fill("2")
    shoot(therapist, "41-assign-form")
    therapist.get_by_role("button", name="Share with Bob").click()
    therapist.get_by_text("is now on Bob's page").wait_for()
    assignment = Assignment.objects.get(couple__members__client=cast.bob)

    # Bob practises, and stops partway because it felt like too much.
    client = new_page()
    sign_in(client, "bob@example.test")
    client.get_by_text("Go slowly. Either of you can say no.").wait_for()
    shoot(client, "42-client-home")
    client.get_by_role("link", name=assignment.version.title).click()
    client.locator("#id_before_anxiety_8").check()  # 7 out of 10
    shoot(client, "43-practice-page")
    client.get_by_role("button", name="Stop here").nth(1).click()
    client.get_by_text("You stopped partway").wait_for()
    assert client.locator("#id_before_anxiety_8").is_checked()  # nothing typed was lost
    client.get_by_label("It felt like too much").check()
    client.get_by_label("I'd like to talk about changing this exercise").check()
    client.get_by_label("Anything you noticed").fill("My mind kept racing ahead.")
    # Autosave keeps the draft even if Bob leaves now (htmx, after a short pause in typing).
    client.get_by_text("Draft kept at").wait_for()
    client.reload()
    assert client.get_by_label("Anything you noticed").input_value() == "My mind kept racing ahead."
    client.get_by_label("It felt like too much").check()
    client.get_by_label("I'd like to talk about changing this exercise").check()
    shoot(client, "44-practice-stopped")
    client.get_by_role("button", name="Save", exact=True).click()
    client.get_by_text("Stopping is part of the practice").wait_for()
    entry = PracticeEntry.objects.get(client=cast.bob)
    assert entry.outcome == "stopped" and entry.reasons == ["too_much"]

    # Alice sees the gentle flag and adjusts the assignment with a reason (htmx, in place).
    therapist.goto(f"/clients/{cast.bob.pk}/")
    therapist.get_by_text("Said it felt like too much").wait_for()
    therapist.get_by_text("My mind kept racing ahead.").wait_for()
    shoot(therapist, "45-client-page-flag")
    therapist.locator(f"#assignment-{assignment.pk}").get_by_role("link", name="Adjust").click()
    therapist.get_by_label("Status").select_option("active")
    therapist.get_by_label("How often").fill("1")
    therapist.get_by_label("A short reason, in words for your client").fill(
        "Let's slow it down: once this week, and keep it short."
    )
    shoot(therapist, "46-adjust-form")
    therapist.get_by_role("button", name="Save change").click()
    therapist.get_by_text("Your client will see what changed and why").wait_for()
    assert therapist.url.endswith(f"/clients/{cast.bob.pk}/")  # stayed in place (htmx)

    # Bob sees what changed and the reason.
    client.goto("/")
    client.get_by_text("Let's slow it down: once this week, and keep it short.").wait_for()
    client.get_by_text("Try it once this week, if it feels right.").wait_for()
    shoot(client, "47-client-sees-change")
