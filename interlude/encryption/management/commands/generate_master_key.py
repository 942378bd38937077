from typing import Any

from django.core.management.base import BaseCommand

from interlude.lib.crypto import generate_key_text


class Command(BaseCommand):
    help = (
        "Print a new random master key (base64). Put it FIRST in INTERLUDE_MASTER_KEYS, then run "
        "rotate_master_key. Nothing is stored: keep the key safe, apart from the database and its "
        "backups."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key_text())
