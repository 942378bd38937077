"""Visibility: every entry carries who may read it, chosen by its author, enforced by access."""

import uuid

import pytest
from django.urls import reverse

from interlude.consents.actions import consent_withdraw
from interlude.consents.models import Consent
from interlude.homework.actions import assignment_create, practice_entry_record
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.testing import make_couple, make_exercise, share_with_partner

pytestmark = pytest.mark.django_db


def share(cast):
    share_with_partner(cast.bob)
    return {
        v: journal_entry_create(author=cast.bob, body=f"bob-{v}-text", visibility=v)
        for v in ("only_me", "therapist", "partner", "both")
    }


def share_ids(cast):
    """Bob's entries by the visibility they were written with."""
    return {e.visibility: e.pk for e in JournalEntry.objects.filter(author=cast.bob)}


def test_it_shows_the_therapist_only_what_was_shared_with_them(client, cast):
    share(cast)
    client.force_login(cast.alice)
    page = client.get(reverse("client_journal", args=[cast.bob.pk])).content.decode()
    assert "bob-therapist-text" in page and "bob-both-text" in page
    assert "bob-only_me-text" not in page and "bob-partner-text" not in page


def test_it_shows_the_partner_only_what_was_shared_with_them(client, cast):
    share(cast)
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-partner-text" in page and "bob-both-text" in page
    assert "bob-therapist-text" not in page and "bob-only_me-text" not in page


def test_it_hides_everything_from_the_partner_once_sharing_is_withdrawn(client, cast):
    share(cast)
    consent_withdraw(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING)
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-partner-text" not in page and "bob-both-text" not in page


def test_the_therapist_is_told_a_partner_can_read_it_only_while_that_stands(client, cast):
    share(cast)
    client.force_login(cast.alice)
    page = client.get(reverse("client_journal", args=[cast.bob.pk])).content.decode()
    assert "also shared with their partner" in page
    consent_withdraw(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING)
    page = client.get(reverse("client_journal", args=[cast.bob.pk])).content.decode()
    assert "bob-both-text" in page and "also shared with their partner" not in page


def test_it_hides_everything_from_the_partner_once_the_link_ends(client, cast):
    share(cast)
    client.force_login(cast.bob)
    client.post(reverse("couple_leave", args=[cast.member(cast.bob).pk]))
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-partner-text" not in page and "bob-both-text" not in page


def test_it_shows_other_people_nothing(client, cast):
    share(cast)
    for outsider in (cast.erin, cast.frank, cast.dave):
        client.force_login(outsider)
        page = client.get(reverse("shared_by_partner")).content.decode()
        assert "bob-" not in page
    for therapist in (cast.olive, cast.mallory, cast.pam):
        client.force_login(therapist)
        assert client.get(reverse("client_journal", args=[cast.bob.pk])).status_code == 404


def test_it_offers_partner_sharing_only_with_consent_and_a_linked_partner(client, cast):
    client.force_login(cast.bob)
    page = client.get(reverse("journal")).content.decode()
    assert 'value="partner"' not in page
    # Linked, with sharing off: where to turn it on, as a link.
    assert "To share with Carol too, turn on sharing with your partner in Privacy." in page
    assert f'<a href="{reverse("privacy")}">Go to Privacy</a>' in page
    response = client.post(reverse("journal"), {"body": "hello there", "visibility": "partner"})
    assert response.status_code == 400
    assert "hello there" in response.content.decode()  # nothing typed is lost
    share_with_partner(cast.bob)
    page = client.get(reverse("journal")).content.decode()
    assert 'value="partner"' in page and "Me and Carol (not Alice)" in page
    assert "Me, Alice (my therapist) and Carol" in page and "turn on sharing" not in page
    client.force_login(cast.dave)  # not linked: no partner options, and sharing cannot start
    response = client.post(reverse("consent_toggle", args=["partner_sharing", "on"]), follow=True)
    assert "once you&#x27;re linked with a partner" in response.content.decode()
    page = client.get(reverse("journal")).content.decode()
    assert 'value="partner"' not in page and "turn on sharing" not in page


def test_it_says_in_plain_words_who_can_see_each_entry_and_the_default(client, cast):
    client.force_login(cast.bob)
    page = client.get(reverse("journal")).content.decode()
    assert "seen by <strong>you only</strong> unless you choose otherwise" in page
    assert 'value="only_me" checked' in page.replace('" id', '"').replace("  ", " ") or (
        "checked" in page.split('value="only_me"')[1][:80]
    )
    client.post(reverse("journal"), {"body": "a note for alice", "visibility": "therapist"})
    page = client.get(reverse("journal")).content.decode()
    assert "You and Alice (your therapist) can see this." in page


def test_it_keeps_the_text_when_the_entry_is_empty_or_too_long(client, cast):
    client.force_login(cast.bob)
    response = client.post(reverse("journal"), {"body": "", "visibility": "only_me"})
    assert b"There&#x27;s nothing written yet" in response.content
    assert b"?:" not in response.content  # a question label needs no colon in the summary
    long = "x" * 50_001
    response = client.post(reverse("journal"), {"body": long, "visibility": "only_me"})
    assert response.status_code == 400
    assert long.encode() in response.content


def test_it_lets_the_author_edit_and_delete_only_their_own(client, cast):
    entry = journal_entry_create(author=cast.bob, body="first words", visibility="only_me")
    client.force_login(cast.carol)
    assert client.get(reverse("journal_entry_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("journal_entry_delete", args=[entry.pk])).status_code == 404
    client.force_login(cast.bob)
    client.post(
        reverse("journal_entry_edit", args=[entry.pk]),
        {"body": "second words", "visibility": "therapist"},
    )
    entry.refresh_from_db()
    assert entry.body == "second words" and entry.visibility == "therapist"
    client.post(reverse("journal_entry_delete", args=[entry.pk]))
    assert not type(entry).objects.filter(pk=entry.pk).exists()


def _leave(client, user, cast):
    client.force_login(user)
    client.post(reverse("couple_leave", args=[cast.member(user).pk]))


def test_it_never_shows_a_new_partner_what_was_shared_with_an_earlier_one(client, cast):
    share(cast)
    _leave(client, cast.bob, cast)
    zed = make_couple(cast.bob, "zed@example.test", name="Zed")
    share_with_partner(cast.bob)  # sharing is on again, with Zed this time
    client.force_login(zed)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-" not in page
    client.force_login(cast.bob)
    page = client.get(reverse("journal")).content.decode()
    assert '<p class="who-sees">You and Zed can see this' not in page
    assert "It was shared with a partner until" in page
    # A new entry shared now reaches Zed, and only that one.
    journal_entry_create(author=cast.bob, body="for-zed-only", visibility="partner")
    client.force_login(zed)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "for-zed-only" in page and "bob-partner-text" not in page


def test_it_does_not_reshare_when_sharing_is_turned_back_on(client, cast):
    share(cast)
    client.force_login(cast.bob)
    client.post(reverse("consent_toggle", args=["partner_sharing", "off"]))
    client.post(reverse("consent_toggle", args=["partner_sharing", "on"]))
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-partner-text" not in page and "bob-both-text" not in page
    client.force_login(cast.bob)
    page = client.get(reverse("journal")).content.decode()
    assert page.count("It was shared with a partner until") == 2
    # Sharing one again is the author's own explicit choice, entry by entry.
    entry = JournalEntry.objects.get(pk=share_ids(cast)["partner"])
    client.post(
        reverse("journal_entry_edit", args=[entry.pk]),
        {"body": "bob-partner-text", "visibility": "partner"},
    )
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-partner-text" in page and "bob-both-text" not in page


def test_it_withdraws_both_partners_sharing_when_the_link_ends(client, cast):
    share_with_partner(cast.carol)
    journal_entry_create(author=cast.carol, body="carol-shared", visibility="both")
    _leave(client, cast.bob, cast)
    assert not Consent.objects.filter(
        kind=Consent.Kind.PARTNER_SHARING, withdrawn_at__isnull=True
    ).exists()
    client.force_login(cast.carol)
    page = client.get(reverse("journal")).content.decode()
    assert '<p class="who-sees">You, Alice (your therapist) and' not in page
    assert "You and Alice (your therapist) can see this. It was shared with a partner" in page
    # Her therapist still reads what she shared with them.
    client.force_login(cast.alice)
    assert (
        "carol-shared"
        in client.get(reverse("client_journal", args=[cast.carol.pk])).content.decode()
    )


def test_it_shows_the_partner_practice_reflections_shared_with_them_under_this_link(client, cast):
    version = make_exercise()
    assignment = assignment_create(
        therapist=cast.alice, version=version, couple=cast.member(cast.bob).couple
    )
    share_with_partner(cast.bob)
    practice_entry_record(
        assignment=assignment,
        client=cast.bob,
        outcome="completed",
        reflection="bob-reflection-for-carol",
        visibility="partner",
    )
    practice_entry_record(
        assignment=assignment,
        client=cast.bob,
        outcome="completed",
        reflection="bob-reflection-private",
        visibility="therapist",
    )
    client.force_login(cast.carol)
    page = client.get(reverse("shared_by_partner")).content.decode()
    assert "bob-reflection-for-carol" in page and "bob-reflection-private" not in page
    _leave(client, cast.bob, cast)
    client.force_login(cast.carol)
    assert "bob-reflection" not in client.get(reverse("shared_by_partner")).content.decode()


def test_a_journal_entry_being_written_is_kept_as_a_draft(client, cast):
    client.force_login(cast.bob)
    response = client.post(
        reverse("journal_draft"), {"body": "half written"}, HTTP_HX_REQUEST="true"
    )
    assert b"Kept as a draft at" in response.content
    page = client.get(reverse("journal")).content.decode()
    assert "half written</textarea>" in page and "kept for you" in page
    client.post(reverse("journal"), {"body": "whole now", "visibility": "only_me"})
    assert "half written" not in client.get(reverse("journal")).content.decode()


def test_a_journal_entry_survives_a_session_timeout(client, cast):
    import time

    from interlude.accounts.middleware import SEEN
    from interlude.testing import PASSWORD

    client.force_login(cast.bob)
    client.get(reverse("journal"))
    session = client.session
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.post(reverse("journal"), {"body": "written as time ran out"})
    assert response["Location"].startswith(reverse("account_login"))
    assert client.login(email="bob@example.test", password=PASSWORD)
    assert "written as time ran out" in client.get(reverse("journal")).content.decode()


def test_the_same_journal_submission_twice_stores_one_entry(client, cast):
    client.force_login(cast.bob)
    form = {"body": "only once", "visibility": "only_me", "submission": str(uuid.uuid4())}
    assert client.post(reverse("journal"), form).status_code == 302
    assert client.post(reverse("journal"), form).status_code == 302
    assert JournalEntry.objects.filter(author=cast.bob, body__isnull=False).count() == 1
