"""Run the reminders scheduler: every few seconds, make the reminders now due and queue them for
the background worker (`manage.py db_worker`), which sends them. See interlude/reminders/
delivery.py for why this is a loop and what each pass does; running two at once is safe."""

from __future__ import annotations

import os
import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from interlude.reminders.delivery import scheduler_tick


class Command(BaseCommand):
    help = "Make due reminders and queue them for the worker, every --interval seconds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="one pass, then stop")
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one ends (for bin/demo)",
        )

    def handle(
        self, *args: Any, interval: float, once: bool, exit_with_parent: bool, **options: Any
    ) -> None:
        self.running = True
        parent = os.getppid()

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Reminders scheduler: a pass every {interval:g} seconds.")
        while self.running:
            _fresh_connection()
            try:
                tick = scheduler_tick()
            except Exception as exc:  # noqa: BLE001 - a busy or restarting database: next pass
                self.stderr.write(
                    f"Reminders scheduler: this pass stopped ({type(exc).__name__}); trying again."
                )
            else:
                if tick:
                    self.stdout.write(f"Reminders scheduler: {tick}")
            if once:
                break
            waited = 0.0
            while self.running and waited < interval:
                time.sleep(min(1.0, interval - waited))
                waited += 1.0
                if exit_with_parent and os.getppid() != parent:
                    self.running = False
        _fresh_connection()


def _fresh_connection() -> None:
    """Drop a connection the database closed or that is too old, between passes (a restarted
    database must not stop the scheduler). Never inside a transaction: called from a test, the
    test's own transaction is the connection."""
    if not connection.in_atomic_block:
        close_old_connections()
