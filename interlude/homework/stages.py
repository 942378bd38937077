"""Staged programmes (sensate focus 1-5, a ladder of stages): which version is the stage
before or after, and who must feel ready. Reads only; the changes are in actions.py."""

from __future__ import annotations

from django.db.models import F

from interlude.couples.models import CoupleMember
from interlude.exercises.models import ExerciseVersion
from interlude.homework.models import Assignment


def programme_stages(version: ExerciseVersion) -> dict[int, ExerciseVersion]:
    """Every stage of VERSION's programme in the same collection (built in, or the same
    practice's own), latest text of each, by stage number; empty when it is not staged."""
    if not version.programme or not version.stage:
        return {}
    candidates = (
        ExerciseVersion.objects.filter(
            programme=version.programme,
            stage__isnull=False,
            exercise__practice=version.exercise.practice,
            version=F("exercise__latest_version"),
        )
        .select_related("exercise")
        .order_by("stage", "exercise_id")
    )
    stages: dict[int, ExerciseVersion] = {}
    for candidate in candidates:
        assert candidate.stage is not None
        stages.setdefault(candidate.stage, candidate)
    return stages


def next_stage_version(version: ExerciseVersion) -> ExerciseVersion | None:
    """The latest version of the next stage in the same programme and collection, if any."""
    if not version.stage:
        return None
    return programme_stages(version).get(version.stage + 1)


def previous_stage_version(version: ExerciseVersion) -> ExerciseVersion | None:
    """The latest version of the stage before, if any."""
    if not version.stage or version.stage <= 1:
        return None
    return programme_stages(version).get(version.stage - 1)


def stage_participants(assignment: Assignment) -> list[int]:
    """Who must feel ready: the client, or each partner taking part in the couple case (a
    partner who is not taking part never holds a stage back)."""
    if assignment.client_id:
        return [assignment.client_id]
    return [
        client_id
        for client_id in CoupleMember.objects.filter(
            couple_id=assignment.couple_id,
            status=CoupleMember.Status.ACTIVE,
            consented_at__isnull=False,
            client__isnull=False,
        ).values_list("client_id", flat=True)
        if client_id is not None
    ]
