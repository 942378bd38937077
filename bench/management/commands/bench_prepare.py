from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.prepare import build_plan, count_queries


class Command(BaseCommand):
    help = (
        "Sign in a sample of the generated practice (sessions written to the session store) "
        "and write the requests `make bench` sends, with each page's queries per request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="where to write the plan (JSON)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--users", type=int, default=48, help="clients to sign in")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INTERLUDE_BENCH:
            raise CommandError(
                "bench_prepare creates signed-in sessions for synthetic people; it runs only "
                "with INTERLUDE_BENCH=1 on a generated benchmark database (`make bench`)."
            )
        plan = build_plan(seed=options["seed"], users=options["users"])
        count_queries(plan)
        out = Path(options["out"])
        out.write_text(
            json.dumps(
                {
                    "users": plan.users,
                    "queries": plan.queries,
                    "pages": {
                        name: [r.as_dict() for r in requests]
                        for name, requests in plan.pages.items()
                    },
                },
                indent=1,
            )
        )
        out.chmod(0o600)  # session keys
        summary = ", ".join(f"{k} {v['median']:g}" for k, v in plan.queries.items())
        self.stdout.write(
            f"Signed in {plan.users['clients']} clients and {plan.users['therapists']} "
            f"therapists; queries per request: {summary}"
        )
