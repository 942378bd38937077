from __future__ import annotations

from interlude.exercises.models import Exercise
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        Exercise,
        "Exercises written by therapists",
        rows=lambda u: Exercise.objects.filter(created_by=u),
        not_exported_because="library exercises written by therapists, not client data",
        kept_because="library exercises written by therapists, not client data",
    )
]
