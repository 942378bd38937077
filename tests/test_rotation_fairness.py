"""Master-key rotation beside a live Interlude on an SQLite file: web requests keep writing.

SQLite keeps no queue of waiting writers: each one retries on its busy timeout, sleeping up to
100 ms between tries. A rotation that took the write lock again the moment it let it go would shut
web requests out until their timeout ran out ("database is locked"). These tests run
rotate_master_key in a child process against a WAL-mode file, with a writer that behaves like a
web request (IMMEDIATE transactions, the busy timeout from settings) in this one. They assert
order and outcomes only, never a duration: bench/rotation_latency.py measures the waits.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from interlude.encryption.keys import _aad
from interlude.lib.crypto import generate_key_text, parse_master_keys, unwrap_key

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's single write lock; PostgreSQL locks rows"
)

ROOT = Path(__file__).resolve().parent.parent
KEY_A, KEY_B = generate_key_text(), generate_key_text()
ID_A, ID_B = (parse_master_keys(k)[0].key_id for k in (KEY_A, KEY_B))
KEYS = 200
BATCH = 20

MAKE_KEYS = r"""
import sys
import django
django.setup()
from django.core.management import call_command
from interlude.encryption.keys import _aad, master_keys
from interlude.encryption.models import DataKey
from interlude.lib.crypto import new_data_key, wrap_key

call_command("migrate", verbosity=0)
master = master_keys()[0]
DataKey.objects.bulk_create(
    DataKey(
        owner_kind="user",
        owner_id=owner_id,
        wrapped=wrap_key(master, new_data_key(), _aad("user", owner_id)),
        master_key_id=master.key_id,
    )
    for owner_id in range(1, int(sys.argv[1]) + 1)
)
"""


def child_env(database: Path, var_dir: Path, master_keys: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERLUDE_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))
    }
    env.update(
        INTERLUDE_ENV="test",
        DJANGO_SETTINGS_MODULE="interlude.settings",
        DATABASE_URL=f"sqlite:///{database}",
        INTERLUDE_MASTER_KEYS=master_keys,
        INTERLUDE_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",  # each progress line arrives as its batch commits
    )
    return env


@pytest.fixture(scope="module")
def keys_under_a(tmp_path_factory) -> Path:
    """A migrated SQLite file with KEYS data keys under master key A (copied by each test)."""
    folder = tmp_path_factory.mktemp("rotation")
    database = folder / "template.sqlite3"
    subprocess.run(
        [sys.executable, "-c", MAKE_KEYS, str(KEYS)],
        cwd=ROOT,
        env=child_env(database, folder, KEY_A),
        check=True,
        capture_output=True,
        timeout=120,
    )
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database


@pytest.fixture
def database(keys_under_a, tmp_path) -> Path:
    copy = tmp_path / "live.sqlite3"
    copy.write_bytes(keys_under_a.read_bytes())
    return copy


def web_connection(database: Path) -> sqlite3.Connection:
    """A connection that waits for the write lock as a web request's does (settings.py)."""
    db = sqlite3.connect(database, isolation_level=None, timeout=10)
    db.execute("PRAGMA busy_timeout=10000")
    db.execute("PRAGMA synchronous=FULL")
    return db


def key_rows(database: Path) -> dict[int, tuple[str, bytes, object]]:
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT id, master_key_id, wrapped, destroyed_at FROM privacy_datakey")
        return {pk: (master, bytes(wrapped), destroyed) for pk, master, wrapped, destroyed in rows}


@dataclass
class Rotation:
    """rotate_master_key from A to B in a child process, and the moments its batch reports
    arrive (each is printed after its batch committed)."""

    process: subprocess.Popen
    batches: list[float] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, database: Path, var_dir: Path) -> "Rotation":
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rotate_master_key", f"--batch-size={BATCH}"],
            cwd=ROOT,
            env=child_env(database, var_dir, f"{KEY_B},{KEY_A}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        rotation = cls(process)
        rotation.reader = threading.Thread(target=rotation.read, daemon=True)
        rotation.reader.start()
        return rotation

    def read(self) -> None:
        for line in self.process.stdout:
            if line.strip().startswith("re-wrapped "):
                self.batches.append(time.monotonic())
            self.lines.append(line)

    def finish(self) -> str:
        self.process.wait(timeout=120)
        self.reader.join(timeout=10)
        return "".join(self.lines)


def test_it_lets_a_waiting_writer_in_between_batches(database, tmp_path):
    db = web_connection(database)
    db.execute("CREATE TABLE web_write (id INTEGER PRIMARY KEY, note TEXT)")
    last_key = max(key_rows(database))
    rotation = Rotation.start(database, tmp_path)
    batches = rotation.batches
    writes: list[tuple[float, float]] = []  # (asked for the lock, committed)
    errors: list[str] = []
    shredded = False
    while rotation.process.poll() is None:
        asked = time.monotonic()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO web_write (note) VALUES ('a web request')")
            if batches and not shredded:
                # A client deleted mid-rotation: their key, due in the last batch, is destroyed.
                db.execute(
                    "UPDATE privacy_datakey SET wrapped = x'', master_key_id = '', "
                    "destroyed_at = '2026-01-01 00:00:00' WHERE id = ?",
                    (last_key,),
                )
                shredded = True
            time.sleep(0.005)  # the request holds the lock briefly
            db.execute("COMMIT")
            writes.append((asked, time.monotonic()))
        except sqlite3.OperationalError as exc:
            errors.append(str(exc))
            if db.in_transaction:
                db.execute("ROLLBACK")
        time.sleep(random.uniform(0.001, 0.02))
    output = rotation.finish()

    assert rotation.process.returncode == 0, output
    assert errors == []
    # Every write that asked for the lock got it before the rotation committed a second batch
    # after that moment: at most the batch that was running went first.
    overtaken = [sum(asked < batch < committed for batch in batches) for asked, committed in writes]
    assert len(batches) == KEYS // BATCH
    assert max(overtaken) <= 1, f"batches that went before a waiting write: {overtaken}"
    assert db.execute("SELECT count(*) FROM web_write").fetchone()[0] == len(writes)
    assert f"Re-wrapped {KEYS - 1} data keys; 0 remain" in output
    rows = key_rows(database)
    assert rows.pop(last_key) == ("", b"", "2026-01-01 00:00:00")  # stays destroyed
    assert {master for master, _, _ in rows.values()} == {ID_B}


def test_batches_commit_one_by_one_and_a_killed_rotation_resumes(database, tmp_path):
    rotation = Rotation.start(database, tmp_path)
    stop_after = random.randint(1, KEYS // BATCH - 2)
    while len(rotation.batches) < stop_after and rotation.process.poll() is None:
        time.sleep(0.001)
    rotation.process.send_signal(signal.SIGKILL)
    output = rotation.finish()
    assert rotation.process.returncode == -signal.SIGKILL, output

    moved = sorted(pk for pk, (master, _, _) in key_rows(database).items() if master == ID_B)
    # Every batch reported before the kill was kept, and nothing half-done: whole batches only.
    assert len(moved) >= stop_after * BATCH and len(moved) % BATCH == 0
    assert len(moved) < KEYS
    assert moved == sorted(key_rows(database))[: len(moved)]

    finish_run = subprocess.run(
        [sys.executable, "manage.py", "rotate_master_key", f"--batch-size={BATCH}"],
        cwd=ROOT,
        env=child_env(database, tmp_path, f"{KEY_B},{KEY_A}"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finish_run.returncode == 0, finish_run.stderr
    assert f"Data keys to re-wrap: {KEYS - len(moved)}." in finish_run.stdout
    assert {master for master, _, _ in key_rows(database).values()} == {ID_B}
    # Each one opens with master key B alone: the old key may go.
    newest = parse_master_keys(KEY_B)[0]
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT owner_kind, owner_id, wrapped FROM privacy_datakey").fetchall()
    opened = [
        unwrap_key(newest, bytes(wrapped), _aad(kind, owner)) for kind, owner, wrapped in rows
    ]
    assert len(opened) == KEYS and all(len(key) == 32 for key in opened)
