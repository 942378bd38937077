"""Encryption at rest: values round-trip, the database holds only ciphertext bound to its place,
and any change to it is refused rather than read as something else."""

import base64
import random

import pytest
from django.db import connection, transaction
from django.db.models import Value
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from interlude.encryption.keys import forget_cached_keys
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import (
    KEY_BYTES,
    DecryptionError,
    MasterKeyError,
    decrypt_text,
    encrypt_text,
    generate_key_text,
    new_data_key,
    parse_master_keys,
)
from interlude.testing import make_client, make_therapist

pytestmark = pytest.mark.django_db

bounded = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TABLE = JournalEntry._meta.db_table
BODY = JournalEntry._meta.get_field("body").column


@pytest.fixture(autouse=True)
def _no_cached_keys():
    forget_cached_keys()
    yield
    forget_cached_keys()


@pytest.fixture
def therapist():
    return make_therapist("tess@example.test", name="Tess")


@pytest.fixture
def author(therapist):
    return make_client("ada@example.test", therapist=therapist, name="Ada")


@pytest.fixture
def other_author(therapist):
    return make_client("otto@example.test", therapist=therapist, name="Otto")


def write(author, body):
    return journal_entry_create(author=author, body=body, visibility="only_me")


def reread(entry):
    """Load the row afresh, with no data key cached: nothing of the write is reused."""
    forget_cached_keys()
    return JournalEntry.objects.get(pk=entry.pk).body


def raw_body(entry) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {BODY} FROM {TABLE} WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def set_raw_body(entry, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {BODY} = %s WHERE id = %s", [value, entry.pk])


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "0", " ", "😀", "👩🏽‍❤️‍💋‍👨🏿", "e\u0301", "a\x00b", "line\r\nbreak", "ﷺ", "\U0010ffff"],
)
def test_it_round_trips_edge_values(author, text):
    entry = write(author, text)
    assert entry.body == text
    assert reread(entry) == text


@bounded
@given(text=st.text())
def test_it_round_trips_any_text(author, text):
    entry = write(author, text)
    assert reread(entry) == text


def test_it_round_trips_a_megabyte(author):
    rng = random.Random(7)
    alphabet = "abc xyz ÄÖÜ ß 漢字 😀\n"
    text = "".join(rng.choices(alphabet, k=1_048_576))
    entry = write(author, text)
    assert len(text.encode()) > 1_000_000
    assert reread(entry) == text


# --- what the database holds ------------------------------------------------------------------


@bounded
@given(text=st.text(min_size=8))
def test_it_stores_only_versioned_ciphertext(author, text):
    entry = write(author, text)
    stored = raw_body(entry)
    assert stored.startswith("v1:")
    assert text not in stored
    assert base64.b64encode(text.encode()).decode()[:8] not in stored


def test_it_encrypts_the_same_text_differently_each_time(author):
    first, second = write(author, "same words"), write(author, "same words")
    assert raw_body(first) != raw_body(second)


# --- tampering --------------------------------------------------------------------------------


@bounded
@given(text=st.text(), data=st.data())
def test_it_refuses_any_changed_ciphertext_byte(author, text, data):
    entry = write(author, text)
    stored = raw_body(entry)
    sealed = bytearray(base64.b64decode(stored[3:]))
    index = data.draw(st.integers(0, len(sealed) - 1), label="byte")
    sealed[index] ^= data.draw(st.integers(1, 255), label="xor")
    set_raw_body(entry, "v1:" + base64.b64encode(bytes(sealed)).decode())
    with pytest.raises(DecryptionError):
        reread(entry)


@bounded
@given(text=st.text(), data=st.data())
def test_it_never_reads_a_changed_column_as_other_text(author, text, data):
    entry = write(author, text)
    stored = raw_body(entry)
    index = data.draw(st.integers(0, len(stored) - 1), label="position")
    replacement = data.draw(
        st.characters(min_codepoint=1, max_codepoint=127).filter(lambda c: c != stored[index])
    )
    tampered = stored[:index] + replacement + stored[index + 1 :]
    set_raw_body(entry, tampered)
    try:
        value = reread(entry)
    except DecryptionError:
        return
    # Reached only when the change hit base64's unused padding bits: the very same ciphertext
    # bytes, hence the very same text. Never anything else, never empty instead of text.
    assert base64.b64decode(tampered[3:]) == base64.b64decode(stored[3:])
    assert value == text


def test_it_refuses_a_non_canonical_encoding(author):
    entry = write(author, "a")  # 12 + 1 + 16 = 29 bytes: base64 ends in one padding "="
    stored = raw_body(entry)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(stored[-2])
    set_raw_body(entry, stored[:-2] + alphabet[last ^ 1] + "=")
    with pytest.raises(DecryptionError):
        reread(entry)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: "",
        lambda s: "v1:",
        lambda s: s[:-4],
        lambda s: s + "AAAA",
        lambda s: "v2:" + s[3:],
        lambda s: s[3:],
        lambda s: "v1:" + base64.b64encode(b"\x00" * 40).decode(),
        lambda s: s.replace("v1:", "v1: "),
    ],
    ids=["empty", "prefix-only", "truncated", "extended", "version", "no-prefix", "zeros", "space"],
)
def test_it_refuses_a_damaged_column(author, change):
    entry = write(author, "something private")
    set_raw_body(entry, change(raw_body(entry)))
    with pytest.raises(DecryptionError):
        reread(entry)


# --- a value belongs to one row, one field, one owner -----------------------------------------


def test_it_refuses_a_value_copied_to_another_row(author):
    source, target = write(author, "written in the first entry"), write(author, "second")
    set_raw_body(target, raw_body(source))
    with pytest.raises(DecryptionError):
        reread(target)
    assert reread(source) == "written in the first entry"


def test_it_refuses_a_value_copied_to_another_owners_row(author, other_author):
    source, target = write(author, "ada's words"), write(other_author, "otto's words")
    set_raw_body(target, raw_body(source))
    with pytest.raises(DecryptionError):
        reread(target)


def test_it_refuses_a_row_moved_to_another_owner(author, other_author):
    entry = write(author, "ada's words")
    JournalEntry.objects.filter(pk=entry.pk).update(author=other_author)
    with pytest.raises(DecryptionError):
        reread(entry)


def test_it_refuses_a_value_read_as_another_field(author):
    # JournalEntry has one encrypted field; the same field under another name stands in for a
    # second one, as the field's name is part of what the value is bound to.
    entry = JournalEntry.objects.get(pk=write(author, "bound to body").pk)
    body = JournalEntry._meta.get_field("body")
    other = body.clone()
    other.set_attributes_from_name("title")
    assert body.decrypt(entry, raw_body(entry)) == "bound to body"
    with pytest.raises(DecryptionError):
        other.decrypt(entry, raw_body(entry))


# --- no way around encryption -----------------------------------------------------------------

# Every lookup but isnull is refused: pattern lookups would otherwise skip get_prep_value and
# quietly match against ciphertext.
REFUSED_LOOKUPS = ["exact", "in", "gt", "gte", "lt", "lte", "range"] + [
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "endswith",
    "regex",
]


@pytest.mark.parametrize("lookup", REFUSED_LOOKUPS)
def test_it_refuses_filtering_on_an_encrypted_field(author, lookup):
    write(author, "secret")
    value = {"in": ["secret"], "range": ("a", "z")}.get(lookup, "secret")
    with pytest.raises(TypeError):
        list(JournalEntry.objects.filter(**{f"body__{lookup}": value}))


def test_it_refuses_excluding_on_an_encrypted_field(author):
    with pytest.raises(TypeError):
        list(JournalEntry.objects.exclude(body="secret"))


def test_it_refuses_queryset_update_of_an_encrypted_field(author):
    entry = write(author, "before")
    with pytest.raises(TypeError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(body="x")
    assert reread(entry) == "before"


def test_it_refuses_bulk_update_of_an_encrypted_field(author):
    entry = write(author, "before")
    entry.body = "after"
    with pytest.raises(TypeError), transaction.atomic():
        JournalEntry.objects.bulk_update([entry], ["body"])
    assert reread(entry) == "before"


def test_it_refuses_queryset_update_with_an_expression(author):
    entry = write(author, "before")
    with pytest.raises(TypeError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(body=Value("plain words"))


# --- the primitives -------------------------------------------------------------------------


@bounded
@given(text=st.text(), aad=st.binary(max_size=64), other=st.binary(max_size=64))
def test_it_binds_values_to_their_associated_data(text, aad, other):
    key = new_data_key()
    token = encrypt_text(key, text, aad)
    assert decrypt_text(key, token, aad) == text
    if other != aad:
        with pytest.raises(DecryptionError):
            decrypt_text(key, token, other)
    with pytest.raises(DecryptionError):
        decrypt_text(new_data_key(), token, aad)


def test_it_parses_generated_master_keys_newest_first():
    first, second = generate_key_text(), generate_key_text()
    keys = parse_master_keys(f" {first} ,\n{second}\n")
    assert [len(k.key) for k in keys] == [KEY_BYTES, KEY_BYTES]
    assert keys[0].key == base64.urlsafe_b64decode(first)
    assert keys[0].key_id != keys[1].key_id
    assert first not in repr(keys) and "key=" not in repr(keys)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " , \n ",
        "not base64!",
        "é",
        base64.urlsafe_b64encode(b"k" * 16).decode(),  # too short
        base64.urlsafe_b64encode(b"k" * 33).decode(),  # too long
        base64.urlsafe_b64encode(b"k" * 32).decode()[:-2],  # cut off
        "{0},{0}".format(base64.urlsafe_b64encode(b"k" * 32).decode()),  # listed twice
    ],
    ids=["empty", "blank", "not-base64", "non-ascii", "short", "long", "cut", "twice"],
)
def test_it_refuses_bad_master_keys(raw):
    with pytest.raises(MasterKeyError):
        parse_master_keys(raw)


@bounded
@given(raw=st.text(max_size=80))
def test_it_accepts_only_well_formed_master_keys(raw):
    try:
        keys = parse_master_keys(raw)
    except MasterKeyError:
        return
    assert keys and all(len(k.key) == KEY_BYTES for k in keys)
