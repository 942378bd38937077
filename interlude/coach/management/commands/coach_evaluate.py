from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interlude.coach.evaluate import DataError, evaluate, format_report, read_rows


class Command(BaseCommand):
    help = (
        "Run the I-statement coach over a JSON-lines file of labelled sentences "
        '({"text": "...", "blame": true|false, "pattern": optional}) and print precision, '
        "recall and F1, overall and per pattern."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="JSON-lines file, one sentence per line")
        parser.add_argument(
            "--mistakes",
            action="store_true",
            help="also list each sentence the coach judged differently from its label",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_rows(options["path"])
        except DataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_report(evaluate(rows), mistakes=options["mistakes"]))
