"""End to end in Chromium: Alice gives Bob and Carol a desire map and leaves one group out; Bob
answers on his phone, one group at a time, each answer kept as he goes, and sends; Carol marks
yes everywhere; Bob is told first what a comparison would show, and goes ahead; each sees only
what they share, and both share it with Alice, who sees it. Gina, whose partner is not taking
part, keeps a personal map and shares her yes and maybe items. Every page at phone and desktop
size, axe-clean."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from interlude.desire.models import DesireAnswers, DesireRound
from interlude.exercises.actions import library_sync
from interlude.exercises.models import Exercise
from interlude.homework.actions import assignment_create
from interlude.homework.models import Assignment
from interlude.testing import PASSWORD, make_cast
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = (390, 844)
DESKTOP = (1280, 900)
JOINT = re.compile(r"\b(both|together|each other|your partner|you two)\b", re.IGNORECASE)


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


def both_sizes(page, shoot, check_axe, name, *, new_page):
    """Screenshots of PAGE at its own size and, through a twin signed in as the same person,
    at the other size; each checked with axe. PAGE itself is never resized, so the journey
    carries on exactly where it was."""
    phone = page.viewport_size["width"] == PHONE[0]
    sizes = [("phone", PHONE), ("desktop", DESKTOP)]
    if not phone:
        sizes.reverse()
    twin = new_page(*sizes[1][1], storage_state=page.context.storage_state())
    twin.goto(page.url)
    for (label, _), shown in zip(sizes, (page, twin), strict=True):
        shoot(shown, f"desire-{name}-{label}")
        # What fits the first screen, as the person sees it on arrival.
        top = shown.evaluate("window.scrollY")
        shown.evaluate("window.scrollTo(0, 0)")
        shown.screenshot(path=str(ARTIFACTS / f"desire-{name}-{label}-first-screen.png"))
        shown.evaluate(f"window.scrollTo(0, {top})")
        check_axe(shown, f"{name} ({label})")
    twin.close()


def kept(page, control):
    """Click CONTROL and wait until the change is kept (the autosave answered)."""
    with page.expect_response(lambda r: "/group/" in r.url and r.request.method == "POST"):
        control.click()
    page.locator("#save-status").get_by_text("Kept at").wait_for()


def answer_group(page, answers):
    """Click each answer (its visible label), each kept as it is chosen."""
    for title, answer in answers:
        item = page.locator("fieldset.desire-item").filter(
            has=page.locator("legend", has_text=re.compile(f"^{re.escape(title)}$"))
        )
        kept(page, item.locator("label.desire-answer").filter(has_text=answer))


def test_a_couple_maps_privately_and_sees_only_what_they_share(new_page, shoot, check_axe):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)

    # Alice gives Bob and Carol the desire map, then leaves out one group.
    alice = new_page(*DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.bob.pk}/assign/?exercise={exercise.pk}")
    alice.get_by_label("Bob and Carol, together").check()
    alice.get_by_role("button", name="Share with Bob").click()
    alice.get_by_text("is now on Bob's and Carol's pages").wait_for()
    assignment = Assignment.objects.get(couple=cast.member(cast.bob).couple)
    alice.get_by_role("link", name="What the map offers").click()
    alice.get_by_role("heading", name="Desire map: what it offers").wait_for()
    alice.get_by_label("Curious about").uncheck()
    alice.get_by_role("button", name="Save what the map offers").click()
    alice.get_by_text("Saved. The map offers what you chose").wait_for()
    alice.get_by_label("Item", exact=True).fill("Dancing in the kitchen")
    alice.get_by_label("What it means").fill("Putting music on at home and dancing, slow or silly.")
    alice.get_by_role("button", name="Add this item").click()
    alice.get_by_text("Added. It is on the map from now on").wait_for()
    both_sizes(alice, shoot, check_axe, "settings", new_page=new_page)

    # Bob, on his phone: from the exercise to his map, one group at a time.
    bob = new_page(*PHONE, touch=True)
    sign_in(bob, "bob@example.test")
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_role("link", name="Open your shared desire map").click()
    bob.get_by_role("heading", name="Desire map with Carol").wait_for()
    both_sizes(bob, shoot, check_axe, "map-start", new_page=new_page)
    bob.get_by_role("link", name=re.compile("Start with group 1 of 8")).click()
    bob.get_by_text("Group 1 of 8").wait_for()
    answer_group(
        bob,
        [("Long hugs", "Yes"), ("Holding hands", "Maybe"), ("Slow kissing", "No")],
    )
    # "Only if they say yes too", kept as he goes like the rest.
    item = bob.locator("fieldset.desire-item").filter(has_text="Slow kissing")
    kept(bob, item.locator("label.desire-answer").filter(has_text="Yes"))
    kept(bob, item.get_by_label("Only show this if Carol says yes too"))
    both_sizes(bob, shoot, check_axe, "group", new_page=new_page)
    # The buttons stay in reach at the bottom of the phone's screen.
    bar = bob.locator(".desire-bar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE[1] + 1
    mine = DesireAnswers.objects.get(author=cast.bob)
    assert mine.answers["slow-kissing"] == ("yes", True)
    assert mine.answers["long-hugs"] == ("yes", False)
    bob.get_by_role("button", name="Keep and go on").click()
    bob.get_by_text("Group 2 of 8").wait_for()
    answer_group(bob, [("Compliments", "Yes"), ("Flirty messages", "Maybe")])
    # Leaving mid-way loses nothing: the map says where he is.
    bob.goto(f"/map/{assignment.pk}/")
    bob.get_by_text("You've marked 5 of").wait_for()
    bob.get_by_role("link", name="Review and send").click()
    bob.get_by_role("heading", name="Review your answers").wait_for()
    both_sizes(bob, shoot, check_axe, "review", new_page=new_page)
    bob.get_by_role("button", name="Send my answers").click()
    bob.get_by_role("heading", name="Your answers are sent").wait_for()
    both_sizes(bob, shoot, check_axe, "map-sent", new_page=new_page)

    # Carol, at her desk, marks yes for everything, group by group, and sends.
    carol = new_page(*DESKTOP)
    sign_in(carol, "carol@example.test")
    carol.goto(f"/map/{assignment.pk}/")
    carol.get_by_role("link", name=re.compile("Start with group 1")).click()
    for number in range(1, 9):
        carol.get_by_text(f"Group {number} of 8").wait_for()
        for label in carol.locator("label.desire-answer--yes").all():
            kept(carol, label)
        carol.get_by_role("button", name=re.compile("^Keep and (go on|review)$")).click()
    carol.get_by_role("button", name="Send my answers").click()
    carol.get_by_role("heading", name="Your answers are sent").wait_for()
    # Nothing is compared yet: Bob is told first, and Carol's page does not say so.
    assert DesireRound.objects.get().revealed_at is None
    assert "Before anything" not in carol.locator("main").inner_text()

    bob.goto(f"/map/{assignment.pk}/")
    bob.get_by_role("link", name="Read it and choose").click()
    bob.get_by_text("what you share would show almost all of your own yes and maybe").wait_for()
    both_sizes(bob, shoot, check_axe, "before-reveal", new_page=new_page)
    bob.get_by_role("button", name="Go ahead and compare").click()
    bob.get_by_role("link", name="See what you share").click()
    bob.get_by_role("heading", name="You both said yes").wait_for()
    main = bob.locator("main").inner_text()
    assert "Long hugs" in main and "Compliments" in main  # both yes
    assert "Holding hands" in main and "Flirty messages" in main  # curious
    assert "Slow kissing" in main  # his yes-only-if: Carol said yes
    assert "Dancing in the kitchen" not in main  # Bob left it unmarked
    both_sizes(bob, shoot, check_axe, "shared", new_page=new_page)
    bob.get_by_role("button", name="Share these with Alice").click()
    bob.get_by_text("sees them only if Carol chooses to as well").wait_for()

    # Carol sees the same shared items, none of Bob's other answers, and shares them too.
    carol.goto(f"/map/{assignment.pk}/")
    carol.get_by_role("link", name="See what you share").click()
    carol.get_by_role("heading", name=re.compile("both curious")).wait_for()
    main = carol.locator("main").inner_text()
    assert "Long hugs" in main and "Fantasy" not in main
    assert "Trying new positions" not in main  # Carol's yes, Bob's unmarked: not shown
    carol.get_by_role("button", name="Share these with Alice").click()
    carol.get_by_text("can see these shared items, because you both chose").wait_for()

    # Alice sees that a round happened, and the shared items both chose to share.
    alice.goto(f"/clients/{cast.bob.pk}/")
    section = alice.locator(".tool-section").filter(has_text="Desire map")
    section.get_by_text(re.compile("Bob: sent")).wait_for()
    both_sizes(alice, shoot, check_axe, "client-section", new_page=new_page)
    section.get_by_role("link", name="Rounds and what was shared with you").click()
    alice.get_by_role("heading", name=re.compile("Shared in round 1")).wait_for()
    assert "Long hugs" in alice.locator("main").inner_text()
    both_sizes(alice, shoot, check_axe, "results", new_page=new_page)


def test_a_client_whose_partner_is_not_taking_part_keeps_a_personal_map(new_page, shoot, check_axe):
    library_sync()
    cast = make_cast()
    exercise = Exercise.objects.get(slug="desire-mapping", practice__isnull=True)
    version = exercise.versions.get(version=exercise.latest_version)
    assignment = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.gina).couple
    )
    gina = new_page(*PHONE, touch=True)
    sign_in(gina, "gina@example.test")
    gina.goto(f"/practice/{assignment.pk}/")
    gina.get_by_role("link", name="Open your personal desire map").click()
    gina.get_by_role("heading", name="Your desire map").wait_for()
    pages = [gina.locator("main").inner_text()]
    both_sizes(gina, shoot, check_axe, "personal-map", new_page=new_page)
    gina.get_by_role("link", name=re.compile("Start with group 1")).click()
    answer_group(gina, [("Long hugs", "Yes"), ("Holding hands", "Maybe"), ("Slow kissing", "No")])
    assert gina.get_by_text("Only show this if").count() == 0
    pages.append(gina.locator("main").inner_text())
    both_sizes(gina, shoot, check_axe, "personal-group", new_page=new_page)
    gina.goto(f"/map/{assignment.pk}/group/6/")
    gina.get_by_role("heading", name="Exploring sex").wait_for()
    pages.append(gina.locator("main").inner_text())
    gina.goto(f"/map/{assignment.pk}/review/")
    pages.append(gina.locator("main").inner_text())
    gina.get_by_role("button", name="Finish").click()
    gina.get_by_role("heading", name="Your yes and maybe items").wait_for()
    main = gina.locator("main").inner_text()
    assert "Long hugs" in main and "Holding hands" in main and "Slow kissing" not in main
    gina.get_by_role("button", name="Share this list with Alice").click()
    gina.get_by_text("Alice can see your yes and maybe items, never the rest").first.wait_for()
    pages.append(gina.locator("main").inner_text())
    both_sizes(gina, shoot, check_axe, "personal-summary", new_page=new_page)
    for text in pages:
        assert not JOINT.findall(text), JOINT.findall(text)
