"""`make bench`: Interlude's pages measured against the framework's own floor, in the same run.

For each scale (default 0.1 and 1.0) it makes or reuses a generated practice in a database of
its own (SQLite under var/bench/, or a database beside DATABASE_URL's on the same PostgreSQL
server), signs in a sample of its people, serves Interlude with gunicorn as in production
(DEBUG off, 2 workers) and drives each page with wrk from a separate process on 127.0.0.1.
Pages are measured in interleaved rounds, so a drift of the machine touches all of them alike;
the medians of the rounds are reported. Everything it starts, it stops.

Run it as `make bench`, or `.venv/bin/python -m bench.driver --help`.
No Django import here: this process only orchestrates.
"""

# This module runs only our own commands (manage.py, gunicorn, wrk, apt-get) with our own
# arguments: ruff's subprocess checks are about untrusted input.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "wrk" / "plan.lua"
# Bump when the generator's output changes, so older generated databases are made again.
GENERATOR_VERSION = 2

TARGET_RATIO = 0.30
TARGET_P99_MS = 50.0
TARGET_CHANGE = 0.20


class BenchError(Exception):
    pass


def say(line: str = "") -> None:
    print(line, flush=True)


# --- set-up ---------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("wrk is missing: installing Debian's wrk package (apt-get install wrk)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
            subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        raise BenchError("make bench needs wrk: sudo apt-get install wrk")
    return found


def ensure_secrets() -> str:
    """The benchmark's own secret key and master key, kept under var/bench/. Returns the
    master key's fingerprint: data generated under another key is made again."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    BENCH_DIR.chmod(0o700)
    secret, master = BENCH_DIR / "secret_key", BENCH_DIR / "master_keys"
    old = os.umask(0o077)
    try:
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(64) + "\n")
        if not master.exists():
            master.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode() + "\n")
    finally:
        os.umask(old)
    return hashlib.sha256(master.read_bytes()).hexdigest()[:16]


@dataclass
class Database:
    url: str
    label: str  # for people: where the data lives
    engine: str  # "sqlite" or "postgresql"
    name: str

    def exists(self) -> bool:
        if self.engine == "sqlite":
            return Path(self.name).exists()
        with _pg_admin(self.url) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return row.fetchone() is not None

    def drop(self) -> None:
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        with _pg_admin(self.url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')


def _pg_admin(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def database_for(label: str) -> Database:
    """SQLite under var/bench/ by default. With DATABASE_URL=postgres://..., a database of the
    benchmark's own on that server, named after DATABASE_URL's: the configured database itself
    is never filled with synthetic people."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(configured)
        name = f"{parts.path.lstrip('/') or 'interlude'}_bench_{label}".replace(".", "_")
        name = re.sub(r"[^a-z0-9_]", "_", name.lower())[:63]
        url = urlunsplit(parts._replace(path=f"/{name}"))
        return Database(url, f"PostgreSQL database {name}", "postgresql", name)
    path = BENCH_DIR / f"practice-{label}.sqlite3"
    return Database(f"sqlite:///{path}", f"SQLite {path.relative_to(ROOT)}", "sqlite", str(path))


def django_env(database: Database) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "INTERLUDE_MASTER_KEYS", "DATABASE_URL", "DEBUG")
    }
    env.update(
        INTERLUDE_ENV="demo",
        INTERLUDE_BENCH="1",
        DEBUG="false",
        INTERLUDE_VAR_DIR=str(BENCH_DIR),
        SECRET_KEY_FILE=str(BENCH_DIR / "secret_key"),
        INTERLUDE_MASTER_KEYS_FILE=str(BENCH_DIR / "master_keys"),
        DATABASE_URL=database.url,
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def ensure_dataset(scale: float, seed: int, key: str) -> tuple[Database, dict[str, Any]]:
    label = f"seed{seed}-scale{scale:g}"
    database = database_for(label)
    env = django_env(database)
    meta_path = BENCH_DIR / f"practice-{label}-{database.engine}.json"
    wanted = {
        "seed": seed,
        "scale": scale,
        "generator": GENERATOR_VERSION,
        "master_key": key,
        "database": database.name,
    }
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if meta.get("dataset") == wanted and database.exists():
        say(f"Reusing the practice at scale {scale:g} (seed {seed}) in {database.label}")
        manage(env, "migrate", "--noinput", "-v", "0")
        return database, {**meta["summary"], "reused": True}
    say(f"Generating a practice at scale {scale:g} (seed {seed}) in {database.label}")
    meta_path.unlink(missing_ok=True)
    database.drop()
    manage(env, "migrate", "--noinput", "-v", "0")
    summary_path = BENCH_DIR / f"summary-{label}.json"
    manage(
        env, "generate_practice", "--seed", str(seed), "--scale", str(scale),
        "--summary", str(summary_path),
    )  # fmt: skip
    summary = json.loads(summary_path.read_text())
    summary_path.unlink()
    meta_path.write_text(json.dumps({"dataset": wanted, "summary": summary}, indent=1))
    return database, {**summary, "reused": False}


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn as `make demo` and production run it: 2 sync workers, DEBUG off."""

    def __init__(self, env: dict[str, str], label: str) -> None:
        self.port = free_port()
        self.log = BENCH_DIR / f"gunicorn-{label}.log"
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"), "interlude.wsgi",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", "2",
                "--log-level", "warning",
                "--error-logfile", str(self.log),
                # No control socket: its default path in the home directory is shared by
                # every gunicorn on the machine (the demo, another benchmark run).
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: stopped whole, by its id
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn stopped at start; see {self.log}")
            try:
                status, _, _ = fetch(self.port, "GET", "/bench/floor/")
                if status == 200:
                    return
                raise BenchError(f"/bench/floor/ answered {status}; is INTERLUDE_BENCH on?")
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise BenchError(f"gunicorn did not answer in 60 s; see {self.log}") from exc
                time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers."""
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(p) for p in children.split()]
        except OSError:
            pass
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def fetch(
    port: int, method: str, path: str, cookie: str = "", body: str = ""
) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body.encode() if body else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        conn.close()


def check_pages(port: int, plan: dict[str, Any]) -> int:
    """Every request of the plan, once, against the running server: each must answer as a
    signed-in person's would (200, or a redirect home after saving), or nothing is measured."""
    checked = 0
    for page, requests in plan["pages"].items():
        for r in requests:
            status, location, _ = fetch(port, r["method"], r["path"], r["cookie"], r["body"])
            if status != r["expect"] or (r["expect"] == 302 and location != "/"):
                raise BenchError(
                    f"{page}: {r['method']} {r['path']} answered {status} {location}, "
                    f"expected {r['expect']}; the sessions are not treated as signed in."
                )
            checked += 1
    return checked


# --- measuring ------------------------------------------------------------------------------


def write_requests(plan: dict[str, Any], label: str) -> dict[str, Path]:
    files = {}
    for page, requests in plan["pages"].items():
        path = BENCH_DIR / f"requests-{label}-{page}.tsv"
        old = os.umask(0o077)
        try:
            path.write_text(
                "".join(
                    f"{r['method']}\t{r['path']}\t{r['cookie']}\t{r['body']}\n" for r in requests
                )
            )
        finally:
            os.umask(old)
        files[page] = path
    return files


def run_wrk(
    wrk: str, server: Server, requests: Path, seconds: float, connections: int, threads: int
) -> dict[str, Any]:
    env = {**os.environ, "BENCH_REQUESTS": str(requests)}
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_server = server.cpu_seconds()
    started = time.monotonic()
    done = subprocess.run(
        [
            wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
            "-s", str(LUA), f"http://127.0.0.1:{server.port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )  # fmt: skip
    wall = time.monotonic() - started
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = server.cpu_seconds() - before_server
    found = re.search(r"^BENCH_RESULT (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not found:
        raise BenchError(f"wrk failed: {done.stdout}\n{done.stderr}")
    raw = json.loads(found.group(1))
    wrk_cpu = (after_children.ru_utime - before_children.ru_utime) + (
        after_children.ru_stime - before_children.ru_stime
    )
    count = raw["requests"]
    seconds_run = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    return {
        "requests": count,
        "requests_per_s": round(count / seconds_run, 1),
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "mean_ms": round(latency["mean"] / 1000, 3),
        "max_ms": latency["max"] / 1000,
        "errors": sum(raw["errors"].values()),
        "error_kinds": {k: v for k, v in raw["errors"].items() if v},
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(count, 1), 3),
        "server_cpu_percent": round(100 * server_cpu / wall, 1),
        "wrk_cpu_percent": round(100 * wrk_cpu / wall, 1),
    }


def median_of(rounds: list[dict[str, Any]], key: str) -> float:
    return float(round(statistics.median(r[key] for r in rounds), 3))


def measure(
    label: str, database: Database, plan_args: argparse.Namespace, wrk: str
) -> dict[str, Any]:
    env = django_env(database)
    manage(env, "collectstatic", "--noinput", "-v", "0")  # DEBUG off: hashed names, whitenoise
    plan_path = BENCH_DIR / f"plan-{label}.json"
    manage(
        env, "bench_prepare", "--out", str(plan_path), "--seed", str(plan_args.seed),
        "--users", str(plan_args.users),
    )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    pages = [p for p in plan["pages"] if not plan_args.pages or p in plan_args.pages]
    files = write_requests(plan, label)
    server = Server(env, label)
    try:
        checked = check_pages(server.port, plan)
        say(f"Checked {checked} requests: each answers as signed in. Warming up...")
        for page in pages:
            run_wrk(wrk, server, files[page], 1, plan_args.connections, plan_args.threads)
        rounds: dict[str, list[dict[str, Any]]] = {p: [] for p in pages}
        for number in range(1, plan_args.rounds + 1):
            say(f"  round {number}/{plan_args.rounds}: " + ", ".join(pages))
            for page in pages:
                rounds[page].append(
                    run_wrk(
                        wrk,
                        server,
                        files[page],
                        plan_args.seconds,
                        plan_args.connections,
                        plan_args.threads,
                    )  # fmt: skip
                )
    finally:
        server.stop()
    results: dict[str, Any] = {}
    for page in pages:
        got = rounds[page]
        results[page] = {
            "method": plan["pages"][page][0]["method"],
            "example_path": plan["pages"][page][0]["path"],
            "distinct_requests": len(plan["pages"][page]),
            "requests_per_s": median_of(got, "requests_per_s"),
            "p50_ms": median_of(got, "p50_ms"),
            "p90_ms": median_of(got, "p90_ms"),
            "p99_ms": median_of(got, "p99_ms"),
            "server_cpu_ms_per_request": median_of(got, "server_cpu_ms_per_request"),
            "wrk_cpu_percent": median_of(got, "wrk_cpu_percent"),
            "queries": plan["queries"][page],
            "errors": sum(r["errors"] for r in got),
            "rounds": got,
        }
    floor = results.get("floor", {}).get("requests_per_s")
    for values in results.values():
        values["ratio_to_floor"] = round(values["requests_per_s"] / floor, 3) if floor else None
    return {"users": plan["users"], "pages": results}


# --- reporting ------------------------------------------------------------------------------


def table(scale: float, pages: dict[str, Any]) -> None:
    say()
    say(f"Scale {scale:g}: medians of the rounds")
    say(
        f"  {'page':<17} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} "
        f"{'x floor':>8} {'cpu ms/req':>10} {'errors':>7} {'wrk cpu':>8}"
    )
    for name, v in pages.items():
        q = v["queries"]
        queries = f"{q['median']:g}" if q["min"] == q["max"] else f"{q['min']}-{q['max']}"
        ratio = f"{v['ratio_to_floor']:.2f}" if v["ratio_to_floor"] is not None else "-"
        say(
            f"  {name:<17} {v['requests_per_s']:>8.0f} {v['p50_ms']:>8.1f} {v['p99_ms']:>8.1f} "
            f"{queries:>8} {ratio:>8} {v['server_cpu_ms_per_request']:>10.2f} "
            f"{v['errors']:>7} {v['wrk_cpu_percent']:>7.0f}%"
        )


def change(small: float, large: float) -> float:
    return round((large - small) / small, 3) if small else 0.0


def compare_queries(small: dict[str, int], large: dict[str, int]) -> dict[str, Any]:
    """Queries of the same kind of request (whose page; which exercise, for the practice page)
    at both scales: the counts must not depend on how much data there is."""
    both = sorted(set(small) & set(large))
    differ = {k: [small[k], large[k]] for k in both if small[k] != large[k]}
    return {"queries_equal": bool(both) and not differ, "compared": both, "differ": differ}


def scaling(runs: list[dict[str, Any]]) -> dict[str, Any]:
    small, large = runs[0], runs[-1]
    report: dict[str, Any] = {"from_scale": small["scale"], "to_scale": large["scale"]}
    pages = {}
    for name, a in small["pages"].items():
        b = large["pages"].get(name)
        if b is None:
            continue
        pages[name] = {
            "p50_change": change(a["p50_ms"], b["p50_ms"]),
            "requests_per_s_change": change(a["requests_per_s"], b["requests_per_s"]),
            "server_cpu_per_request_change": change(
                a["server_cpu_ms_per_request"], b["server_cpu_ms_per_request"]
            ),
            "ratio_to_floor_change": change(a["ratio_to_floor"] or 0, b["ratio_to_floor"] or 0),
            **compare_queries(a["queries"]["by_kind"], b["queries"]["by_kind"]),
            "queries": [a["queries"]["median"], b["queries"]["median"]],
        }
    report["pages"] = pages
    return report


def targets(runs: list[dict[str, Any]], scaled: dict[str, Any] | None) -> dict[str, Any]:
    largest = runs[-1]["pages"]
    measured = [p for p in largest if not p.startswith("floor")]
    out: dict[str, Any] = {
        "ratio_to_floor_at_least_0_30": {
            p: largest[p]["ratio_to_floor"] is not None
            and largest[p]["ratio_to_floor"] >= TARGET_RATIO
            for p in measured
        },
        "p99_at_most_50_ms": {p: largest[p]["p99_ms"] <= TARGET_P99_MS for p in measured},
    }
    if scaled:
        out["queries_constant"] = {p: scaled["pages"][p]["queries_equal"] for p in measured}
        out["page_time_change_at_most_20_percent"] = {
            p: abs(scaled["pages"][p]["p50_change"]) <= TARGET_CHANGE for p in measured
        }
    return out


def machine(database: Database) -> dict[str, Any]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    system = platform.platform()
    try:
        release = Path("/etc/os-release").read_text()
        found = re.search(r'^PRETTY_NAME="?([^"\n]*)', release, re.M)
        system = found.group(1) if found else system
    except OSError:
        pass
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    info = {
        "cpus": os.cpu_count(),
        "memory": memory,
        "os": system,
        "python": platform.python_version(),
        "database": database.engine,
        "wrk": (wrk.stdout + wrk.stderr).splitlines()[0] if (wrk.stdout + wrk.stderr) else "",
    }
    if database.engine == "sqlite":
        info["sqlite"] = f"{sqlite3.sqlite_version} (WAL, synchronous=FULL)"
    else:
        import psycopg

        with psycopg.connect(database.url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            info["postgresql"] = row[0] if row else ""
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="0.1,1", help="comma-separated (default 0.1,1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=5, help="per page per round (5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    parser.add_argument("--users", type=int, default=48, help="clients signed in (48)")
    parser.add_argument("--pages", type=lambda s: s.split(","), default=None)
    parser.add_argument("--out", default="var/bench/results.json")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")]

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)  # runs the finally blocks: gunicorn is stopped

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    started = datetime.now(UTC)
    try:
        wrk = ensure_wrk()
        key = ensure_secrets()
        runs = []
        database = None
        for scale in scales:
            database, dataset = ensure_dataset(scale, args.seed, key)
            label = f"seed{args.seed}-scale{scale:g}"
            say(f"Measuring scale {scale:g}: {args.rounds} rounds of {args.seconds:g} s a page")
            measured = measure(label, database, args, wrk)
            runs.append({"scale": scale, "seed": args.seed, "dataset": dataset, **measured})
            table(scale, measured["pages"])
    except (BenchError, subprocess.CalledProcessError) as exc:
        say(f"make bench FAILED: {exc}")
        return 1
    assert database is not None
    scaled = scaling(runs) if len(runs) > 1 else None
    result = {
        "format": 1,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(database),
        "load": {
            "generator": "wrk",
            "connections": args.connections,
            "threads": args.threads,
            "rounds": args.rounds,
            "seconds_per_round": args.seconds,
            "server": "gunicorn, 2 sync workers, DEBUG off",
        },
        "runs": runs,
        "scaling": scaled,
        "targets": targets(runs, scaled),
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    report(result)
    say(f"\nWrote {args.out}")
    return 0


def report(result: dict[str, Any]) -> None:
    scaled = result["scaling"]
    if scaled:
        say()
        say(f"Scaling, {scaled['from_scale']:g} -> {scaled['to_scale']:g} (10x the practice):")
        for name, s in scaled["pages"].items():
            queries = (
                f"queries equal for {len(s['compared'])} kinds of request"
                if s["queries_equal"]
                else f"QUERIES DIFFER: {s['differ'] or 'nothing comparable'}"
            )
            say(
                f"  {name:<17} p50 {s['p50_change']:+.0%}, req/s "
                f"{s['requests_per_s_change']:+.0%}, cpu/request "
                f"{s['server_cpu_per_request_change']:+.0%}; {queries}"
            )
    say()
    say("Targets (at the largest scale):")
    for target, pages in result["targets"].items():
        short = [p for p, ok in pages.items() if not ok]
        state = "met" if not short else f"NOT met by {', '.join(short)}"
        say(f"  {target.replace('_', ' ')}: {state}")


if __name__ == "__main__":
    sys.exit(main())
