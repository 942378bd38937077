from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.generate import generate_practice


class Command(BaseCommand):
    help = (
        "Fill an empty benchmark database with a synthetic practice (scale 1.0: 20 therapists, "
        "6,000 clients, ~1 million practice entries). Needs INTERLUDE_BENCH=1 or --i-know."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument(
            "--i-know",
            action="store_true",
            help="run without INTERLUDE_BENCH=1: I know this database is only for benchmarks",
        )
        parser.add_argument("--summary", help="also write the summary as JSON to this path")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("generate_practice never runs in production.")
        if not (settings.INTERLUDE_BENCH or options["i_know"]):
            raise CommandError(
                "generate_practice fills a database with thousands of synthetic people, so it "
                "runs only against a database of its own: set INTERLUDE_BENCH=1 and a "
                "DATABASE_URL for a benchmark database (`make bench` does both, under "
                "var/bench/), or pass --i-know."
            )
        database = settings.DATABASES["default"]
        self.stdout.write(
            f"Generating a practice at scale {options['scale']} (seed {options['seed']}) into "
            f"{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"
        )
        try:
            summary = generate_practice(
                seed=options["seed"], scale=options["scale"], progress=self._progress
            )
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Done in {summary.seconds:.1f} s: {summary.clients:,} clients, "
            f"{summary.assignments:,} assignments, {summary.entries:,} practice entries "
            f"({summary.reflections_written:,} with a reflection)."
        )
        if options["summary"]:
            with open(options["summary"], "w") as out:
                json.dump(summary.as_dict(), out, indent=2)

    def _progress(self, line: str) -> None:
        self.stdout.write(f"  {line}")
        self.stdout.flush()
