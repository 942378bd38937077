"""Shared by the check-in and coach tests and their permission-matrix parts."""

from __future__ import annotations

from typing import Any

from interlude.exercises.models import Exercise


def latest_version(slug: str) -> Any:
    """The current version of a built-in exercise (the library is loaded by a migration)."""
    exercise = Exercise.objects.get(slug=slug, practice__isnull=True)
    return exercise.versions.get(version=exercise.latest_version)
