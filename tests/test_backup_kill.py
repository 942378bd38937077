"""A backup stopped at any moment leaves no data key in the backup folder, and stops pg_dump.

The backup folder may be copied off-site as it is, so no file in it may hold a data key, not even
a half-written one that a killed backup left. On SQLite, `manage.py backup` runs in a child
process against a WAL-mode file and is killed with SIGKILL at random moments; this test reads
every file in the backup folder for every wrapped key while the backup runs and after the kill.
On PostgreSQL, pg_dump is held on a table lock while the backup is stopped with SIGTERM or
Ctrl-C: pg_dump must stop with it.
"""

import base64
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from interlude.encryption.backup import DATA_KEY_TABLE
from interlude.journal.actions import journal_entry_create
from interlude.testing import make_client, make_therapist

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 10
SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="kills an SQLite backup")
POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="stops pg_dump")

MAKE_DATABASE = r"""
import os, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from interlude.accounts.models import User
from interlude.encryption.keys import _aad, master_keys
from interlude.encryption.models import DataKey
from interlude.journal.actions import journal_entry_create
from interlude.lib.crypto import new_data_key, wrap_key

call_command("migrate", verbosity=0)
for n in range(5):
    client = User.objects.create_user(email=f"client{n}@example.test")
    journal_entry_create(author=client, body=f"client {n} wrote this", visibility="only_me")
master = master_keys()[0]
DataKey.objects.bulk_create(
    DataKey(
        owner_kind="couple",
        owner_id=pk,
        wrapped=wrap_key(master, new_data_key(), _aad("couple", pk)),
        master_key_id=master.key_id,
    )
    for pk in range(1, 200)
)
# Megabytes of other rows, so that a backup takes long enough to be killed half-way.
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE bulk (id INTEGER PRIMARY KEY, data BLOB)")
    for _ in range(int(sys.argv[1])):
        cursor.execute("INSERT INTO bulk (data) VALUES (%s)", [os.urandom(100_000)])
"""


def child_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTERLUDE_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))
    }
    env.update(
        INTERLUDE_ENV="test",
        DJANGO_SETTINGS_MODULE="interlude.settings",
        DATABASE_URL=database_url,
        INTERLUDE_MASTER_KEYS=settings.INTERLUDE_MASTER_KEYS,
        INTERLUDE_VAR_DIR=str(var_dir),
    )
    return env


def backup_command(target: Path) -> list[str]:
    return [sys.executable, "manage.py", "backup", str(target), "--overwrite"]


class KeyFinder:
    """Finds any of the wrapped keys, raw, as hex or as base64, in a file's bytes."""

    def __init__(self, wrapped: list[bytes]):
        forms = (
            lambda key: key,
            lambda key: key.hex().encode(),
            lambda key: key.hex().upper().encode(),
            lambda key: base64.b64encode(key),
        )
        # One pattern per form: the keys share their first byte (the wrapping's version), which
        # the regex engine then looks for first.
        self.patterns = [
            re.compile(b"|".join(re.escape(form(key)) for key in wrapped)) for form in forms
        ]

    def in_file(self, path: Path) -> str | None:
        """What in PATH gives a key away, or None."""
        try:
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None  # gone between listing and reading
        for pattern in self.patterns:
            if found := pattern.search(data):
                return f"{path.name} holds a wrapped key at byte {found.start()}"
        if data.startswith(b"SQLite format 3\x00"):
            rows = data_key_rows(path)
            if rows:
                return f"{path.name} has {rows} rows in {DATA_KEY_TABLE}"
        return None

    def in_folder(self, folder: Path, but: Path | None = None) -> list[str]:
        found = []
        for parent, _, names in os.walk(folder):
            for name in names:
                path = Path(parent) / name
                if path != but and (what := self.in_file(path)) is not None:
                    found.append(what)
        return found


def data_key_rows(path: Path) -> int:
    # immutable: reading must not roll a journal back or leave files beside it.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return db.execute(f"SELECT count(*) FROM {DATA_KEY_TABLE}").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0  # half-written, or not a database: its bytes were searched all the same


def activity(target: Path, workspace: Path) -> bool:
    """Whether a backup is at work: something new beside TARGET or in its work folder."""
    try:
        beside = [name for name in os.listdir(target.parent) if name != target.name]
        working = [name for name in os.listdir(workspace) if name != "lock"]
    except FileNotFoundError:
        working = []
    return bool(beside or working)


def start_backup(env: dict[str, str], target: Path) -> subprocess.Popen:
    return subprocess.Popen(
        backup_command(target),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def time_backup(env: dict[str, str], target: Path, workspace: Path) -> tuple[float, float]:
    """Run a whole backup; returns (seconds until it was seen at work, seconds at work)."""
    backup = start_backup(env, target)
    started = time.monotonic()
    seen = None
    while backup.poll() is None:
        if seen is None and activity(target, workspace):
            seen = time.monotonic()
    _, stderr = backup.communicate()
    assert backup.returncode == 0, stderr
    ended = time.monotonic()
    seen = seen or ended
    return seen - started, ended - seen


def kill_backup(
    env: dict[str, str],
    target: Path,
    workspace: Path,
    finder: KeyFinder,
    after: float,
    at_work: bool,
) -> list[str]:
    """Start a backup and SIGKILL it AFTER seconds (unless it finished first), counted from the
    moment it is seen at work if AT_WORK, else from its start. Meanwhile read the new files in
    the backup folder whenever there is time for it before the kill, and all of them after it.
    Returns what gave a key away."""
    found = []
    scan = 0.0  # how long reading the folder takes
    backup = start_backup(env, target)
    started = time.monotonic()
    try:
        while at_work and backup.poll() is None and not activity(target, workspace):
            started = time.monotonic()
        while backup.poll() is None and (left := started + after - time.monotonic()) > 0:
            if left > 2 * scan:
                before = time.monotonic()
                found += finder.in_folder(target.parent, but=target)
                scan = max(scan, time.monotonic() - before)
        backup.send_signal(signal.SIGKILL)
        _, stderr = backup.communicate(timeout=30)
    finally:
        if backup.poll() is None:
            backup.kill()
            backup.communicate()
    assert backup.returncode in (0, -signal.SIGKILL), stderr
    return found + finder.in_folder(target.parent)


@SQLITE
def test_a_killed_backup_never_leaves_a_data_key_in_the_backup_folder(tmp_path):
    database, var_dir = tmp_path / "live.sqlite3", tmp_path / "var"
    workspace = var_dir / "backup-tmp"
    env = child_env(f"sqlite:///{database}", var_dir)
    subprocess.run(
        [sys.executable, "-c", MAKE_DATABASE, "50"],  # about 5 MB
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with closing(sqlite3.connect(database)) as db:
        wrapped = [bytes(k) for (k,) in db.execute(f"SELECT wrapped FROM {DATA_KEY_TABLE}")]
    assert len(wrapped) == 204 and all(wrapped)
    finder = KeyFinder(wrapped)
    assert finder.in_file(database) is not None  # the search finds keys where they are
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "interlude.backup"
    starting, working = time_backup(env, target, workspace)
    assert finder.in_folder(folder) == []

    rng = random.Random()
    for round_ in range(ROUNDS):
        # Most kills fall while the backup is seen at work, where the files are; some anywhere.
        at_work = round_ >= 2
        after = rng.uniform(0, 1.2 * working) if at_work else rng.uniform(0, starting + working)
        found = kill_backup(env, target, workspace, finder, after, at_work)
        assert found == [], f"killed {after:.3f} s after it {'worked' if at_work else 'started'}"
        # The backup is replaced in one step: the one before, or a whole new one.
        with closing(sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)) as copy:
            assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
            assert copy.execute(f"SELECT count(*) FROM {DATA_KEY_TABLE}").fetchone() == (0,)

    done = subprocess.run(
        backup_command(target), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert os.listdir(folder) == ["interlude.backup"]  # what the killed runs left is gone
    assert os.listdir(workspace) == ["lock"]
    assert finder.in_folder(folder) == []
    with closing(sqlite3.connect(database)) as db:  # the live database kept its keys
        assert db.execute(f"SELECT count(*) FROM {DATA_KEY_TABLE}").fetchone() == (204,)


# --- PostgreSQL: pg_dump stops with the backup -------------------------------------------------


def pg_dumps_running(folder: Path) -> list[int]:
    """Ids of pg_dump processes writing into FOLDER, whoever their parent is now."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"pg_dump") and str(folder).encode() in b" ".join(args):
            pids.append(int(entry.name))
    return pids


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


@POSTGRES
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_a_backup_stops_pg_dump(stop, tmp_path):
    therapist = make_therapist("tess@example.test")
    client = make_client("ada@example.test", therapist=therapist)
    journal_entry_create(author=client, body="ada wrote this", visibility="only_me")
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    url = f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{db['NAME']}"
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "interlude.backup"
    env = child_env(url, tmp_path / "var")

    # pg_dump waits for this lock before it reads anything: the backup is stopped mid-way.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("LOCK TABLE journal_journalentry IN ACCESS EXCLUSIVE MODE")
        backup = subprocess.Popen(
            [sys.executable, "manage.py", "backup", str(target)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: pg_dumps_running(folder), "pg_dump to start")
            backup.send_signal(stop)
            _, stderr = backup.communicate(timeout=30)
            left_running = pg_dumps_running(folder)
        finally:
            for pid in pg_dumps_running(folder):  # an orphan would hold its snapshot: end it
                os.kill(pid, signal.SIGKILL)
            if backup.poll() is None:
                backup.kill()
                backup.communicate()
            cursor.execute("ROLLBACK")

    assert backup.returncode != 0
    assert left_running == []
    assert os.listdir(folder) == []  # the partial file went with it
    assert os.listdir(tmp_path / "var" / "backup-tmp") == ["lock"]

    done = subprocess.run(
        [sys.executable, "manage.py", "backup", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert os.listdir(folder) == ["interlude.backup"]
