"""End to end in Chromium: Bob writes a fantasy from a prompt on his phone (autosaved as he
types), shares it with Carol and Alice, edits it; notes a new sensation with its kind's safety
lines in view, shared with Carol only; Carol reads both on her "shared with you" page; Alice
reads only the fantasy, from Bob's page."""

from __future__ import annotations

import pytest

from interlude.exercises.actions import library_sync
from interlude.fantasy.content import prompts
from interlude.fantasy.models import FantasyEntry, SensationEntry
from interlude.homework.actions import assignment_create
from interlude.testing import make_cast, share_with_partner
from tests.browser.test_homework import latest, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def both_sizes(page, shoot, check_axe, name, back_to=PHONE):
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        shoot(page, f"fantasy-{name}-{label}")
        check_axe(page, f"{name} ({label})")
    page.set_viewport_size(back_to)


def test_write_share_and_read_fantasies_and_new_sensations(new_page, shoot, check_axe):
    library_sync()
    cast = make_cast()
    share_with_partner(cast.bob)
    couple = cast.member(cast.bob).couple
    journal = assignment_create(
        therapist=cast.alice, version=latest("shared-fantasy-journal"), couple=couple
    )
    log = assignment_create(
        therapist=cast.alice, version=latest("trying-new-sensations"), couple=couple
    )

    bob = new_page(**PHONE)
    sign_in(bob, "bob@example.test")
    bob.goto(f"/practice/{journal.pk}/")
    bob.get_by_role("link", name="Open your fantasy journal").click()
    bob.get_by_text(prompts().no_obligation).wait_for()
    prompt = prompts().prompts[15]
    bob.get_by_text("Choose a prompt, if you'd like one").click()  # closed until asked for
    bob.get_by_role("link", name=prompt.text).click()
    bob.locator(".prompt-card").get_by_text(prompt.text).wait_for()
    bob.get_by_label("Your fantasy, in your own words").fill("A long afternoon, nothing hurried.")
    bob.get_by_text("Kept as a draft at").wait_for()  # autosaved while typing
    bob.get_by_label("Me, Alice (my therapist) and Carol").check()
    both_sizes(bob, shoot, check_axe, "journal")
    bob.get_by_role("button", name="Save entry").click()
    bob.get_by_text("Saved. You, Alice (your therapist) and Carol can see this.").first.wait_for()
    entry = FantasyEntry.objects.get(author=cast.bob)
    assert entry.prompt == prompt.slug and entry.visibility == "both"

    bob.get_by_role("link", name="Edit, delete or change who can see it").click()
    bob.get_by_label("Your fantasy, in your own words").fill(
        "A long afternoon, nothing hurried, rain outside."
    )
    both_sizes(bob, shoot, check_axe, "journal-edit")
    bob.get_by_role("button", name="Save changes").click()
    bob.get_by_text("rain outside.").wait_for()
    shoot(bob, "fantasy-journal-after-save-phone")

    # The new-sensations log: the chosen kind's hint and safety lines come into view.
    bob.goto(f"/practice/{log.pk}/")
    bob.get_by_role("link", name="Open your new-sensations log").click()
    safety = bob.get_by_text("Test anything warm or cool on the inside of your wrist first")
    assert not safety.is_visible()
    bob.get_by_label("Temperature").check()
    assert safety.is_visible()
    bob.get_by_label("What did you try?").fill("Warmed massage oil on my shoulders")
    bob.locator("#id_feeling").get_by_text("Pleasant", exact=True).click()
    bob.locator("#id_intensity").get_by_text("6", exact=True).click()
    bob.locator("#id_again").get_by_text("Yes", exact=True).click()
    bob.get_by_label("Me and Carol").check()
    both_sizes(bob, shoot, check_axe, "sensations")
    bob.get_by_role("button", name="Save entry").click()
    bob.get_by_text("Saved. You and Carol can see this.").wait_for()
    summary = bob.locator("section", has=bob.get_by_role("heading", name="What felt good"))
    summary.get_by_text("Warmed massage oil on my shoulders").wait_for()
    shoot(bob, "fantasy-sensations-summary-phone")
    noted = SensationEntry.objects.get(author=cast.bob)
    assert (noted.kind, noted.intensity, noted.again) == ("temperature", 6, "yes")
    bob.get_by_role("link", name="Edit, delete or change who can see it").click()
    assert bob.get_by_text("Never heat oil or objects in a microwave").is_visible()
    both_sizes(bob, shoot, check_axe, "sensations-edit")

    # Carol reads both on her own "shared with you" page for these tools.
    carol = new_page(**PHONE)
    sign_in(carol, "carol@example.test")
    carol.goto("/fantasy/shared/")
    carol.get_by_text("rain outside.").wait_for()
    carol.get_by_text("Warmed massage oil on my shoulders").wait_for()
    both_sizes(carol, shoot, check_axe, "shared-with-partner")

    # Alice reads the fantasy Bob shared with her, not the sensation he shared with Carol only.
    alice = new_page(**DESKTOP)
    sign_in(alice, "alice@example.test", totp_user=cast.alice)
    alice.goto(f"/clients/{cast.bob.pk}/")
    alice.get_by_text("1 fantasy-journal entry shared with you.").first.wait_for()
    shoot(alice, "fantasy-client-page-desktop")
    alice.get_by_role("link", name="Read what Bob shared with you").click()
    alice.get_by_text("rain outside.").wait_for()
    assert alice.get_by_text("Warmed massage oil").count() == 0
    both_sizes(alice, shoot, check_axe, "therapist-view", back_to=DESKTOP)
