"""End to end in Chromium: Alice suggests the first steps of Bob's exposure ladder on a desktop;
Bob, on his phone, changes and reorders them, chooses a step, notes two tries (pausing in the
middle of the second) and sees his chart; Alice sees the chart and a gentle flag, and asks Bob to
stay at a step for now with a reason; Bob reads why. Every page is photographed at phone and
desktop size and checked with axe."""

from __future__ import annotations

import pytest

from interlude.exercises.actions import library_sync
from interlude.homework.actions import assignment_create
from interlude.ladder.models import LadderAttempt
from interlude.testing import make_cast, share_with_partner
from tests.browser.test_homework import latest, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (390, 844)
DESKTOP = (1280, 900)


def both_sizes(new_page, shoot, check_axe, storage, url, name):
    """Photograph URL at phone and desktop size (signed in as STORAGE's person) and check axe."""
    for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_page(width, height, storage_state=storage)
        page.goto(url)
        shoot(page, f"ladder-{name}-{label}")
        check_axe(page, f"{name} ({label})")
        page.close()


def test_build_a_ladder_try_steps_chart_flag_and_hold(new_page, shoot, check_axe):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    share_with_partner(cast.bob)  # Bob may share a note with Carol, if he chooses
    assignment = assignment_create(
        therapist=cast.alice,
        version=latest("practising-a-ladder-step"),
        client=cast.bob,
        note="Let's build your ladder together, slowly.",
    )

    # Alice, on her desktop, opens Bob's page and suggests the first three steps.
    alice = new_page(*DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.bob.pk}/")
    alice.get_by_role("link", name="Suggest the first steps").click()
    alice.get_by_role("heading", name="Bob's ladder").wait_for()
    for text, suds in (
        ("Sitting close on the sofa, fully dressed", "20"),
        ("A long hug, standing", "50"),
        ("Holding hands for five minutes", "35"),
    ):
        alice.get_by_label("The step, in a few words").fill(text)
        alice.get_by_label("How distressing do you expect it to be?").select_option(suds)
        alice.get_by_role("button", name="Suggest this step").click()
        alice.get_by_text("Added as step").wait_for()
    # Each went where its distress put it.
    steps = alice.locator(".ladder-step__text").all_inner_texts()
    assert steps == [
        "Sitting close on the sofa, fully dressed",
        "Holding hands for five minutes",
        "A long hug, standing",
    ]
    # Without a number: the message is next to the field and the words are kept.
    alice.get_by_label("The step, in a few words").fill("A slow kiss")
    alice.get_by_role("button", name="Suggest this step").click()
    alice.locator(".errorlist").get_by_text("Please choose a number").wait_for()
    assert alice.get_by_label("The step, in a few words").input_value() == "A slow kiss"
    shoot(alice, "ladder-01-therapist-suggests-desktop")
    alice_state = alice.context.storage_state()

    # Bob, on his phone: his ladder, with what Alice changed.
    bob = new_page(*PHONE, touch=True)
    sign_in(bob, "bob@example.test")
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_role("link", name="Open your ladder").click()
    bob.get_by_role("heading", name="Your ladder").wait_for()
    bob.get_by_role("heading", name="What Alice changed lately").wait_for()
    shoot(bob, "ladder-02-client-ladder-phone")
    # He changes a step in his own words: the history keeps Alice's.
    bob.get_by_role("link", name="Change step 3").click()
    bob.get_by_label("The step, in a few words").fill("A long hug, sitting down")
    bob.get_by_label("How distressing do you expect it to be?").select_option("45")
    shoot(bob, "ladder-03-client-changes-a-step-phone")
    bob.get_by_role("button", name="Save changes").click()
    bob.get_by_text("Step 3 is saved.").wait_for()
    # He moves "Holding hands" lower, then puts the ladder back in order of distress.
    bob.get_by_role("button", name="Move step 2 one place lower").click()
    bob.get_by_text("Some steps are rated higher").wait_for()
    bob.get_by_role("button", name="Put them in order of distress").click()
    bob.get_by_text("The steps are in order of distress now").wait_for()
    # He chooses step 1 and his pause point.
    bob.locator(".ladder-step").first.get_by_role("button", name="Work on this step").click()
    bob.get_by_text("You're working on step 1 now.").wait_for()
    bob_state = bob.context.storage_state()

    # First try: before, the step, afterwards.
    bob.get_by_role("button", name="Try this step").click()
    bob.get_by_role("heading", name="Before you begin").wait_for()
    bob.get_by_label("How distressed do you feel right now?").select_option("50")
    bob.get_by_label("I pause if my distress goes above").select_option("70")
    bob.get_by_label("…or when (in your own words)").fill("if I feel numb or far away")
    bob.get_by_label("What are you about to do").fill("I expect my heart to race.")
    shoot(bob, "ladder-04-try-before-phone")
    bob.get_by_role("button", name="Begin the step").click()
    bob.get_by_text("Your pause point:").wait_for()
    bar = bob.locator(".practice-bar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE[1]  # Pause is on screen
    shoot(bob, "ladder-05-try-during-phone")
    bob.get_by_role("button", name="I've finished the step").click()
    bob.get_by_role("heading", name="Afterwards").wait_for()
    bob.get_by_label("The highest your distress reached").select_option("70")
    bob.get_by_label("How distressed do you feel now?").select_option("35")
    bob.get_by_label("About how many minutes").fill("20")
    bob.get_by_label("What happened, compared with what you expected?").fill(
        "My heart raced, then slowed."
    )
    bob.get_by_label("Me and Alice (my therapist)").check()
    shoot(bob, "ladder-06-try-after-phone")
    bob.get_by_role("button", name="Save").click()
    bob.get_by_text("Thank you for noting how it went.").wait_for()

    # Second try, with a pause in the middle: one tap, nothing lost.
    bob.get_by_role("button", name="Try this step").click()
    bob.get_by_label("How distressed do you feel right now?").select_option("55")
    bob.get_by_role("button", name="Begin the step").click()
    bob.get_by_text("Your pause point:").wait_for()
    bob.get_by_role("button", name="Pause").click()
    bob.get_by_text("Paused. Nothing is lost").wait_for()
    bob.get_by_text("You paused while trying step 1").wait_for()
    shoot(bob, "ladder-07-paused-phone")
    bob.get_by_role("link", name="Carry on").click()
    bob.get_by_role("button", name="I stopped partway").click()
    bob.get_by_label("I stopped partway").wait_for()
    assert bob.get_by_label("I stopped partway").is_checked()
    bob.get_by_label("The highest your distress reached").select_option("80")
    bob.get_by_label("How distressed do you feel now?").select_option("55")
    bob.get_by_label("I reached my pause point").check()
    bob.get_by_label("What happened, compared with what you expected?").fill(
        "Pausing helped me stay with it."
    )
    bob.get_by_label("Me, Alice (my therapist) and Carol").check()
    bob.get_by_role("button", name="Save").click()
    bob.get_by_text("Stopping is part of this method").wait_for()
    tries = list(LadderAttempt.objects.order_by("pk"))
    assert [(t.suds_before, t.suds_peak, t.suds_after) for t in tries] == [
        (50, 70, 35),
        (55, 80, 55),
    ]
    assert tries[1].pauses == 1 and tries[1].outcome == "stopped"

    # Bob sees his chart, its plain summary and its numbers.
    chart = bob.locator("figure.chart").first
    chart.scroll_into_view_if_needed()
    assert "after this step your distress has gone up from about 35 to about 55" in (
        chart.inner_text().lower()
    )
    chart.get_by_text("Show the numbers").click()
    assert chart.locator("table").is_visible()
    shoot(bob, "ladder-08-client-chart-phone")

    # Alice sees the chart and a gentle flag, and holds step 1 with a reason.
    alice.goto(f"/clients/{cast.bob.pk}/ladder/{assignment.pk}/")
    flag = alice.locator(".flag").filter(has_text="Distress after step 1 has gone up")
    flag.wait_for()
    assert alice.locator("figure.chart").count() == 1
    assert alice.get_by_text("My heart raced, then slowed.").count() == 1  # shared with her
    alice.get_by_text("Bob changed a step to “A long hug, sitting down” (45).").first.wait_for()
    alice.get_by_text("It was “A long hug, standing” (50).").first.wait_for()
    alice.get_by_text("Ask Bob to stay at a step for now").click()
    alice.get_by_label("Stay at or below this step for now").select_option(
        label="Step 1: Sitting close on the sofa, fully dressed"
    )
    alice.get_by_role("button", name="Save", exact=True).click()
    alice.locator(".errorlist").get_by_text("Please add a few words").wait_for()
    alice.get_by_label("A short reason, in words for your client").fill(
        "Let's stay with step 1 until we talk about that pause."
    )
    shoot(alice, "ladder-09-therapist-holds-desktop")
    alice.get_by_role("button", name="Save", exact=True).click()
    alice.get_by_text("reads your reason on their ladder").wait_for()
    shoot(alice, "ladder-10-therapist-ladder-desktop")

    # Bob reads why; the steps above are not offered.
    bob.goto(f"/ladder/{assignment.pk}/")
    bob.get_by_text("Let's stay with step 1 until we talk about that pause.").first.wait_for()
    assert bob.get_by_role("button", name="Work on this step").count() == 0
    shoot(bob, "ladder-11-client-reads-why-phone")

    # Every page, at both sizes, with axe.
    ladder_id = tries[0].ladder_id
    step_id = tries[0].step_id
    for url, name, state in (
        (f"/ladder/{assignment.pk}/", "client", bob_state),
        (f"/ladders/{ladder_id}/steps/{step_id}/", "step-edit", bob_state),
        (f"/clients/{cast.bob.pk}/ladder/{assignment.pk}/", "therapist", alice_state),
        (f"/clients/{cast.bob.pk}/", "client-page-section", alice_state),
    ):
        both_sizes(new_page, shoot, check_axe, state, url, name)
    # Carol reads only the note Bob shared with her: never his ladder.
    carol = new_page(*PHONE, touch=True)
    sign_in(carol, "carol@example.test")
    carol.goto("/ladder/shared-with-you/")
    carol.get_by_text("Pausing helped me stay with it.").wait_for()
    assert carol.get_by_text("Sitting close on the sofa").count() == 0
    assert carol.get_by_text("My heart raced").count() == 0
    carol_state = carol.context.storage_state()
    both_sizes(new_page, shoot, check_axe, carol_state, "/ladder/shared-with-you/", "shared")

    # A third try, photographed at each screen.
    bob.goto(f"/ladder/{assignment.pk}/")
    bob.get_by_role("button", name="Try this step").click()
    attempt = LadderAttempt.objects.exclude(phase="done").get()
    url = f"/ladder/tries/{attempt.pk}/"
    both_sizes(new_page, shoot, check_axe, bob_state, url, "try-before")
    bob.get_by_role("button", name="Begin the step").click()
    bob.get_by_text("Your pause point:").wait_for()
    both_sizes(new_page, shoot, check_axe, bob_state, url, "try-during")
    bob.get_by_role("button", name="I've finished the step").click()
    bob.get_by_role("heading", name="Afterwards").wait_for()
    both_sizes(new_page, shoot, check_axe, bob_state, url, "try-after")
