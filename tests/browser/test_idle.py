"""End to end in Chromium: a page left open leaves itself once the session has ended, and the
words being written are kept. Bob starts a journal entry and walks away; the server's idle limit
passes; the page (its clock moved on half an hour) sends what he typed, the server keeps it and
asks him to sign in; signed in again, his words are there."""

from __future__ import annotations

import time

import pytest

from interlude.journal.models import JournalDraft
from interlude.testing import PASSWORD, make_cast

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_page_left_open_signs_out_and_keeps_the_words(new_page, shoot, settings):
    cast = make_cast()
    page = new_page()
    page.clock.install()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(cast.bob.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/journal/")
    words = "Walking by the river I noticed I was calmer than last week."
    page.get_by_label("What would you like to write?").fill(words)
    # Let the page's own background requests (the draft kept, the helper's notes) finish first.
    page.clock.run_for(3000)
    page.wait_for_load_state("networkidle")
    # The server's idle limit passes (a limit of zero minutes ends the session at once) ...
    settings.SESSION_IDLE_MINUTES_CLIENT = 0
    time.sleep(1.2)
    # ... and the page, left open, notices half an hour later.
    page.clock.fast_forward("31:00")
    page.wait_for_url("**/accounts/login/**")
    assert "signed out after a while without activity" in page.content()
    assert "What you were writing is kept" in page.content()
    shoot(page, "idle-signed-out")
    assert JournalDraft.objects.filter(author=cast.bob).exists()
    settings.SESSION_IDLE_MINUTES_CLIENT = 30
    page.get_by_label("Email").fill(cast.bob.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/journal/")
    assert page.get_by_label("What would you like to write?").input_value() == words
