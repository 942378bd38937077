"""Export everything that is yours; delete your account with its content shredded."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from interlude.accounts.models import User
from interlude.couples.models import CoupleCase
from interlude.encryption.models import DataKey
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import DecryptionError
from interlude.privacy.export import EXPORTERS, NOT_EXPORTED
from interlude.testing import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email):
    """Sign in, then confirm the password again as export and deletion ask."""
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def refers_to_user(model) -> bool:
    user = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user:
        return True
    return any(
        f.is_relation and f.related_model is user and (f.many_to_one or f.one_to_one)
        for f in model._meta.get_fields()
    )


def test_it_exports_every_model_that_holds_a_clients_data():
    exported = {m._meta.label_lower for m in EXPORTERS}
    missing = [
        m._meta.label_lower
        for m in apps.get_models()
        if refers_to_user(m)
        and m._meta.label_lower not in exported
        and m._meta.label_lower not in NOT_EXPORTED
    ]
    assert not missing, f"Add to the export (or NOT_EXPORTED with a reason): {missing}"
    # Models holding encrypted client content carry an owner; all of them are exported too.
    from interlude.encryption.models import EncryptedModel

    for model in apps.get_models():
        if issubclass(model, EncryptedModel):
            assert model in EXPORTERS, model


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
