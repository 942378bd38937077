from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interlude.encryption.backup import BackupError, backup_keys


class Command(BaseCommand):
    help = (
        "Write every data key, still wrapped by the master key, to PATH (JSON). Keep it apart "
        "from the database backups and the master key, and only for a short time: a deleted "
        "client's writing can be read again from an older database backup while a key backup "
        "older than their deletion exists."
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
            count = backup_keys(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {count} wrapped data keys to {path}.")
