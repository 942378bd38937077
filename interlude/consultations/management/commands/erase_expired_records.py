from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.formats import date_format

from interlude.consultations.actions import clinical_record_erase
from interlude.consultations.retention import expired_records


class Command(BaseCommand):
    help = (
        "Erase the clinical records (sessions and private notes) of former clients whose "
        "retention period has ended (CLINICAL_RECORD_YEARS, or the practice's own), and say what "
        "was erased. Run it daily, for example from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be erased, erase nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry = options["dry_run"]
        expired = expired_records()
        if not expired:
            self.stdout.write("No clinical record has reached the end of its retention period.")
            return
        for record in expired:
            ended = date_format(record.care_ended, "j F Y")
            who = f"client {record.profile.user_id} (record {record.profile.pk})"
            if dry:
                self.stdout.write(
                    f"Would erase the clinical record of {who}: care ended {ended}, "
                    f"kept {record.years} years."
                )
                continue
            sessions, notes = clinical_record_erase(profile=record.profile)
            self.stdout.write(
                f"Erased the clinical record of {who}: care ended {ended}, kept "
                f"{record.years} years; {sessions} session(s) and {notes} private note(s) "
                "removed, and the record's key destroyed."
            )
        verb = "would be erased" if dry else "erased"
        self.stdout.write(f"{len(expired)} record(s) {verb}.")
