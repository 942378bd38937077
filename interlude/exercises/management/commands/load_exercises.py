from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from interlude.exercises.actions import library_sync
from interlude.exercises.content import ContentError


class Command(BaseCommand):
    help = (
        "Load the built-in exercise library from interlude/exercises/content/. New files become "
        "exercises; a changed file needs a higher 'version' and becomes a new version; "
        "unchanged files are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = library_sync()
        except ContentError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
