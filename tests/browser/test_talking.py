"""End to end in Chromium, on phones and desktops: the weekly check-in (the therapist chooses
the questions; Bob and Carol prepare privately, see nothing of each other before both are ready,
read it together and note what they agreed; Gina's is her own; Alice sees which week had one and
only what was shared with her) and the I-statement helper (Dave drafts, reads the notes as he
types, builds his sentence and saves it to his journal; and without script)."""

from __future__ import annotations

import pytest

from interlude.checkins.models import Answer, CheckIn
from interlude.exercises.actions import library_sync
from interlude.homework.actions import assignment_create
from interlude.journal.models import JournalEntry
from interlude.testing import make_cast, share_with_partner
from tests.browser.test_homework import sign_in
from tests.talk_support import latest_version

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def both_sizes(shoot, check_axe):  # type: ignore[no-untyped-def]
    """Screenshots of a page at phone and desktop size (kept at its own size afterwards), each
    checked with axe."""

    def take(page, name: str) -> None:  # type: ignore[no-untyped-def]
        own = page.viewport_size
        for size, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            check_axe(page, f"{name}-{suffix}")
            shoot(page, f"{name}-{suffix}")
        page.set_viewport_size(own)

    return take


def test_a_weekly_check_in_for_two_for_one_and_for_the_therapist(new_page, both_sizes):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    share_with_partner(cast.bob)
    share_with_partner(cast.carol)
    checkin = latest_version("weekly-intimacy-check-in")
    assignment = assignment_create(
        therapist=cast.alice, version=checkin, couple=cast.member(cast.bob).couple
    )
    solo = assignment_create(
        therapist=cast.alice, version=checkin, couple=cast.member(cast.gina).couple
    )

    # Alice chooses the questions from Bob's page: one section off, one question of her own.
    alice = new_page(**DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.bob.pk}/")
    alice.get_by_role("link", name="Choose the questions").click()
    alice.get_by_label("Plans for practice time").uncheck()
    alice.get_by_label("Add a question of your own").fill("What helped you rest this week?")
    alice.get_by_role("button", name="Save").click()
    alice.get_by_text("Their next preparation asks these questions.").wait_for()
    both_sizes(alice, "checkin-agenda")

    # Bob, on his phone: from the exercise to the check-in; the coach's notes follow his typing.
    bob = new_page(**PHONE, touch=True)
    sign_in(bob, "bob@example.test")
    bob.goto(f"/practice/{assignment.pk}/")
    bob.get_by_role("link", name="Open this week's check-in together").click()
    bob.get_by_role("heading", name="This week's check-in").wait_for()
    bob.wait_for_load_state()  # htmx is listening (a person never types this fast)
    assert bob.get_by_text("Plans for practice time").count() == 0
    bob.get_by_label("What is one thing your partner did or said").fill("The tea on Tuesday.")
    bob.locator("#question-appreciation").get_by_label("Share with Carol").check()
    more = bob.locator("#question-more-or-less")
    more.get_by_label("What is one thing you'd like a little more of").fill(
        "You never put your phone away in bed."
    )
    more.get_by_text("An “always” or a “never”").wait_for()  # the notes, as he types
    more.get_by_text("Another way to say it:").wait_for()
    assert more.locator("mark").count() == 1
    worry = bob.locator("#question-a-worry")
    worry.get_by_label("Is there a worry").fill("I'm nervous about the next stage.")
    worry.get_by_label("Alice, your therapist, can read it too").check()
    bob.get_by_text("Kept as a draft at").wait_for()
    both_sizes(bob, "checkin-prepare")
    bob.get_by_role("button", name="I'm ready").click()
    bob.get_by_text("You're ready.").first.wait_for()
    both_sizes(bob, "checkin-ready")

    # Carol, at her desk: nothing of Bob's, no sign he is ready. She prepares and is ready.
    carol = new_page(**DESKTOP)
    sign_in(carol, "carol@example.test")
    carol.goto(f"/checkin/{assignment.pk}/")
    carol.wait_for_load_state()
    main = carol.locator("main").inner_text()
    assert "The tea on Tuesday" not in main
    assert "Bob is ready" not in main and "waiting" not in main.lower()
    carol.get_by_label("What is one thing your partner did or said").fill("The long walk.")
    carol.locator("#question-appreciation").get_by_label("Share with Bob").check()
    carol.get_by_label("What helped you rest this week?").fill("An early night on Thursday.")
    carol.get_by_text("Kept as a draft at").wait_for()
    carol.get_by_role("button", name="I'm ready").click()
    carol.get_by_text("How to talk it over").wait_for()
    assert carol.get_by_text("The tea on Tuesday.").is_visible()
    assert carol.get_by_text("nervous about the next stage").count() == 0
    carol.get_by_label("The note of what you agreed").fill(
        "A quiet evening on Friday, phones downstairs."
    )
    carol.get_by_role("button", name="Save the note").click()
    carol.get_by_text("Last changed by you").wait_for()
    both_sizes(carol, "checkin-together")

    # Bob comes back: a neutral line, then the check-in read together; he changes the note.
    bob.goto(f"/checkin/{assignment.pk}/")
    bob.get_by_text("This week's check-in is ready to read together.").wait_for()
    bob.get_by_role("link", name="Read it").click()
    bob.get_by_text("The long walk.").wait_for()
    assert bob.get_by_text("An early night on Thursday.").count() == 0  # kept by Carol
    bob.get_by_label("The note of what you agreed").fill(
        "A quiet evening on Friday, and a walk on Sunday."
    )
    bob.get_by_role("button", name="Save the note").click()
    bob.get_by_text("Last changed by you").wait_for()
    bob.get_by_text("Earlier versions", exact=True).click()
    bob.get_by_text("A quiet evening on Friday, phones downstairs.").wait_for()
    both_sizes(bob, "checkin-together-history")

    # Gina's check-in is her own: no partner in its words.
    gina = new_page(**PHONE, touch=True)
    sign_in(gina, "gina@example.test")
    gina.goto(f"/checkin/{solo.pk}/")
    gina.wait_for_load_state()
    gina.get_by_role("heading", name="Your weekly check-in").wait_for()
    gina.get_by_label("What is one thing you appreciated this week").fill("A slow morning.")
    gina.get_by_text("Kept as a draft at").wait_for()
    both_sizes(gina, "checkin-solo")
    gina.get_by_role("button", name="Finish this week's check-in").click()
    gina.get_by_text("Reading it back").wait_for()
    text = gina.locator("main").inner_text().lower()
    for word in ("partner", "together", "both", "each other"):
        assert word not in text
    both_sizes(gina, "checkin-solo-done")

    # Alice sees the week and only what Bob shared with her.
    alice.goto(f"/clients/{cast.bob.pk}/")
    section = alice.locator("section[aria-label='Weekly check-in']")
    section.get_by_text("a check-in was held").wait_for()
    assert section.get_by_text("I'm nervous about the next stage.").is_visible()
    assert section.get_by_text("The tea on Tuesday.").count() == 0
    section.scroll_into_view_if_needed()
    both_sizes(alice, "checkin-therapist")
    assert CheckIn.objects.filter(held_at__isnull=False).count() == 2
    assert Answer.objects.filter(author=cast.carol, visibility="only_me").exists()


def test_the_i_statement_helper_from_draft_to_journal(
    new_page, browser, live_server, both_sizes, shoot
):
    library_sync()
    cast = make_cast()
    assignment = assignment_create(
        therapist=cast.alice, version=latest_version("i-statement-practice"), client=cast.dave
    )

    dave = new_page(**PHONE, touch=True)
    sign_in(dave, "dave@example.test")
    dave.goto(f"/practice/{assignment.pk}/")
    dave.get_by_role("link", name="Open the I-statement helper").click()
    dave.get_by_role("heading", name="Find your words").wait_for()
    dave.wait_for_load_state()  # htmx is listening (a person never types this fast)
    dave.get_by_label("What would you like to say?").fill(
        "You always cancel our plans. Why can't you just tell me earlier?"
    )
    notes = dave.locator("#coach-notes-id_text")
    notes.get_by_text("A question carrying a complaint").wait_for()
    assert notes.locator("mark").count() == 2 and notes.locator("ol > li").count() == 2
    assert "land as blame" in dave.locator("#coach-status-id_text").inner_text()
    dave.get_by_text("Kept as a draft at").wait_for()
    both_sizes(dave, "coach-draft")
    dave.get_by_label("I feel…").select_option("disappointed")
    dave.get_by_label("…when…").fill("plans change on the day")
    dave.get_by_label("…and I'd like…").fill("a message the evening before")
    dave.get_by_role("button", name="Build my sentence").click()
    sentence = dave.get_by_label("Your sentence")
    dave.get_by_text("Your sentence is ready below").wait_for()
    assert sentence.input_value() == (
        "I feel disappointed when plans change on the day, and I'd like a message the evening "
        "before."
    )
    sentence.fill(sentence.input_value().replace("a message", "a short message"))
    both_sizes(dave, "coach-frame")
    dave.get_by_role("button", name="Save to my journal…").click()
    dave.get_by_role("heading", name="Save to your journal").wait_for()
    assert "a short message" in dave.get_by_label("What goes into your journal").input_value()
    dave.get_by_label("Me and Alice (my therapist)").check()
    both_sizes(dave, "coach-journal")
    dave.get_by_role("button", name="Save to my journal").click()
    dave.get_by_text("You and Alice (your therapist) can see this.").first.wait_for()
    entry = JournalEntry.objects.get(author=cast.dave)
    assert entry.visibility == "therapist" and "a short message" in entry.body
    assert "You always cancel" not in entry.body  # the first words stay in the helper

    # Without script, "Check my words" still checks them (on a desktop).
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    plain = context.new_page()
    sign_in(plain, "dave@example.test")
    plain.goto(f"/coach/{assignment.pk}/")
    plain.get_by_label("What would you like to say?").fill("You're so selfish.")
    plain.get_by_role("button", name="Check my words").click()
    plain.get_by_text("A label for who they are").wait_for()
    plain.goto(f"/coach/{assignment.pk}/")  # from the top of the page, for the pictures
    # (axe needs script to run; the same page was checked above with it.)
    shoot(plain, "coach-no-script-desktop")
    plain.set_viewport_size(PHONE)
    shoot(plain, "coach-no-script-phone")
    context.close()
