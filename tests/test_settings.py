"""Configuration: bad or missing settings stop start-up with a message that says how to fix it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 60
MASTER = "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="
# Variables a subprocess must not inherit from the test run (DJANGO_ALLOW_ASYNC_UNSAFE is set
# by the browser tests and would itself make `check --deploy` warn).
PREFIXES = (
    "INTERLUDE_",
    "SECRET_KEY",
    "DATABASE_URL",
    "DEBUG",
    "ALLOWED_HOSTS",
    "EMAIL_",
    "DJANGO_",
)


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    clean.setdefault("INTERLUDE_MASTER_KEYS", MASTER)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import interlude.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_starts_with_a_secret_key():
    assert load_settings(SECRET_KEY=GOOD_KEY).returncode == 0


def test_it_explains_a_missing_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and "make demo" in result.stderr


def test_it_reads_secrets_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(GOOD_KEY + "\n")
    assert load_settings(SECRET_KEY_FILE=str(key_file)).returncode == 0


def test_it_explains_an_unreadable_secret_file(tmp_path):
    result = load_settings(SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert "SECRET_KEY_FILE" in result.stderr and "cannot be read" in result.stderr


def test_it_rejects_an_unknown_environment():
    result = load_settings(SECRET_KEY=GOOD_KEY, INTERLUDE_ENV="staging")
    assert "INTERLUDE_ENV" in result.stderr and "production" in result.stderr


def test_it_rejects_a_database_url_for_another_engine():
    result = load_settings(SECRET_KEY=GOOD_KEY, DATABASE_URL="mysql://root@localhost/x")
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_it_requires_hosts_and_mail_in_production():
    result = load_settings(SECRET_KEY=GOOD_KEY, INTERLUDE_ENV="production")
    assert "ALLOWED_HOSTS is required" in result.stderr
    result = load_settings(
        SECRET_KEY=GOOD_KEY, INTERLUDE_ENV="production", ALLOWED_HOSTS="interlude.example.org"
    )
    assert "EMAIL_HOST is required" in result.stderr


def test_it_refuses_debug_in_production():
    result = load_settings(
        SECRET_KEY=GOOD_KEY, INTERLUDE_ENV="production", DEBUG="true", ALLOWED_HOSTS="x.org"
    )
    assert "DEBUG must be off" in result.stderr


def test_it_explains_a_bad_boolean():
    result = load_settings(SECRET_KEY=GOOD_KEY, DEBUG="perhaps")
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite pragmas apply only to the embedded database"
)
def test_it_sets_sqlite_pragmas_on_a_fresh_connection(tmp_path, db):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    config = {**settings.DATABASES["default"], "NAME": str(tmp_path / "fresh.sqlite3")}
    wrapper = DatabaseWrapper(config, alias="pragma-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_it_explains_a_missing_master_key():
    result = load_settings(SECRET_KEY=GOOD_KEY, INTERLUDE_MASTER_KEYS="")
    assert "INTERLUDE_MASTER_KEYS is missing" in result.stderr


def test_it_fails_start_up_on_an_unsafe_production_configuration(tmp_path):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "INTERLUDE_ENV": "production",
        "ALLOWED_HOSTS": "interlude.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "SITE_URL": "https://interlude.example.org",
        "INTERLUDE_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    def run(**extra):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
        clean.update(env)
        clean.update(extra)
        return subprocess.run(manage, cwd=ROOT, env=clean, capture_output=True, text=True)

    good = run(INTERLUDE_MASTER_KEYS=MASTER)
    assert good.returncode == 0, good.stderr
    no_site = run(INTERLUDE_MASTER_KEYS=MASTER, SITE_URL="http://interlude.example.org")
    assert no_site.returncode != 0 and "SITE_URL" in no_site.stderr
    bad_key = run(INTERLUDE_MASTER_KEYS="bm90LWEta2V5")
    assert bad_key.returncode != 0 and "interlude.E001" in bad_key.stderr
    demo = run(INTERLUDE_MASTER_KEYS=MASTER, INTERLUDE_DEMO_MODE="true")
    assert demo.returncode != 0 and "interlude.E002" in demo.stderr


# --- Serving: each gunicorn is its own, at an address where passkeys work -------------------


def demo_gunicorn_args() -> list[str]:
    """The words of bin/demo's gunicorn command, joined across continued lines."""
    script = (ROOT / "bin" / "demo").read_text().replace("\\\n", " ")
    lines = [line for line in script.splitlines() if line.lstrip().startswith('"$BIN/gunicorn"')]
    assert len(lines) == 1, lines
    return lines[0].split()


def test_the_demo_serves_and_prints_localhost():
    # Browsers refuse passkeys and security keys on an IP address such as 127.0.0.1.
    args = demo_gunicorn_args()
    assert args[args.index("--bind") + 1] == "localhost:8000"
    script = (ROOT / "bin" / "demo").read_text()
    assert "http://localhost:8000" in script and "http://127.0.0.1" not in script
    assert "localhost" in settings.ALLOWED_HOSTS


def test_the_demo_opens_no_shared_control_socket():
    assert "--no-control-socket" in demo_gunicorn_args()


def test_the_benchmark_server_opens_no_shared_control_socket(monkeypatch):
    from bench import driver

    started: list[list[str]] = []

    class Stopped:
        def __init__(self, args: list[str], **kwargs: object) -> None:
            started.append(args)

        def poll(self) -> int:
            return 1

    monkeypatch.setattr(driver.subprocess, "Popen", Stopped)
    with pytest.raises(driver.BenchError):
        driver.Server({}, "control-socket-check")
    assert "--no-control-socket" in started[0]
