"""Audit: every read of client content by someone else, and every write, is recorded (ids only);
clients see who opened their record."""

import pytest
from django.urls import reverse

from interlude.audit.models import AuditEvent
from interlude.journal.actions import journal_entry_create
from interlude.testing import share_with_partner

pytestmark = pytest.mark.django_db


def test_it_logs_a_therapist_reading_a_client_and_shows_it_to_the_client(client, cast):
    journal_entry_create(author=cast.bob, body="for alice", visibility="therapist")
    client.force_login(cast.alice)
    client.get(reverse("client_journal", args=[cast.bob.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="read.journal.therapist")
    assert event.actor == cast.alice and event.subject == cast.bob and event.ip == "10.1.2.3"
    client.force_login(cast.bob)
    page = client.get(reverse("access_history")).content.decode()
    assert "Alice" in page and "opened the journal entries you shared with them" in page


def test_it_logs_a_partner_reading_what_was_shared(client, cast):
    share_with_partner(cast.bob)
    journal_entry_create(author=cast.bob, body="for carol", visibility="partner")
    client.force_login(cast.carol)
    client.get(reverse("shared_by_partner"))
    assert AuditEvent.objects.filter(
        action="read.journal.partner", actor=cast.carol, subject=cast.bob
    ).exists()
    # ... but Bob's "who opened your record" never tells him when Carol reads: that page would
    # otherwise be a way for one partner to keep watch on the other.
    client.force_login(cast.bob)
    page = client.get(reverse("access_history")).content.decode().split("<main")[1]
    assert "Carol" not in page and "Nobody else has opened your record" in page


def test_every_recorded_action_has_words_for_the_person():
    import re
    from pathlib import Path

    from interlude.audit.access import ACTION_WORDS, LABELS

    source = "\n".join(p.read_text() for p in Path("interlude").rglob("*.py"))
    actions = set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', source))
    reads = {f"read.{w}" for w in re.findall(r'what="([a-z_]+\.[a-z_]+)"', source)}
    assert len(actions) > 30 and len(reads) > 5
    missing = {
        a
        for a in actions
        if a not in ACTION_WORDS and not a.startswith(("consent.withdraw", "invitation."))
    } | (reads - set(LABELS))
    assert not missing


def test_it_does_not_log_reading_your_own_entries(client, cast):
    journal_entry_create(author=cast.bob, body="mine", visibility="only_me")
    client.force_login(cast.bob)
    client.get(reverse("journal"))
    assert not AuditEvent.objects.filter(action__startswith="read.").exists()
    assert b"Nobody else has opened your record" in client.get(reverse("access_history")).content


def test_it_logs_writes_with_ids_and_never_content(client, cast):
    client.force_login(cast.bob)
    client.post(reverse("journal"), {"body": "secret words here", "visibility": "only_me"})
    event = AuditEvent.objects.get(action="journal.create")
    assert event.actor == cast.bob and event.target_type == "journal.journalentry"
    for row in AuditEvent.objects.values():
        assert "secret words" not in str(row)


def test_it_keeps_one_clients_history_from_another(client, cast):
    client.force_login(cast.alice)
    client.get(reverse("client_detail", args=[cast.bob.pk]))
    client.force_login(cast.dave)
    assert b"Alice" not in client.get(reverse("access_history")).content.split(b"<main")[1]


def test_it_tells_repeated_reads_once_with_how_many(client, cast):
    journal_entry_create(author=cast.bob, body="for alice", visibility="therapist")
    client.force_login(cast.alice)
    for _ in range(13):
        client.get(reverse("client_detail", args=[cast.bob.pk]))
    client.get(reverse("client_journal", args=[cast.bob.pk]))
    client.force_login(cast.bob)
    page = client.get(reverse("access_history")).content.decode()
    assert page.count("<tr><td>") == 2  # one row per person, kind and day
    assert "opened your record (13 times)" in page
    assert "opened the journal entries you shared with them</td>" in page
