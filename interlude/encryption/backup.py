"""Database backups that never contain data keys, and the separate backup of the keys.

A database backup holds ciphertext only: its copy of the data-key table is always empty. So when
an owner's key is destroyed (crypto-shredding), their writing is unreadable in every older backup
too, and restoring a backup keeps the keys the database has now. The wrapped data keys are backed
up apart (backup_keys), encrypted by the master key, which is kept apart from both.

SQLite uses the online backup API (Interlude may keep running while it backs up); PostgreSQL uses
pg_dump and pg_restore from the PostgreSQL client tools.

Nothing under the folder a backup goes to ever holds a data key, not even for a moment or after a
backup is killed: the folder may be copied off-site as it is. A backup writes a hidden
`.NAME.xxxxxxxx.partial` beside NAME and renames it to NAME when it is complete; whatever a killed
run left (that file, and the private work folder VAR_DIR/backup-tmp) is removed by the next run.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

from interlude.encryption.keys import forget_cached_keys, master_keys
from interlude.encryption.models import DataKey

DATA_KEY_TABLE = DataKey._meta.db_table
# The table name comes from the model, never from input.
DELETE_KEYS_SQL = f'DELETE FROM "{DATA_KEY_TABLE}"'  # noqa: S608
SELECT_KEYS_SQL = f'SELECT * FROM "{DATA_KEY_TABLE}"'  # noqa: S608
COUNT_KEYS_SQL = f'SELECT count(*) FROM "{DATA_KEY_TABLE}"'  # noqa: S608
KEY_FILE_FORMAT = "interlude-data-keys"
KEY_FILE_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
PARTIAL_SUFFIX = ".partial"
WORKSPACE_NAME = "backup-tmp"
PG_STOP_SECONDS = 5


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass
class RestoreResult:
    data_keys_kept: int
    # Accounts deleted after the backup was taken: their writing stays unreadable (their key is
    # destroyed), but their account details came back with the backup.
    deleted_accounts_back: list[int] = field(default_factory=list)


@dataclass
class KeyRestoreResult:
    added: int = 0
    already_present: int = 0
    unknown_master_keys: set[str] = field(default_factory=set)


# --- the database -------------------------------------------------------------------------------


def backup_database(path: Path) -> None:
    """Write a backup of the whole database to PATH, without any data keys."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    with _backup_run() as workspace, _private_file(path) as partial:
        if connection.vendor == "sqlite":
            _sqlite_backup(partial, workspace)
        else:
            _pg_backup(partial)


def restore_database(path: Path) -> RestoreResult:
    """Replace the database with the backup at PATH, keeping the data keys it has now.

    Run it with Interlude stopped: other processes would keep stale rows and keys in memory.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    kept = _sqlite_restore(path) if connection.vendor == "sqlite" else _pg_restore(path)
    forget_cached_keys()
    destroyed = DataKey.objects.filter(
        owner_kind=DataKey.OwnerKind.USER, destroyed_at__isnull=False
    ).values("owner_id")
    # The user model by name: encryption sits below the accounts app.
    back = get_user_model().objects.filter(pk__in=destroyed, is_active=True).order_by("pk")
    return RestoreResult(kept, list(back.values_list("pk", flat=True)))


@contextmanager
def _backup_run() -> Iterator[Path]:
    """One backup at a time, with a private work folder; what a killed run left is removed.

    The lock is an flock on VAR_DIR/backup-tmp/lock: the kernel drops it when its process dies,
    however it dies, so a lock that can be taken means no other backup is running and everything
    else in VAR_DIR/backup-tmp, and every partial file, is a leftover.
    """
    root = Path(settings.VAR_DIR) / WORKSPACE_NAME
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        root.chmod(0o700)  # only the server's user: a work copy holds data keys for a moment
        (root / "lock").touch()
    except OSError as exc:
        raise BackupError(
            f"The backup's work folder {root} cannot be used ({exc.strerror}). Run the backup as "
            "the user Interlude runs as, or set INTERLUDE_VAR_DIR to a folder it may write."
        ) from exc
    with open(root / "lock") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                "Another backup is running; run this again once it has finished."
            ) from None
        for leftover in root.iterdir():
            if leftover.name != "lock":
                _remove(leftover)
        work = Path(tempfile.mkdtemp(dir=root))
        with _sigterm_as_exit():
            try:
                yield work
            finally:
                shutil.rmtree(work, ignore_errors=True)


@contextmanager
def _private_file(path: Path) -> Iterator[Path]:
    """A file only its owner can read, beside PATH, that replaces PATH once it is complete.

    Partial files for PATH that a killed run left are removed first (call inside _backup_run)."""
    prefix = f".{path.name}."
    # mkstemp's names: the prefix, 8 letters, digits or _, the suffix. Older versions of backup
    # opened the partial file as a database: their SQLite journals go too.
    partial_name = rf"{re.escape(prefix)}[a-z0-9_]{{8}}{re.escape(PARTIAL_SUFFIX)}"
    stale = re.compile(rf"{partial_name}(-journal|-wal|-shm)?")
    for entry in path.parent.iterdir():
        if stale.fullmatch(entry.name):
            entry.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=PARTIAL_SUFFIX, dir=path.parent)
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        os.replace(partial, path)
        _fsync_folder(path.parent)
    finally:
        partial.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in FOLDER survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Terminated(SystemExit):
    """SIGTERM arrived: leave through the cleanup code, as for Ctrl-C."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated(128 + signum)


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """While a backup runs, SIGTERM (a service stop, `kill`) unwinds like Ctrl-C does, so the
    partial file and the work folder are removed and pg_dump is stopped."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; the next run cleans up instead
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _expect_header(path: Path, header: bytes, what: str) -> None:
    with open(path, "rb") as f:
        if f.read(len(header)) != header:
            raise BackupError(
                f"{path} is not {what}, which this database ({connection.vendor}) needs."
            )


def _sqlite_backup(partial: Path, workspace: Path) -> None:
    # The online backup API copies every page, the data keys' included, and SQLite cannot copy a
    # database less one table's rows. So the copy is made, and its keys deleted, in WORKSPACE
    # (VAR_DIR/backup-tmp, mode 0700: the server's own state, never the backup folder), and only
    # the finished key-free file is copied beside the target. Building the copy table by table
    # instead would re-implement what the backup API gets right (schema, sequences, indexes,
    # triggers) for every future migration; holding it in memory would cost the database's size.
    connection.ensure_connection()
    live: sqlite3.Connection = connection.connection
    work = workspace / "copy.sqlite3"
    with closing(sqlite3.connect(work, isolation_level=None)) as copy:
        live.backup(copy)
        # Rebuild the copy without the keys: secure_delete zeroes the freed pages, VACUUM drops
        # them, and a rollback journal (not a WAL) leaves nothing behind beside the file.
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("PRAGMA secure_delete=ON")
        copy.execute(DELETE_KEYS_SQL)
        copy.execute("VACUUM")
        (check,) = copy.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"The backup copy failed its integrity check: {check}")
        (keys,) = copy.execute(COUNT_KEYS_SQL).fetchone()
        if keys:
            raise BackupError("The backup copy still held data keys; nothing was written.")
    shutil.copyfile(work, partial)  # into the 0600 file mkstemp made


def _sqlite_restore(path: Path) -> int:
    _expect_header(path, SQLITE_HEADER, "an SQLite backup")
    connection.ensure_connection()
    live: sqlite3.Connection = connection.connection
    cursor = live.execute(SELECT_KEYS_SQL)
    columns = [f'"{d[0]}"' for d in cursor.description]
    keys = cursor.fetchall()
    insert = (
        f'INSERT INTO "{DATA_KEY_TABLE}" ({", ".join(columns)}) '  # noqa: S608
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    # Stage the backup with today's keys put in, then copy it over the live database in one step:
    # no reader ever sees the database without its keys, and a failure leaves it untouched.
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name  # as Django's test databases are
    stage_dir = None if in_memory else Path(name).parent
    with (
        tempfile.TemporaryDirectory(dir=stage_dir) as tmp,
        closing(sqlite3.connect(Path(tmp) / "restore.sqlite3", isolation_level=None)) as stage,
    ):
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as source:
            source.backup(stage)
        (check,) = stage.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"The backup at {path} is damaged: {check}")
        try:
            stage.execute("BEGIN")
            stage.execute(DELETE_KEYS_SQL)
            stage.executemany(insert, keys)
            stage.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not an Interlude backup: {exc}") from exc
        stage.backup(live)
    return len(keys)


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client tools (the server's major "
            "version or newer), for example: sudo apt-get install postgresql-client"
        )
    return tool


def _pg_run(tool: str, options: list[str]) -> None:
    settings_dict = connection.settings_dict
    # Django's psql helper knows how the settings map to libpq's environment (password, SSL).
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = [_pg_tool(tool)]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if settings_dict.get(key):
            args.append(f"{flag}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        args.append(f"--dbname={settings_dict['NAME']}")
    returncode, stderr = _run_as_group([*args, *options], env={**os.environ, **(env or {})})
    if returncode != 0:
        raise BackupError(f"{tool} failed (exit {returncode}): {stderr.strip()}")


def _run_as_group(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run ARGS in a process group of its own and wait; if this process is interrupted (Ctrl-C,
    SIGTERM) or fails meanwhile, stop the whole group (pg_dump --jobs forks workers) first: a
    pg_dump left running would go on writing after the backup has given up on it, holding its
    snapshot and its locks."""
    process = subprocess.Popen(  # noqa: S603 - our own arguments and the database settings
        args,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,  # not in ours: Ctrl-C reaches us, and we decide what it stops
    )
    try:
        with _sigterm_as_exit():
            _, stderr = process.communicate()
    except BaseException:
        _stop_group(process)
        raise
    return process.returncode, stderr


def _stop_group(process: subprocess.Popen[str]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.communicate(timeout=PG_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def _pg_backup(partial: Path) -> None:
    options = ["--format=custom", f"--exclude-table-data={DATA_KEY_TABLE}", f"--file={partial}"]
    _pg_run("pg_dump", options)


def _pg_restore(path: Path) -> int:
    _expect_header(path, PG_CUSTOM_HEADER, "a pg_dump custom-format backup")
    _pg_tool("pg_restore")
    keys = list(DataKey.objects.order_by("pk"))
    # One transaction: if pg_restore fails, the database is as it was, keys included. The keys
    # go back straight after (so restore with Interlude stopped).
    _pg_run(
        "pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)]
    )
    connection.close()  # the tables were dropped and made again: start a fresh session
    with transaction.atomic():
        DataKey.objects.all().delete()
        DataKey.objects.bulk_create(keys)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [DataKey]):
                cursor.execute(sql)
    return len(keys)


# --- the keys -----------------------------------------------------------------------------------


def backup_keys(path: Path) -> int:
    """Write every data key, wrapped by its master key, to PATH as JSON. Returns how many."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    keys = [
        {
            "owner_kind": row.owner_kind,
            "owner_id": row.owner_id,
            "master_key_id": row.master_key_id,
            "wrapped": base64.b64encode(bytes(row.wrapped)).decode("ascii"),
            "created_at": row.created_at.isoformat(),
            "destroyed_at": row.destroyed_at.isoformat() if row.destroyed_at else None,
        }
        for row in DataKey.objects.order_by("pk")
    ]
    document = {
        "format": KEY_FILE_FORMAT,
        "version": KEY_FILE_VERSION,
        "written_at": timezone.now().isoformat(),
        "keys": keys,
    }
    with _backup_run(), _private_file(path) as partial:
        partial.write_text(json.dumps(document, indent=1) + "\n")
    return len(keys)


def restore_keys(path: Path) -> KeyRestoreResult:
    """Add the data keys in the key backup at PATH that the database lacks.

    A key the database already has is kept as it is: above all, a key destroyed since the key
    backup stays destroyed (a deletion is never undone by restoring keys).
    """
    rows = _read_key_file(Path(path))
    configured = {master.key_id for master in master_keys()}
    result = KeyRestoreResult()
    with transaction.atomic():
        present = set(DataKey.objects.values_list("owner_kind", "owner_id"))
        missing = [row for row in rows if (row.owner_kind, row.owner_id) not in present]
        DataKey.objects.bulk_create(missing)
    result.added = len(missing)
    result.already_present = len(rows) - len(missing)
    result.unknown_master_keys = {
        row.master_key_id for row in missing if row.wrapped and row.master_key_id not in configured
    }
    forget_cached_keys()
    return result


def _read_key_file(path: Path) -> list[DataKey]:
    try:
        document = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} cannot be read as a key backup: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != KEY_FILE_FORMAT:
        raise BackupError(f"{path} is not an Interlude key backup.")
    if document.get("version") != KEY_FILE_VERSION:
        raise BackupError(f"{path} is a key backup of version {document.get('version')!r}.")
    rows = []
    for number, item in enumerate(document.get("keys", []), start=1):
        try:
            rows.append(_key_row(item))
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise BackupError(
                f"Key {number} in {path} is damaged ({exc}); nothing was restored."
            ) from exc
    return rows


def _key_row(item: dict[str, Any]) -> DataKey:
    if item["owner_kind"] not in DataKey.OwnerKind.values or not isinstance(item["owner_id"], int):
        raise ValueError("unknown owner")
    destroyed_at = datetime.fromisoformat(item["destroyed_at"]) if item["destroyed_at"] else None
    wrapped = base64.b64decode(item["wrapped"], validate=True)
    if (destroyed_at is None) != bool(wrapped):
        raise ValueError("a key must be either wrapped or destroyed")
    return DataKey(
        owner_kind=item["owner_kind"],
        owner_id=item["owner_id"],
        wrapped=wrapped,
        master_key_id=str(item["master_key_id"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        destroyed_at=destroyed_at,
    )
