"""Staged programmes (sensate focus 1-5, a ladder of stages): which version is the stage
before or after, and who must feel ready. Reads only; the changes are in actions.py."""

from __future__ import annotations

import re

from django.db.models import F

from interlude.couples.models import CoupleMember
from interlude.exercises.models import ExerciseVersion
from interlude.homework.models import Assignment, StageReadiness

# "Sensate focus, stage 2: including breasts…" -> "including breasts…" (the choice says "Stage 2").
_TITLE_STAGE_PREFIX = re.compile(r"^[^:]*\bstage \d+:\s*", re.IGNORECASE)


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


def stage_label(number: int, version: ExerciseVersion) -> str:
    """ "Stage 2: including breasts, chest and genitals" (the title without its own prefix)."""
    rest = _TITLE_STAGE_PREFIX.sub("", version.title).strip()
    rest = rest[:1].upper() + rest[1:]
    return f"Stage {number}: {rest}" if rest else f"Stage {number}"


def stage_options(stages: dict[int, ExerciseVersion]) -> list[tuple[int, str]]:
    """Every stage of a programme, to start an assignment at."""
    return [(number, stage_label(number, v)) for number, v in sorted(stages.items())]


def adjust_stage_options(
    assignment: Assignment, stages: dict[int, ExerciseVersion]
) -> list[tuple[int, str]]:
    """The stages a therapist may move an assignment to: the one it is at and any before it.
    A more intimate stage opens only when everyone taking part has said they feel ready (so
    it is offered here then, for a therapist who held it); never on the therapist's word
    alone."""
    current = assignment.version.stage or 0
    options = [(n, label) for n, label in stage_options(stages) if n <= current]
    following = current + 1
    if following in stages:
        participants = set(stage_participants(assignment))
        ready = set(
            StageReadiness.objects.filter(assignment=assignment, stage=current).values_list(
                "client_id", flat=True
            )
        )
        if participants and participants <= ready:
            everyone = "they both" if len(participants) > 1 else "your client"
            label = stage_label(following, stages[following])
            options.append((following, f"{label} ({everyone} said they feel ready)"))
    return options
