"""Visibility: every entry carries who may read it, chosen by its author, enforced by access."""

import pytest
from django.urls import reverse

from interlude.consents.actions import consent_give, consent_withdraw
from interlude.consents.models import Consent
from interlude.journal.actions import journal_entry_create

pytestmark = pytest.mark.django_db


def share(cast):
    consent_give(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING, version="t")
    return {
        v: journal_entry_create(author=cast.bob, body=f"bob-{v}-text", visibility=v)
        for v in ("only_me", "therapist", "partner", "both")
    }


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
    response = client.post(reverse("journal"), {"body": "hello there", "visibility": "partner"})
    assert response.status_code == 400
    assert "hello there" in response.content.decode()  # nothing typed is lost
    consent_give(user=cast.bob, kind=Consent.Kind.PARTNER_SHARING, version="t")
    page = client.get(reverse("journal")).content.decode()
    assert 'value="partner"' in page and "You and Carol can see this" in page
    client.force_login(cast.dave)  # not linked: no partner options even with consent
    consent_give(user=cast.dave, kind=Consent.Kind.PARTNER_SHARING, version="t")
    assert 'value="partner"' not in client.get(reverse("journal")).content.decode()


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
