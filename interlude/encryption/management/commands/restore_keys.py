from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interlude.encryption.backup import BackupError, restore_keys


class Command(BaseCommand):
    help = (
        "Add the data keys from the key backup at PATH that the database lacks (after restoring "
        "a database backup into an empty database, for example). Keys the database has are kept: "
        "a key destroyed since the key backup stays destroyed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = restore_keys(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Added {result.added} data keys from {path}; kept the {result.already_present} the "
            "database already had."
        )
        if result.unknown_master_keys:
            self.stderr.write(
                "Some added keys are wrapped by master keys that are not configured "
                f"({', '.join(sorted(result.unknown_master_keys))}): add those master keys to "
                "INTERLUDE_MASTER_KEYS (after the newest) to read them, then run "
                "rotate_master_key."
            )
