"""End to end in Chromium: a therapist browses the library, copies an exercise and edits it."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from interlude.exercises.actions import library_sync
from interlude.exercises.models import Exercise
from interlude.testing import PASSWORD, enrol_mfa, make_therapist

pytestmark = pytest.mark.django_db(transaction=True)


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_therapist_browses_copies_and_edits(new_page, shoot):
    # Browser tests empty the database between tests, so load the library again.
    library_sync()
    therapist = make_therapist("rowan@example.test", name="Rowan", mfa=False)
    secret = enrol_mfa(therapist)

    page = new_page(width=1024, height=900)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rowan@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=code]").fill(totp_now(secret))
    page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()

    page.goto("/library/")
    page.get_by_role("heading", name="Exercise library").wait_for()
    page.get_by_role("heading", name="Sensate focus", exact=True).wait_for()
    shoot(page, "30-library")

    # Filtering works without JavaScript: a plain GET form.
    page.get_by_label("Who it suits").select_option("couple")
    page.get_by_label("Intensity").select_option("gentle")
    page.get_by_role("button", name="Show exercises").click()
    page.wait_for_url(re.compile(r"suits=couple"))
    assert page.get_by_role("link", name="Guided body scan").count() == 1  # suits either
    assert page.get_by_role("link", name="Solo fantasy journal").count() == 0
    shoot(page, "31-library-filtered")

    page.get_by_role("link", name="Sensate focus, stage 1: touch without a goal").click()
    page.get_by_role("heading", name="What your client sees").wait_for()
    page.get_by_role("heading", name="If you want to stop").wait_for()
    assert page.get_by_role("link", name="Edit").count() == 0
    shoot(page, "32-exercise-detail")

    page.get_by_role("link", name="Copy and customise").click()
    page.wait_for_url(re.compile(r"/library/new/\?from=\d+"))
    page.get_by_text("Nothing is saved until you press Save").wait_for()
    assert not Exercise.objects.filter(practice=therapist.membership.practice).exists()
    shoot(page, "33-exercise-customise")

    # A mistake is explained next to the field, and nothing typed is lost.
    page.get_by_label("Title").fill("Touch without a goal, our way")
    page.get_by_label("Typical time, in minutes").fill("500")
    page.get_by_label("Steps").fill("Agree a stop signal.\nTake turns touching.")
    page.get_by_role("button", name="Save exercise").click()
    page.locator(".errorlist").get_by_text("Please give at most 240 minutes.").wait_for()
    assert page.get_by_label("Title").input_value() == "Touch without a goal, our way"
    assert page.get_by_label("Steps").input_value() == "Agree a stop signal.\nTake turns touching."
    shoot(page, "34-exercise-edit-error")

    page.get_by_label("Typical time, in minutes").fill("40")
    page.get_by_role("button", name="Save exercise").click()
    page.get_by_text("Your practice now has its own version").wait_for()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Typical time, in minutes").fill("35")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("Saved as version 2").wait_for()
    shoot(page, "35-own-exercise-detail")
    own = Exercise.objects.get(practice=therapist.membership.practice)
    assert (own.latest_version, own.title) == (2, "Touch without a goal, our way")

    # On a phone, the library stays readable.
    phone = new_page()
    phone.context.add_cookies(page.context.cookies())
    phone.goto("/library/")
    phone.get_by_text("Your practice's own").first.wait_for()
    shoot(phone, "36-library-phone")
