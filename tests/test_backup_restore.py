"""Backups and restores, on SQLite and on PostgreSQL: a restore brings every row back as it was,
database backups never hold data keys, and a client deleted after a backup stays unreadable when
that backup is restored."""

import base64
import fcntl
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from interlude.encryption.backup import DATA_KEY_TABLE
from interlude.encryption.keys import data_key_for, destroy_data_key, forget_cached_keys
from interlude.encryption.models import DataKey
from interlude.journal.actions import (
    journal_entry_create,
    journal_entry_delete,
    journal_entry_update,
)
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import KeyDestroyed
from interlude.privacy.actions import client_account_delete
from interlude.testing import make_client, make_therapist

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _no_cached_keys():
    forget_cached_keys()
    yield
    forget_cached_keys()


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path_factory):
    """Backups work in VAR_DIR/backup-tmp: a folder of the test's own, apart from the backups."""
    settings.VAR_DIR = tmp_path_factory.mktemp("var")
    return settings.VAR_DIR


@pytest.fixture
def people():
    """A therapist and two clients, each with journal entries."""
    therapist = make_therapist("tess@example.test", name="Tess")
    ada = make_client("ada@example.test", therapist=therapist, name="Ada")
    ben = make_client("ben@example.test", therapist=therapist, name="Ben")
    entries = {}
    for author, texts in (
        (ada, ["ada: the first evening went slowly", "ada: touching without a goal 🌙", "ada 3"]),
        (ben, ["ben: I noticed I rushed again", "ben: calmer this week"]),
    ):
        for text in texts:
            entry = journal_entry_create(author=author, body=text, visibility="only_me")
            entries[entry.pk] = text
    return SimpleNamespace(therapist=therapist, ada=ada, ben=ben, entries=entries)


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def snapshot():
    """Every row of every table but the data keys, comparable across a restore."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == DATA_KEY_TABLE:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [tuple(as_plain(v) for v in row) for row in cursor.fetchall()]
            tables[table] = sorted(map(repr, rows))
    return tables


def as_plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def data_keys():
    return sorted(
        (k.pk, k.owner_kind, k.owner_id, bytes(k.wrapped), k.master_key_id, k.destroyed_at)
        for k in DataKey.objects.all()
    )


def bodies():
    forget_cached_keys()
    return {entry.pk: entry.body for entry in JournalEntry.objects.all()}


def backup_contents(path) -> bytes:
    """What a reader of the backup file can see: the file itself, or for pg_dump's compressed
    custom format, the SQL it holds."""
    if not POSTGRES:
        return path.read_bytes()
    return subprocess.run(
        ["pg_restore", "--file=-", str(path)], capture_output=True, check=True
    ).stdout


def data_key_rows_in_backup(path) -> int:
    if not POSTGRES:
        with sqlite3.connect(path) as copy:
            return copy.execute(f"SELECT count(*) FROM {DATA_KEY_TABLE}").fetchone()[0]
    listing = subprocess.run(
        ["pg_restore", "--list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public journal_journalentry" in listing
    return sum(f"TABLE DATA public {DATA_KEY_TABLE} " in line for line in listing.splitlines())


def forms_of(blob: bytes) -> list[bytes]:
    return [blob, blob.hex().encode(), base64.b64encode(blob)]


# --- the drill --------------------------------------------------------------------------------


def test_a_restore_brings_back_every_row_as_it_was_at_backup_time(people, tmp_path):
    backup = tmp_path / "interlude.backup"
    at_backup = snapshot()
    assert "no data keys" in run("backup", backup)

    # Life goes on: an entry changed, one deleted, one added, a new client with a new key.
    first, second = JournalEntry.objects.filter(author=people.ada).order_by("pk")[:2]
    journal_entry_update(entry=first, body="ada: changed my mind", visibility="therapist")
    journal_entry_delete(entry=second)
    journal_entry_create(author=people.ben, body="ben: after the backup", visibility="only_me")
    cy = make_client("cy@example.test", therapist=people.therapist)
    journal_entry_create(author=cy, body="cy: new here", visibility="only_me")
    keys_before_restore = data_keys()
    assert snapshot() != at_backup

    output = run("restore", backup, "--yes")

    assert f"kept the {len(keys_before_restore)} current data keys" in output
    assert snapshot() == at_backup
    assert data_keys() == keys_before_restore
    assert bodies() == people.entries
    # Writing goes on after a restore, under the kept keys.
    entry = journal_entry_create(
        author=people.ada, body="ada: after the restore", visibility="only_me"
    )
    assert bodies()[entry.pk] == "ada: after the restore"


def test_a_restore_needs_yes(people, tmp_path):
    backup = tmp_path / "interlude.backup"
    run("backup", backup)
    journal_entry_create(author=people.ben, body="ben: after the backup", visibility="only_me")
    before = snapshot()
    with pytest.raises(CommandError, match="run this again with --yes"):
        run("restore", backup)
    assert snapshot() == before


def test_it_refuses_to_restore_what_is_not_a_backup(people, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_bytes(b"just some notes, not a database\n" * 100)
    before, keys = snapshot(), data_keys()
    with pytest.raises(CommandError, match="is not"):
        run("restore", not_a_backup, "--yes")
    with pytest.raises(CommandError, match="There is no backup file"):
        run("restore", tmp_path / "missing.backup", "--yes")
    assert snapshot() == before and data_keys() == keys


def test_it_does_not_overwrite_a_backup_unless_asked(people, tmp_path):
    backup = tmp_path / "interlude.backup"
    backup.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", backup)
    assert backup.read_bytes() == b"an older backup"
    run("backup", backup, "--overwrite")
    assert backup.read_bytes() != b"an older backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["interlude.backup"]  # no leftovers


def test_it_removes_what_a_killed_backup_left_and_nothing_else(people, tmp_path, var_dir):
    backup = tmp_path / "interlude.backup"
    left = [
        ".interlude.backup.k1ll3d_x.partial",
        ".interlude.backup.k1ll3d_x.partial-journal",
        ".interlude.backup.abcdefgh.partial-wal",
    ]
    kept = ["interlude.backup.partial", ".interlude.backup.notes", ".other.backup.abcdefgh.partial"]
    for name in left + kept:
        (tmp_path / name).write_bytes(b"left by someone")
    work = var_dir / "backup-tmp" / "tmpk1ll3d"
    work.mkdir(parents=True)
    (work / "copy.sqlite3").write_bytes(b"a copy with keys in it")

    run("backup", backup)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["interlude.backup", *kept])
    assert [p.name for p in (var_dir / "backup-tmp").iterdir()] == ["lock"]
    assert (var_dir / "backup-tmp").stat().st_mode & 0o777 == 0o700


def test_it_says_when_its_work_folder_cannot_be_used(people, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "not-a-folder"
    settings.VAR_DIR.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="work folder .* cannot be used .*INTERLUDE_VAR_DIR"):
        run("backup", tmp_path / "interlude.backup")
    assert not (tmp_path / "interlude.backup").exists()


def test_it_runs_one_backup_at_a_time(people, tmp_path, var_dir):
    run("backup", tmp_path / "first.backup")
    with open(var_dir / "backup-tmp" / "lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a backup running in another process
        with pytest.raises(CommandError, match="Another backup is running"):
            run("backup", tmp_path / "second.backup")
        with pytest.raises(CommandError, match="Another backup is running"):
            run("backup_keys", tmp_path / "keys.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.backup"]


# --- crypto-shredding survives old backups ----------------------------------------------------


def delete_by_account_deletion(user):
    client_account_delete(user=user)


def delete_key_then_user(user):
    destroy_data_key(DataKey.OwnerKind.USER, user.pk)
    user.delete()


@pytest.mark.parametrize("delete", [delete_by_account_deletion, delete_key_then_user])
def test_a_client_deleted_after_a_backup_stays_unreadable_when_it_is_restored(
    people, tmp_path, delete
):
    backup = tmp_path / "interlude.backup"
    run("backup", backup)
    ada_entries = sorted(pk for pk, text in people.entries.items() if text.startswith("ada"))
    ada_id = people.ada.pk
    delete(people.ada)

    output = run("restore", backup, "--yes")

    forget_cached_keys()
    restored = JournalEntry.objects.filter(author_id=ada_id).order_by("pk")
    assert [entry.pk for entry in restored] == ada_entries
    for entry in restored:
        with pytest.raises(KeyDestroyed):
            entry.body  # noqa: B018
    ben = {pk: text for pk, text in people.entries.items() if text.startswith("ben")}
    assert {e.pk: e.body for e in JournalEntry.objects.filter(author=people.ben)} == ben
    # The account itself came back with the backup: the operator is told to delete it again.
    assert f"user ids {ada_id})" in output and "delete these accounts again" in output


# --- what a backup holds ----------------------------------------------------------------------


def test_a_database_backup_holds_no_data_keys_and_no_plain_text(people, tmp_path):
    backup = tmp_path / "interlude.backup"
    wrapped = [bytes(k.wrapped) for k in DataKey.objects.all()]
    opened = [data_key_for(DataKey.OwnerKind.USER, u.pk) for u in (people.ada, people.ben)]
    assert len(wrapped) == 2 and all(wrapped)

    run("backup", backup)

    assert backup.stat().st_mode & 0o077 == 0  # only its owner may read it
    assert data_key_rows_in_backup(backup) == 0
    contents = backup_contents(backup)
    for blob in wrapped + opened:
        assert not any(form in contents for form in forms_of(blob))
    for text in people.entries.values():
        assert text.encode() not in contents
    # The search does find what is there: the entries' ciphertext and the clients' e-mails.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM journal_journalentry")
        assert all(token.encode() in contents for (token,) in cursor.fetchall())
    assert b"ada@example.test" in contents
    # The live database still has its keys.
    assert sorted(bytes(k.wrapped) for k in DataKey.objects.all()) == sorted(wrapped)


def test_the_key_backup_holds_only_wrapped_keys_and_brings_lost_keys_back(people, tmp_path):
    backup, key_backup = tmp_path / "interlude.backup", tmp_path / "keys.json"
    run("backup", backup)
    assert "Wrote 2 wrapped data keys" in run("backup_keys", key_backup)

    assert key_backup.stat().st_mode & 0o077 == 0
    document = json.loads(key_backup.read_text())
    assert {(k["owner_kind"], k["owner_id"]) for k in document["keys"]} == {
        ("user", people.ada.pk),
        ("user", people.ben.pk),
    }
    stored = {base64.b64decode(k["wrapped"]) for k in document["keys"]}
    assert stored == {bytes(k.wrapped) for k in DataKey.objects.all()}
    for user in (people.ada, people.ben):
        opened = data_key_for(DataKey.OwnerKind.USER, user.pk)
        assert not any(form in key_backup.read_bytes() for form in forms_of(opened))

    # Disaster: the database is lost with its keys; restore the backup, then the keys.
    DataKey.objects.all().delete()
    run("restore", backup, "--yes")
    with pytest.raises(KeyDestroyed):
        bodies()
    assert "Added 2 data keys" in run("restore_keys", key_backup)

    assert bodies() == people.entries


def test_restoring_keys_never_undoes_a_deletion(people, tmp_path):
    key_backup = tmp_path / "keys.json"
    run("backup_keys", key_backup)
    client_account_delete(user=people.ada)

    output = run("restore_keys", key_backup)

    assert "Added 0 data keys" in output and "kept the 2" in output
    shredded = DataKey.objects.get(owner_kind="user", owner_id=people.ada.pk)
    assert shredded.destroyed_at is not None and bytes(shredded.wrapped) == b""


def test_it_refuses_a_damaged_key_backup(people, tmp_path):
    key_backup = tmp_path / "keys.json"
    run("backup_keys", key_backup)
    document = json.loads(key_backup.read_text())
    document["keys"][1]["wrapped"] = "not base64!"
    key_backup.write_text(json.dumps(document))
    DataKey.objects.all().delete()
    with pytest.raises(CommandError, match="Key 2 .* is damaged"):
        run("restore_keys", key_backup)
    assert not DataKey.objects.exists()  # all or nothing


@pytest.mark.skipif(not POSTGRES, reason="pg_dump is used only on PostgreSQL")
def test_it_says_how_to_get_pg_dump_when_it_is_missing(people, tmp_path, monkeypatch):
    assert shutil.which("pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="apt-get install postgresql-client"):
        run("backup", tmp_path / "interlude.backup")


# --- a file database, as in production ----------------------------------------------------------

FILE_DATABASE_DRILL = r"""
import json, sqlite3, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from interlude.accounts.models import User
from interlude.journal.actions import journal_entry_create
from interlude.journal.models import JournalEntry
from interlude.encryption.keys import forget_cached_keys

backup = sys.argv[1]
call_command("migrate", verbosity=0)
ada = User.objects.create_user(email="ada@example.test")
first = journal_entry_create(author=ada, body="ada 1", visibility="only_me")
journal_entry_create(author=ada, body="ada 2", visibility="only_me")
reader = sqlite3.connect(connection.settings_dict["NAME"])  # as another Interlude process
reader.execute("SELECT count(*) FROM journal_journalentry").fetchone()
call_command("backup", backup)
journal_entry_create(author=ada, body="after the backup", visibility="only_me")
JournalEntry.objects.filter(pk=first.pk).delete()
call_command("restore", backup, "--yes")
forget_cached_keys()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA integrity_check")
    integrity = cursor.fetchall()
with sqlite3.connect(backup) as copy:
    backup_mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
print(json.dumps({
    "bodies": sorted(entry.body for entry in JournalEntry.objects.all()),
    "reader_sees": reader.execute("SELECT count(*) FROM journal_journalentry").fetchone()[0],
    "journal_mode": journal_mode,
    "integrity": integrity,
    "backup_mode": backup_mode,
}))
"""


@pytest.mark.skipif(POSTGRES, reason="the SQLite online backup of a WAL-mode database file")
def test_a_file_database_in_wal_mode_backs_up_and_restores_while_open(tmp_path):
    # The test database is in memory; a production database is a file in WAL mode, with other
    # processes reading it. This drill runs in a child process against such a file.
    root = Path(__file__).resolve().parent.parent
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERLUDE_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))
    }
    env.update(
        INTERLUDE_ENV="test",
        DJANGO_SETTINGS_MODULE="interlude.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}",
        INTERLUDE_MASTER_KEYS=settings.INTERLUDE_MASTER_KEYS,
        INTERLUDE_VAR_DIR=str(tmp_path),
    )
    backup = tmp_path / "backups" / "interlude.backup"
    backup.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", FILE_DATABASE_DRILL, str(backup)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["bodies"] == ["ada 1", "ada 2"]
    assert report["reader_sees"] == 2
    assert report["journal_mode"] == "wal" and report["integrity"] == [["ok"]]
    assert report["backup_mode"] == "delete"
    assert os.listdir(backup.parent) == ["interlude.backup"]  # no journal, WAL or partial file
