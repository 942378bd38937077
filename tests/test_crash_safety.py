"""A writer killed at any moment loses nothing it acknowledged, and the SQLite file stays sound.

A child process writes journal entries and prints each id only after its transaction commits;
it is killed with SIGKILL at random moments, again and again. Every printed id must then be in the
database, readable (decrypted) as written, and the file must pass SQLite's integrity check.
"""

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="kills a writer on an SQLite file; PostgreSQL is a server"
)

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 5

WRITER = r"""
import sys, uuid
import django
django.setup()
from interlude.accounts.models import User
from interlude.journal.actions import journal_entry_create

email = "writer@example.test"
author = User.objects.filter(email=email).first() or User.objects.create_user(email=email)
print("ready", flush=True)
while True:
    token = uuid.uuid4().hex
    entry = journal_entry_create(
        author=author, body=f"entry {token} " + "words " * 300, visibility="only_me"
    )
    # Printed only once journal_entry_create has returned: the transaction has committed.
    sys.stdout.write(f"{entry.pk} {token}\n")
    sys.stdout.flush()
"""

CHECKER = r"""
import json, sys
import django
django.setup()
from interlude.journal.models import JournalEntry
from interlude.lib.crypto import DecryptionError

acknowledged = json.load(sys.stdin)
found = {entry.pk: entry for entry in JournalEntry.objects.all()}
report = {"stored": len(found), "missing": [], "wrong": [], "unreadable": []}
for pk, entry in found.items():
    try:
        body = entry.body
    except DecryptionError:
        report["unreadable"].append(pk)
        continue
    token = acknowledged.get(str(pk))
    if token is not None and not body.startswith(f"entry {token} "):
        report["wrong"].append(pk)
report["missing"] = [pk for pk in acknowledged if int(pk) not in found]
print(json.dumps(report))
"""


def child_env(database: Path, var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERLUDE_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))
    }
    env.update(
        INTERLUDE_ENV="test",
        DJANGO_SETTINGS_MODULE="interlude.settings",
        DATABASE_URL=f"sqlite:///{database}",
        INTERLUDE_MASTER_KEYS=settings.INTERLUDE_MASTER_KEYS,
        INTERLUDE_VAR_DIR=str(var_dir),
    )
    return env


def write_until_killed(env: dict[str, str], delay: float) -> dict[str, str]:
    """Start a writer, SIGKILL it DELAY seconds after it starts writing; return what it
    acknowledged, id -> token."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        readable, _, _ = select.select([writer.stdout], [], [], 60)
        assert readable and writer.stdout.readline() == "ready\n", writer.stderr.read()
        time.sleep(delay)
        assert writer.poll() is None, writer.stderr.read()
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    # A line is an acknowledgement only if the writer finished printing it.
    lines = [line for line in out.splitlines(keepends=True) if line.endswith("\n")]
    return dict(line.split() for line in lines)


def test_acknowledged_entries_survive_sigkill(tmp_path):
    database = tmp_path / "crash.sqlite3"
    env = child_env(database, tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    rng = random.Random()
    acknowledged: dict[str, str] = {}
    for _ in range(ROUNDS):
        written = write_until_killed(env, rng.uniform(0.3, 1.0))
        assert written, "the writer acknowledged nothing before it was killed"
        reused = written.keys() & acknowledged.keys()
        assert not reused, f"acknowledged entries were lost and their ids reused: {reused}"
        acknowledged |= written

    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    checked = subprocess.run(
        [sys.executable, "-c", CHECKER],
        cwd=ROOT,
        env=env,
        input=json.dumps(acknowledged),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["missing"] == []
    assert report["wrong"] == [] and report["unreadable"] == []
    # At most one entry per round was committed but killed before it was acknowledged.
    assert len(acknowledged) <= report["stored"] <= len(acknowledged) + ROUNDS
