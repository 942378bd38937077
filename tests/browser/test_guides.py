"""End to end in Chromium, with the page's clock under the test's control: the therapist chooses
the 3-minute body scan for Dave; Dave starts it on his phone, the cues move on by themselves,
Pause holds them, Stop opens the practice log with the minutes filled in. The breathing guide
grows and shrinks its circle, or counts instead where motion is reduced, and finishing opens the
log too. Without JavaScript the whole guide is a list, with the same ways out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from interlude.exercises.actions import library_sync
from interlude.guides.models import GuideUse
from interlude.guides.plans import body_scans, breathing
from interlude.homework.actions import assignment_create
from interlude.testing import make_cast
from tests.browser.test_homework import latest, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def both_sizes(page, shoot, check_axe, name):
    """Screenshots at phone and desktop size (looked at), and axe at both."""
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        shoot(page, f"guides-{name}-{label}")
        check_axe(page, f"{name} ({label})")


def freeze(page):
    """The page's clock is the test's from here: nothing moves until the test says so."""
    page.clock.install(time=T0)
    page.clock.pause_at(T0 + timedelta(seconds=5))


def cue(page):
    return page.locator("[data-guide-cue]").inner_text().strip()


def test_guides_move_on_a_timer_pause_and_stop_into_the_log(
    new_page, shoot, check_axe, browser, live_server
):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    scan = assignment_create(therapist=cast.alice, version=latest("body-scan"), client=cast.dave)
    breath = assignment_create(
        therapist=cast.alice, version=latest("paced-breathing"), client=cast.dave
    )

    # Alice chooses the 3-minute scan for Dave, from his page.
    alice = new_page(**DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.dave.pk}/")
    alice.get_by_role("link", name=f"Change what {scan.version.title} offers first").click()
    alice.get_by_label("3 minutes").check()
    both_sizes(alice, shoot, check_axe, "defaults")
    alice.get_by_role("button", name="Save").click()
    alice.get_by_text("The guide now offers the 3-minute body scan first").wait_for()

    # Dave, on his phone, opens the guide from the exercise: the 3 minutes are offered first.
    dave = new_page(**PHONE)
    sign_in(dave, "dave@example.test")
    dave.goto(f"/practice/{scan.pk}/")
    dave.get_by_role("link", name="Start the guided body scan").click()
    assert dave.get_by_label("3 minutes").is_checked()
    both_sizes(dave, shoot, check_axe, "setup")
    dave.set_viewport_size(PHONE)

    freeze(dave)
    dave.get_by_role("button", name="Start").click()
    cues = [c.text for c in body_scans().for_minutes(3).cues]
    dave.locator("[data-guide-cue]").get_by_text(cues[0]).wait_for()
    assert not dave.locator("[data-guide-list]").evaluate("d => d.open")  # folded away
    bar = dave.locator(".guide-bar").bounding_box()
    assert bar["y"] + bar["height"] <= 844  # Pause and Stop on screen on a phone
    dave.clock.run_for(15_500)
    assert cue(dave) == cues[1]  # the first cue's 15 seconds are up
    dave.clock.run_for(10_000)
    assert cue(dave) == cues[2]

    # Pause holds everything where it is, for as long as it takes.
    dave.get_by_role("button", name="Pause").click()
    dave.get_by_text("Paused. Take all the time you need.").wait_for()
    dave.clock.run_for(120_000)
    assert cue(dave) == cues[2]
    shoot(dave, "guides-body-scan-paused-phone")
    dave.get_by_role("button", name="Resume").click()
    dave.clock.run_for(30_000)
    assert cue(dave) == cues[4]  # 25.5 + 30 seconds in: the fifth cue (from 50 s to 65 s)

    # Stop, in one tap: the practice log opens with the minutes filled in (pauses left out).
    dave.get_by_role("button", name="Stop").click()
    dave.wait_for_url(re.compile(r"/practice/\d+/after/"))
    assert "outcome=stopped" in dave.url and "minutes=1" in dave.url
    use = GuideUse.objects.get(client=cast.dave)
    assert use.outcome == "stopped" and use.minutes == 3 and 50 <= use.seconds <= 60
    shoot(dave, "guides-after-stop-phone")

    # The breathing guide on a desktop: the circle grows while breathing in.
    desk = new_page(**DESKTOP)
    sign_in(desk, "dave@example.test")
    freeze(desk)
    desk.goto(f"/guides/{breath.pk}/play/?minutes=3&pattern=in-4-out-6")
    content = breathing()
    opening = sum(c.seconds for c in content.opening)
    desk.locator("[data-guide-cue]").get_by_text(content.opening[0].text).wait_for()
    desk.clock.run_for(opening * 1000 + 1_500)
    assert cue(desk) == "Breathe in"
    circle = desk.locator(".pacer__circle")
    assert circle.is_visible()
    assert circle.evaluate("c => getComputedStyle(c).animationName") == "pacer-in"
    desk.clock.run_for(4_000)
    assert cue(desk) == "Breathe out"
    assert circle.evaluate("c => getComputedStyle(c).animationName") == "pacer-out"
    # Sound is off until asked for; asking makes it in the page (nothing is fetched).
    tone = desk.get_by_label("A soft tone at each change")
    assert not tone.is_checked()
    tone.check()

    # To the end: finishing offers the log, with the whole guide's minutes.
    closing = sum(c.seconds for c in content.closing)
    paced = 180 - opening - closing  # "3 minutes" is the whole guide, the count in between
    desk.clock.run_for((paced + closing) * 1000)
    desk.get_by_text("Finished.", exact=True).wait_for()
    assert not desk.get_by_role("button", name="Stop").is_visible()
    shoot(desk, "guides-breathing-finished-desktop")
    desk.get_by_role("button", name="Note how it went").click()
    desk.wait_for_url(re.compile(r"/practice/\d+/after/"))
    assert "outcome=completed" in desk.url and "minutes=3" in desk.url

    # Where motion is reduced: no animation, a count instead.
    still = new_page(**PHONE)
    still.emulate_media(reduced_motion="reduce")
    sign_in(still, "dave@example.test")
    freeze(still)
    still.goto(f"/guides/{breath.pk}/play/?minutes=3&pattern=in-4-out-6")
    still.locator("[data-guide-cue]").get_by_text(content.opening[0].text).wait_for()
    still.clock.run_for(opening * 1000 + 2_500)
    assert cue(still) == "Breathe in"
    assert (
        still.locator(".pacer__circle").evaluate("c => getComputedStyle(c).animationName") == "none"
    )
    assert not still.locator(".pacer").is_visible()
    count = still.locator("[data-guide-phase]")
    assert count.is_visible() and count.inner_text().strip() == "1 · 2 · 3"
    shoot(still, "guides-breathing-reduced-motion-phone")
    still.clock.resume()  # axe waits on the page's timers
    check_axe(still, "breathing, reduced motion")

    # Without JavaScript: the whole guide to read, and the same ways out.
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        plain = context.new_page()
        sign_in(plain, "dave@example.test")
        plain.goto(f"/guides/{scan.pk}/play/")
        for text in cues:
            assert plain.get_by_text(text, exact=True).is_visible()
        shoot(plain, "guides-no-javascript-phone")
        plain.get_by_role("button", name="Pause").click()
        plain.get_by_text("The guide is here whenever you'd like to come back to it").wait_for()
        plain.goto(f"/guides/{scan.pk}/play/")
        plain.get_by_role("button", name="Stop").click()
        plain.wait_for_url(re.compile(r"/practice/\d+/after/\?outcome=stopped&minutes=\d+"))
    finally:
        context.close()

    # A look at each guide playing, at both sizes (axe needs the page's timers running).
    look = new_page(**PHONE, storage_state=dave.context.storage_state())
    look.goto(f"/guides/{scan.pk}/play/")
    look.locator("[data-guide-cue]").get_by_text(cues[0]).wait_for()
    both_sizes(look, shoot, check_axe, "body-scan-playing")
    look.clock.install()
    look.goto(f"/guides/{breath.pk}/play/?minutes=5")
    look.clock.fast_forward(opening * 1000 + 2_500)
    look.locator("[data-guide-cue]").get_by_text("Breathe in").wait_for()
    both_sizes(look, shoot, check_axe, "breathing-playing")

    # Alice reads which guides Dave used, and nothing else.
    alice.goto(f"/clients/{cast.dave.pk}/")
    alice.get_by_text("Used the 3-minute body scan twice (stopped partway twice).").first.wait_for()
    alice.get_by_text("Used the 3-minute breathing guide (In 4, out 6) once.").first.wait_for()
    alice.locator(".tool-section").first.scroll_into_view_if_needed()
    shoot(alice, "guides-client-page-desktop")
