from __future__ import annotations

import cProfile
import io
import json
import pstats
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.prepare import Request, _client_for, send


class Command(BaseCommand):
    help = (
        "Profile one measured page in-process (cProfile, Django's test client) on the "
        "benchmark database, with the sessions of a plan written by bench_prepare."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="a plan written by bench_prepare")
        parser.add_argument("--page", default="therapist_client")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--sort", default="cumulative", help="pstats sort key")
        parser.add_argument("--limit", type=int, default=40)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INTERLUDE_BENCH:
            raise CommandError("bench_profile runs only with INTERLUDE_BENCH=1 (`make bench`).")
        plan = json.loads(Path(options["plan"]).read_text())
        requests = [Request(**r) for r in plan["pages"][options["page"]]]
        pairs = [(_client_for(r), r) for r in requests[: options["repeat"]]]
        for client, request in pairs:  # warm: as a running worker is
            send(client, request)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for client, request in pairs:
            response = send(client, request)
            if response.status_code != request.expect:
                raise CommandError(f"{request.path} answered {response.status_code}")
        profiler.disable()
        took = (time.perf_counter() - started) / len(pairs)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(options["sort"]).print_stats(options["limit"])
        self.stdout.write(out.getvalue())
        self.stdout.write(
            f"{options['page']}: {len(pairs)} requests, {1000 * took:.1f} ms each under the "
            "profiler (slower than served)"
        )
