from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from interlude.encryption.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup at PATH, keeping the data keys the database "
        "has now (so anything crypto-shredded since the backup stays unreadable). Stop Interlude "
        "first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: everything written since is lost."
        )

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        if not yes:
            raise CommandError(
                f"Restoring replaces everything in the database {connection.settings_dict['NAME']}"
                f" with the contents of {path}: whatever was written since that backup is lost "
                "(the current data keys are kept). Stop Interlude, take a backup of the database "
                "as it is now, then run this again with --yes."
            )
        try:
            result = restore_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the database from {path}; kept the {result.data_keys_kept} current data "
            "keys."
        )
        if result.deleted_accounts_back:
            ids = ", ".join(str(pk) for pk in result.deleted_accounts_back)
            self.stderr.write(
                f"{len(result.deleted_accounts_back)} account(s) deleted after this backup was "
                f"taken came back (user ids {ids}). What they wrote stays unreadable, but their "
                "account details are back: delete these accounts again."
            )
