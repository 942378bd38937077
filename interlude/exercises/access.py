"""The only way views obtain exercises. The library is for therapists; a row they may not see
is a 404."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.exercises.models import Exercise, ExerciseVersion, Suits
from interlude.practice.access import get_membership_for
from interlude.practice.models import Membership


def library_membership_for(user: User) -> Membership:
    """The membership of a therapist who may use the library (not a practice admin alone)."""
    membership = get_membership_for(user)
    if not user.is_therapist:
        raise Http404
    if not membership.is_therapist:
        raise Http404
    return membership


def library_for(user: User) -> QuerySet[Exercise]:
    """The built-in exercises plus the therapist's own practice's exercises."""
    membership = library_membership_for(user)
    return Exercise.objects.filter(Q(practice__isnull=True) | Q(practice_id=membership.practice_id))


def get_exercise_for(user: User, exercise_id: int) -> Exercise:
    """One exercise the therapist may read and copy: built in, or their practice's own."""
    try:
        return library_for(user).get(pk=exercise_id)
    except Exercise.DoesNotExist as exc:
        raise Http404 from exc


def get_own_exercise_for(user: User, exercise_id: int) -> Exercise:
    """One of the therapist's practice's own exercises, to edit. Built-ins are copied instead."""
    membership = library_membership_for(user)
    try:
        return Exercise.objects.get(pk=exercise_id, practice_id=membership.practice_id)
    except Exercise.DoesNotExist as exc:
        raise Http404 from exc


def latest_version(exercise: Exercise) -> ExerciseVersion:
    """The exercise's current text (the version new assignments get)."""
    return ExerciseVersion.objects.get(exercise=exercise, version=exercise.latest_version)


def programme_stages_for(user: User, exercise: Exercise) -> dict[int, ExerciseVersion]:
    """The stages of EXERCISE's programme from the same collection (built in, or the
    practice's own), latest versions only, by stage number; empty if it is not staged."""
    version = latest_version(exercise)
    if not version.programme:
        return {}
    candidates = (
        ExerciseVersion.objects.filter(
            exercise__in=library_for(user).filter(practice=exercise.practice),
            version=F("exercise__latest_version"),
            programme=version.programme,
            stage__isnull=False,
        )
        .select_related("exercise")
        .order_by("stage", "exercise_id")
    )
    stages: dict[int, ExerciseVersion] = {}
    for candidate in candidates:
        assert candidate.stage is not None
        stages.setdefault(candidate.stage, candidate)
    return stages


def library_versions_for(
    user: User, *, family: str = "", suits: str = "", intensity: str = ""
) -> list[ExerciseVersion]:
    """The latest version of each exercise in the therapist's library, filtered, in one query.
    Asking for "solo" or "couple" includes the exercises that suit either."""
    exercises = library_for(user)
    if family:
        exercises = exercises.filter(family=family)
    if suits in (Suits.SOLO, Suits.COUPLE):
        exercises = exercises.filter(suits__in=[suits, Suits.EITHER])
    elif suits:
        exercises = exercises.filter(suits=suits)
    if intensity:
        exercises = exercises.filter(intensity=intensity)
    return list(
        ExerciseVersion.objects.filter(
            exercise__in=exercises, version=F("exercise__latest_version")
        ).select_related("exercise")
    )


def personal_version_of(exercise: Exercise) -> Exercise | None:
    """The built-in exercise written for one person that matches EXERCISE (written for two),
    if there is one."""
    from interlude.exercises.tools import personal_version_slug

    slug = personal_version_slug(exercise)
    if slug is None:
        return None
    return Exercise.objects.filter(slug=slug, practice__isnull=True).first()
