"""Master-key rotation: everything moves to the newest key, resumably, and the old key can go."""

import base64
import io

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.management import CommandError, call_command

from interlude.encryption.keys import destroy_data_key, reset_key_caches
from interlude.encryption.models import DataKey
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import DecryptionError, generate_key_text, parse_master_keys
from interlude.testing import make_client, make_therapist

pytestmark = pytest.mark.django_db

KEY_A, KEY_B = generate_key_text(), generate_key_text()
ID_A, ID_B = (parse_master_keys(k)[0].key_id for k in (KEY_A, KEY_B))


@pytest.fixture(autouse=True)
def _fresh_key_caches():
    reset_key_caches()
    yield
    reset_key_caches()


def use_master_keys(settings, raw):
    settings.INTERLUDE_MASTER_KEYS = raw
    reset_key_caches()


@pytest.fixture
def written_under_a(settings):
    """A therapist (with two-step sign-in) and three clients' entries, all under master key A."""
    use_master_keys(settings, KEY_A)
    therapist = make_therapist("tess@example.test", name="Tess")
    entries = {}
    for name in ("ada", "ben", "cy"):
        client = make_client(f"{name}@example.test", therapist=therapist)
        entry = journal_entry_create(author=client, body=f"{name} wrote this", visibility="only_me")
        entries[entry.pk] = f"{name} wrote this"
    return therapist, entries


def read_all(entries):
    reset_key_caches()
    return {pk: JournalEntry.objects.get(pk=pk).body for pk in entries}


def totp_secret(user):
    reset_key_caches()
    data = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data
    return get_adapter().decrypt(data["secret"])


def recovery_codes(user):
    reset_key_caches()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(codes).get_unused_codes()


def rotate(out, **options):
    call_command("rotate_master_key", stdout=out, stderr=out, **options)
    return out.getvalue()


def test_it_prints_a_new_master_key(capsys):
    call_command("generate_master_key")
    call_command("generate_master_key")
    first, second = capsys.readouterr().out.split()
    assert first != second
    assert len(parse_master_keys(first)[0].key) == 32
    assert len(base64.urlsafe_b64decode(second)) == 32


def test_it_cannot_read_with_only_the_new_key_before_rotation(settings, written_under_a):
    therapist, entries = written_under_a
    use_master_keys(settings, KEY_B)
    for pk in entries:
        with pytest.raises(DecryptionError):
            JournalEntry.objects.get(pk=pk).body  # noqa: B018
    with pytest.raises(DecryptionError):
        totp_secret(therapist)
    with pytest.raises(DecryptionError):
        recovery_codes(therapist)


def test_it_moves_everything_to_the_newest_master_key(settings, written_under_a):
    therapist, entries = written_under_a
    secret, codes = totp_secret(therapist), recovery_codes(therapist)
    use_master_keys(settings, f"{KEY_B},{KEY_A}")

    output = rotate(io.StringIO(), batch_size=2)

    assert "Data keys to re-wrap: 3." in output
    assert "re-wrapped 2 of 3" in output and "re-wrapped 3 of 3" in output
    assert "Re-wrapped 3 data keys; 0 remain" in output
    assert "You may now remove the older keys" in output
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {ID_B}
    use_master_keys(settings, KEY_B)
    assert read_all(entries) == entries
    assert totp_secret(therapist) == secret
    assert recovery_codes(therapist) == codes
    assert "Re-encrypted 2 two-step sign-in records; 0 remain" in output


def test_it_leaves_destroyed_keys_destroyed(settings, written_under_a):
    shredded = DataKey.objects.order_by("pk").first()
    destroy_data_key(shredded.owner_kind, shredded.owner_id)
    use_master_keys(settings, f"{KEY_B},{KEY_A}")
    assert "Re-wrapped 2 data keys; 0 remain" in rotate(io.StringIO())
    shredded.refresh_from_db()
    assert shredded.destroyed_at is not None and bytes(shredded.wrapped) == b""


def test_it_does_nothing_when_all_is_under_the_newest_key(settings, written_under_a):
    use_master_keys(settings, KEY_A)
    output = rotate(io.StringIO())
    assert "Data keys to re-wrap: 0." in output and "You may now remove" in output


def test_it_resumes_an_interrupted_rotation(settings, written_under_a):
    therapist, entries = written_under_a
    first, second, third = DataKey.objects.order_by("pk")
    good_wrapping = bytes(second.wrapped)
    # The second key cannot be opened: the rotation stops there, after the first batch.
    DataKey.objects.filter(pk=second.pk).update(wrapped=b"\x01" + bytes(59))
    use_master_keys(settings, f"{KEY_B},{KEY_A}")

    out = io.StringIO()
    with pytest.raises(CommandError) as stopped:
        rotate(out, batch_size=1)

    assert "re-wrapped 1 of 3" in out.getvalue()
    message = str(stopped.value)
    assert f"{second.owner_kind} {second.owner_id} does not open" in message
    assert "2 data keys" in message and "run rotate_master_key again" in message
    rows = {row.pk: row.master_key_id for row in DataKey.objects.all()}
    assert rows == {first.pk: ID_B, second.pk: ID_A, third.pk: ID_A}

    DataKey.objects.filter(pk=second.pk).update(wrapped=good_wrapping)
    output = rotate(io.StringIO(), batch_size=1)

    assert "Data keys to re-wrap: 2." in output and "0 remain" in output
    use_master_keys(settings, KEY_B)
    assert read_all(entries) == entries
    assert totp_secret(therapist)


def test_it_stops_when_an_older_key_is_missing(settings, written_under_a):
    use_master_keys(settings, KEY_B)
    with pytest.raises(CommandError, match="is not configured"):
        rotate(io.StringIO())
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {ID_A}


def test_it_refuses_a_batch_size_or_pause_that_makes_no_sense(settings, written_under_a):
    use_master_keys(settings, f"{KEY_B},{KEY_A}")
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        rotate(io.StringIO(), batch_size=0)
    with pytest.raises(CommandError, match="--pause cannot be negative"):
        rotate(io.StringIO(), pause=-1)
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {ID_A}
