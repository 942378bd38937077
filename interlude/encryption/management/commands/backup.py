from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interlude.encryption.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH (SQLite online backup, or pg_dump's custom format). "
        "The backup never contains data keys, nor does anything it leaves in PATH's folder when "
        "it is stopped; the next run removes what a killed one left. Back the keys up with "
        "backup_keys and keep both apart from the master key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--overwrite", action="store_true", help="Replace PATH if a file is already there."
        )

    def handle(self, *args: Any, path: Path, overwrite: bool, **options: Any) -> None:
        if path.exists() and not overwrite:
            raise CommandError(f"{path} already exists; choose another path or add --overwrite.")
        try:
            backup_database(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up the database to {path} (no data keys in it).")
