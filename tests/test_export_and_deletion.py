"""Export everything that is yours; delete your account with its content shredded."""

import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from interlude.accounts.models import User
from interlude.consents.models import Consent
from interlude.couples.models import CoupleCase
from interlude.encryption.models import DataKey, EncryptedModel
from interlude.invitations.models import Invitation
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import DecryptionError
from interlude.privacy.registry import records
from interlude.testing import PASSWORD, share_with_partner

pytestmark = pytest.mark.django_db


def sign_in(client, email):
    """Sign in, then confirm the password again as export and deletion ask."""
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def holds_client_data(model, declared) -> bool:
    """A model refers to a person, holds encrypted client text, or hangs off a model that
    holds client data (an address confirmation off an address, a change off an assignment)."""
    user = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user or issubclass(model, EncryptedModel):
        return True
    return any(
        f.is_relation
        and (f.many_to_one or f.one_to_one)
        and not f.auto_created
        and (f.related_model is user or f.related_model in declared)
        for f in model._meta.get_fields()
    )


def test_every_model_holding_client_data_says_how_it_is_exported_and_erased():
    declared = {r.model for r in records()}
    client_data = {r.model for r in records() if r.exported}
    missing = [
        m._meta.label_lower
        for m in apps.get_models()
        if m not in declared and holds_client_data(m, client_data)
    ]
    assert not missing, (
        "Declare these in their app's personal_data.py (export fields or why not, and an erase "
        f"action or why the rows are kept): {missing}"
    )
    for record in records():  # each says both things
        assert record.exported or record.not_exported_because, record.label
        assert record.erase is not None or record.kept_because, record.label


def test_it_would_catch_a_new_model_that_nobody_declared():
    from django.db import models

    class Diary(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "journal"

    try:
        assert holds_client_data(Diary, set())
    finally:
        apps.all_models["journal"].pop("diary", None)
        apps.clear_cache()


def test_every_erase_leaves_nothing_of_the_clients_to_read(cast):
    """After deletion, each declared model's rows for the client are gone, or kept only where
    the declaration says why, and nothing they wrote can be read."""
    from interlude.privacy.actions import client_account_delete

    journal_entry_create(author=cast.bob, body="mine", visibility="therapist")
    client_account_delete(user=cast.bob)
    for record in records():
        left = list(record.rows(cast.bob))
        if record.erase is None or record.model in KEPT_AFTER_ERASE:
            continue
        assert not left, f"{record.label}: {len(left)} row(s) left after erasing"


# Erased by changing the rows rather than removing them: the account is anonymised, agreements
# and invitations withdrawn, the data key destroyed.
KEPT_AFTER_ERASE = {User, Consent, Invitation, DataKey}


def test_it_asks_to_confirm_identity_before_export(client, cast):
    client.force_login(cast.bob)
    response = client.get(reverse("privacy_export"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_it_downloads_json_and_readable_html(client, cast):
    journal_entry_create(author=cast.bob, body="my own words ✨", visibility="only_me")
    journal_entry_create(author=cast.carol, body="carol's words", visibility="therapist")
    sign_in(client, "bob@example.test")
    response = client.get(reverse("privacy_export") + "?download=1")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("interlude-export.json"))
    html = archive.read("interlude-export.html").decode()
    assert "journal.journalentry" not in html and "Your journal" in html  # written for a person
    assert not re.search(r"\d\d:\d\d:\d\d\.\d{6}", html)  # no microsecond timestamps
    assert data["journal.journalentry"][0]["body"] == "my own words ✨"
    assert data["accounts.user"][0]["email"] == "bob@example.test"
    assert data["consents.consent"]
    html = archive.read("interlude-export.html").decode()
    assert "my own words ✨" in html
    assert "carol's words" not in json.dumps(data)  # nothing the partner wrote


def test_a_therapist_exports_a_clients_record_for_transfer_of_care(client, cast):
    journal_entry_create(author=cast.bob, body="shared with alice", visibility="therapist")
    journal_entry_create(author=cast.bob, body="kept private", visibility="only_me")
    client.force_login(cast.alice)
    response = client.get(reverse("client_export", args=[cast.bob.pk]))
    record = json.loads(response.content)
    texts = [e["text"] for e in record["journal_entries_shared_with_therapist"]]
    assert texts == ["shared with alice"]
    assert record["client"]["email"] == "bob@example.test"


def test_it_deletes_an_account_and_shreds_what_they_wrote(client, cast):
    entry = journal_entry_create(author=cast.bob, body="gone for good", visibility="therapist")
    sign_in(client, "bob@example.test")
    page = client.get(reverse("delete_account")).content.decode()
    assert "What is gone, for good" in page and "What your therapist's record keeps" in page
    response = client.post(reverse("delete_account"), {"confirm": "nope"})
    assert response.status_code == 400
    response = client.post(reverse("delete_account"), {"confirm": "delete"})
    assert response.status_code == 200 and "Clear-Site-Data" in response
    key = DataKey.objects.get(owner_kind="user", owner_id=cast.bob.pk)
    assert key.destroyed_at is not None and bytes(key.wrapped) == b""
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    bob = User.objects.get(pk=cast.bob.pk)
    assert not bob.is_active and not bob.has_usable_password()
    assert "bob@example.test" not in bob.email
    assert client.get(reverse("home")).status_code == 200  # signed out: the welcome page
    assert not client.login(email="bob@example.test", password=PASSWORD)
    # The therapist's record keeps that Bob was a client; the couple case ended.
    assert bob.client_profile.therapist == cast.alice
    assert CoupleCase.objects.get(members__client=cast.carol).ended_at is not None


def test_shredding_makes_a_surviving_copy_unreadable(cast):
    entry = journal_entry_create(author=cast.dave, body="shred me", visibility="only_me")
    stored = JournalEntry.objects.get(pk=entry.pk)
    from interlude.privacy.actions import client_account_delete

    client_account_delete(user=cast.dave)
    with pytest.raises(DecryptionError):
        _ = stored.__class__.objects.model(
            pk=stored.pk, uid=stored.uid, author_id=stored.author_id, body=stored.__dict__["body"]
        ).body


def test_an_export_carries_only_the_clients_own_addresses(client, cast):
    """Others who opened the record appear by name and action, never by where they were."""
    share_with_partner(cast.bob)
    journal_entry_create(author=cast.bob, body="for both", visibility="both")
    from django.test import Client

    for who, url, address in (
        (cast.alice, reverse("client_journal", args=[cast.bob.pk]), "10.9.9.9"),
        (cast.carol, reverse("shared_by_partner"), "10.8.8.8"),
    ):
        their_browser = Client()
        their_browser.force_login(who)
        their_browser.get(url, REMOTE_ADDR=address)
    sign_in(client, "bob@example.test")
    response = client.get(reverse("privacy_export") + "?download=1", REMOTE_ADDR="10.1.1.1")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = archive.read("interlude-export.json").decode()
    everything += archive.read("interlude-export.html").decode()
    assert "10.9.9.9" not in everything and "10.8.8.8" not in everything
    assert "Alice" in everything and "Carol" in everything  # they appear by name
    data = json.loads(archive.read("interlude-export.json"))
    sessions = data["usersessions.usersession"]
    assert sessions and all(s["ip"] not in ("10.9.9.9", "10.8.8.8") for s in sessions)
