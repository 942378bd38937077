"""In Chromium set to Auckland: a client is offered the zone their browser reports, confirms it,
and reads their journal on their own clock (18:12, not 05:12 UTC). Typed text survives
confirming; another zone can be chosen; without JavaScript the prompt still works; a bad value
is refused kindly. Screenshots: test-artifacts/screenshots/tz-*.png (phone 390x844, desktop
1280x900)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from interlude.accounts.models import User
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = (390, 844), (1280, 900)
# 05:12 UTC on Monday 2 March 2026 is 18:12 in Auckland (NZDT, UTC+13).
WRITTEN_AT = dt.datetime(2026, 3, 2, 5, 12, tzinfo=dt.UTC)


@pytest.fixture
def page_in(browser, live_server) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """A page in a fresh context whose clock is in ZONE (as a person's own computer would be)."""
    contexts = []

    def make(zone: str, size: tuple[int, int] = PHONE, *, script: bool = True):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]},
            base_url=live_server.url,
            timezone_id=zone,
            java_script_enabled=script,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def written_at(user: User, moment: dt.datetime) -> None:
    entry = journal_entry_create(author=user, body="Slower this time.", visibility="only_me")
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=moment, updated_at=moment)


def zone_of(user: User) -> str:
    user.refresh_from_db()
    return user.time_zone


def test_a_client_in_auckland_confirms_the_zone_and_sees_local_times(page_in, shoot, check_axe):
    cast = make_cast()
    written_at(cast.bob, WRITTEN_AT)

    bob = page_in("Pacific/Auckland")
    sign_in(bob, "bob@example.test")
    bob.goto("/journal/")
    prompt = bob.get_by_role("region", name="Your time zone")
    prompt.get_by_text("Your times will be shown for Pacific/Auckland.").wait_for()
    assert bob.get_by_text("Monday 2 March 2026, 05:12").is_visible()  # UTC until confirmed
    assert zone_of(cast.bob) == ""  # offered, never assumed
    check_axe(bob, "time-zone prompt (phone)")
    shoot(bob, "tz-01-prompt-phone")

    prompt.get_by_role("button", name="Yes, that's right").click()
    # Nothing was typed on the page, so it is shown again with its times on Bob's clock.
    bob.get_by_text("Your times are now shown for Pacific/Auckland.").wait_for()
    bob.get_by_text("Monday 2 March 2026, 18:12").wait_for()
    assert bob.get_by_role("region", name="Your time zone").count() == 0
    assert zone_of(cast.bob) == "Pacific/Auckland"
    shoot(bob, "tz-02-confirmed-phone")

    # The Account page says which zone it is and offers to change it.
    bob.goto("/accounts/email/")
    assert bob.get_by_label("Your time zone").input_value() == "Pacific/Auckland"
    shoot(bob, "tz-03-account-phone")


def test_typed_text_is_kept_when_the_zone_is_confirmed(page_in, shoot):
    cast = make_cast()
    erin = page_in("Pacific/Auckland", DESKTOP)
    sign_in(erin, "erin@example.test")
    erin.goto("/journal/")
    writing = erin.get_by_label("What would you like to write?")
    writing.fill("Half a thought I want to keep.")
    erin.get_by_role("button", name="Yes, that's right").click()
    saved = erin.get_by_role("status").get_by_text("Your times are now shown for Pacific/Auckland.")
    saved.wait_for()
    assert writing.input_value() == "Half a thought I want to keep."  # not shown again
    assert zone_of(cast.erin) == "Pacific/Auckland"
    shoot(erin, "tz-04-confirmed-in-place-desktop")


def test_choosing_another_zone_on_a_desktop(page_in, shoot, check_axe):
    cast = make_cast()
    written_at(cast.dave, WRITTEN_AT)
    dave = page_in("Pacific/Auckland", DESKTOP)
    sign_in(dave, "dave@example.test")
    dave.goto("/journal/")
    dave.get_by_text("Your times will be shown for Pacific/Auckland.").wait_for()
    shoot(dave, "tz-05-prompt-desktop")

    # Dave is visiting Auckland but lives in Los Angeles.
    dave.get_by_role("link", name="Choose another").click()
    dave.get_by_role("heading", name="Your time zone").wait_for()
    select = dave.get_by_label("Your time zone")
    assert select.input_value() == "Pacific/Auckland"  # the browser's, suggested, not saved
    assert zone_of(cast.dave) == ""
    check_axe(dave, "time-zone page (desktop)")
    select.select_option("America/Los_Angeles")
    shoot(dave, "tz-06-choose-desktop")
    dave.get_by_role("button", name="Save", exact=True).click()
    dave.wait_for_url("**/journal/")
    dave.get_by_text("Your times are now shown for America/Los Angeles.").wait_for()
    dave.get_by_text("Sunday 1 March 2026, 21:12").wait_for()
    assert zone_of(cast.dave) == "America/Los_Angeles"

    # A value the list never offered (here forced in by a script) is refused kindly.
    dave.goto("/accounts/email/")
    dave.evaluate(
        """() => {
            const select = document.getElementById("id_time_zone");
            select.add(new Option("Mars/Olympus", "Mars/Olympus", true, true));
        }"""
    )
    dave.get_by_role("button", name="Save", exact=True).click()
    dave.get_by_text("We don't know a time zone called “Mars/Olympus”.").first.wait_for()
    dave.get_by_text("Nothing you typed has been lost.").wait_for()
    assert zone_of(cast.dave) == "America/Los_Angeles"
    shoot(dave, "tz-07-refused-desktop")


def test_without_javascript_the_prompt_still_lets_a_person_choose(page_in, shoot):
    cast = make_cast()
    gina = page_in("Pacific/Auckland", script=False)
    sign_in(gina, "gina@example.test")
    gina.goto("/journal/")
    prompt = gina.get_by_role("region", name="Your time zone")
    prompt.get_by_text("Interlude can show every date and time in your own time zone.").wait_for()
    assert prompt.get_by_role("button", name="Yes, that's right").count() == 0
    shoot(gina, "tz-08-prompt-no-script-phone")
    prompt.get_by_role("link", name="Choose your time zone").click()
    gina.get_by_label("Your time zone").select_option("Pacific/Auckland")
    gina.get_by_role("button", name="Save", exact=True).click()
    gina.wait_for_url("**/journal/")
    gina.get_by_text("Your times are now shown for Pacific/Auckland.").wait_for()
    assert zone_of(cast.gina) == "Pacific/Auckland"


def test_not_now_puts_the_prompt_away_for_the_session(page_in):
    cast = make_cast()
    carol = page_in("America/Los_Angeles")
    sign_in(carol, "carol@example.test")
    prompt = carol.get_by_role("region", name="Your time zone")
    prompt.get_by_text("Your times will be shown for America/Los Angeles.").wait_for()
    prompt.get_by_role("button", name="Not now").click()
    prompt.wait_for(state="detached")
    assert carol.evaluate("document.activeElement.id") == "main"  # the keyboard keeps its place
    carol.goto("/journal/")
    assert carol.get_by_role("region", name="Your time zone").count() == 0
    assert zone_of(cast.carol) == ""
