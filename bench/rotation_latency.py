"""How long a web request's write waits while rotate_master_key runs on SQLite.

Makes a throwaway SQLite file (WAL and the other PRAGMAs of interlude/settings.py, through
Interlude's own settings) holding --keys data keys under master key A. A writer process then does
short IMMEDIATE write transactions through Django, as a web request does, --gap seconds apart,
and records how long each one took from BEGIN to the end of COMMIT, and how much of that it
waited for the write lock (the rest is its own work and COMMIT, with its fsync and at times a WAL
checkpoint). Meanwhile another process runs `manage.py rotate_master_key` from A to B. Prints the
median and worst write latency before and during the rotation, every write that failed, and the
machine.

    INTERLUDE_ENV=test .venv/bin/python bench/rotation_latency.py
    INTERLUDE_ENV=test .venv/bin/python bench/rotation_latency.py --keys 2000 \
        --rotate-args="--batch-size 50"

Not part of the product or of the test suite; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITES_TABLE = "bench_web_write"


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
        INTERLUDE_VAR_DIR=str(var_dir),
        INTERLUDE_MASTER_KEYS=master_keys,
        PYTHONUNBUFFERED="1",
    )
    return env


# --- the pieces that run in child processes -------------------------------------------------------


def make_database(count: int) -> None:
    """Migrate the database named by DATABASE_URL and fill it with COUNT data keys."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from interlude.encryption.keys import _aad, master_keys
    from interlude.encryption.models import DataKey
    from interlude.lib.crypto import new_data_key, wrap_key

    call_command("migrate", verbosity=0)
    master = master_keys()[0]
    kind = DataKey.OwnerKind.USER
    DataKey.objects.bulk_create(
        (
            DataKey(
                owner_kind=kind,
                owner_id=owner_id,
                wrapped=wrap_key(master, new_data_key(), _aad(kind, owner_id)),
                master_key_id=master.key_id,
            )
            for owner_id in range(1, count + 1)
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {WRITES_TABLE} (id INTEGER PRIMARY KEY, at REAL, payload TEXT)"
        )


def write_until_stopped(stop: Path, gap: float) -> None:
    """Short write transactions through Django until STOP exists; prints one JSON document."""
    import django

    django.setup()
    from django.db import OperationalError, connection, transaction

    payload = "x" * 300  # about one small encrypted field
    writes = []
    print("ready", flush=True)
    while not stop.exists():
        started = time.monotonic()
        locked = None
        error = None
        try:
            # IMMEDIATE (settings.py): BEGIN returns once this connection has the write lock.
            with transaction.atomic():
                locked = time.monotonic()
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {WRITES_TABLE} (at, payload) VALUES (%s, %s)",  # noqa: S608
                        [started, payload],
                    )
        except OperationalError as exc:
            error = str(exc)
        ended = time.monotonic()
        writes.append((started, ended - started, (locked or ended) - started, error))
        time.sleep(gap)
    print(json.dumps(writes))


# --- the orchestration ------------------------------------------------------------------------


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no writes"
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (
        f"{len(ms)} writes, median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, "
        f"worst {ms[-1]:.1f} ms"
    )


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def run(args: argparse.Namespace) -> None:
    from interlude.lib.crypto import generate_key_text

    key_a, key_b = generate_key_text(), generate_key_text()
    work = Path(tempfile.mkdtemp(prefix="interlude-rotation-bench-"))
    database = work / "bench.sqlite3"
    me = [sys.executable, str(Path(__file__).resolve())]
    try:
        print(f"Making {args.keys} data keys in {database} ...", flush=True)
        subprocess.run(  # noqa: S603 - this script
            [*me, "--make-database", str(args.keys)],
            cwd=ROOT,
            env=child_env(database, work, key_a),
            check=True,
        )
        stop = work / "stop"
        writer = subprocess.Popen(  # noqa: S603 - this script
            [*me, "--write-until", str(stop), "--gap", str(args.gap)],
            cwd=ROOT,
            env=child_env(database, work, key_a),
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
        time.sleep(args.baseline)
        rotate = [sys.executable, "manage.py", "rotate_master_key", *shlex.split(args.rotate_args)]
        print(f"Rotating: {' '.join(rotate[1:])}", flush=True)
        began = time.monotonic()
        rotation = subprocess.run(  # noqa: S603 - manage.py
            rotate,
            cwd=ROOT,
            env=child_env(database, work, f"{key_b},{key_a}"),
            capture_output=True,
            text=True,
        )
        ended = time.monotonic()
        time.sleep(0.5)
        stop.touch()
        out, _ = writer.communicate(timeout=60)
        writes = json.loads(out.splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    before = [total for at, total, _, error in writes if at + total < began and not error]
    during = [write for write in writes if write[0] < ended and write[0] + write[1] > began]
    failed = [error for *_, error in during if error]
    last_line = (rotation.stdout.strip().splitlines() or [""])[-1]
    print(f"Machine: {machine()}")
    print(f"Rotation: exit {rotation.returncode} after {ended - began:.1f} s; {last_line}")
    if rotation.returncode:
        print(rotation.stderr.strip()[-2000:])
    print(f"Writes before the rotation: {summary(before)}")
    print(f"Writes during the rotation: {summary([w[1] for w in during if not w[3]])}")
    print(f"  of which waiting for the write lock: {summary([w[2] for w in during if not w[3]])}")
    print(f"Writes that failed during the rotation: {len(failed)}")
    for error in sorted(set(failed)):
        print(f"  {failed.count(error)} x {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=20_000, help="data keys to rotate")
    parser.add_argument("--gap", type=float, default=0.01, help="seconds between writes")
    parser.add_argument(
        "--baseline", type=float, default=2.0, help="seconds of writes before rotating"
    )
    parser.add_argument(
        "--rotate-args", default="", help='options for rotate_master_key, e.g. "--batch-size 100"'
    )
    parser.add_argument("--make-database", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--write-until", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.make_database is not None:
        make_database(args.make_database)
    elif args.write_until is not None:
        write_until_stopped(args.write_until, args.gap)
    else:
        run(args)


if __name__ == "__main__":
    main()
