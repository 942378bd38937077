"""Every write to the exercise library. Stored versions are never edited: assignments point at
the version they were given, so a change is always a new ExerciseVersion."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.exercises.access import latest_version
from interlude.exercises.content import (
    MAX_SLUG,
    VERSION_FIELDS,
    SyncResult,
    field_problems,
    sync_library,
)
from interlude.exercises.models import Exercise, ExerciseVersion
from interlude.lib.errors import UserFacingError
from interlude.practice.models import Membership, Practice

DENORMALISED = ("family", "suits", "intensity", "title")


class ExerciseError(UserFacingError):
    """An exercise write that cannot be done, said in plain words."""


def _known(fields: dict[str, Any]) -> None:
    """The fields of an exercise's text are declared once, in content.VERSION_FIELDS."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise ValueError(f"Not part of an exercise's text: {sorted(unknown)}")


@transaction.atomic
def library_sync() -> SyncResult:
    """Bring the built-in library in line with the content files: a new exercise for each new
    file, a new version for each file whose text changed and whose ``version`` was raised.
    Unchanged files write nothing. Raises LibraryVersionError if a file changed without a bump."""
    result = sync_library(exercise_model=Exercise, version_model=ExerciseVersion)
    for exercise, _ in result.created:
        audit_record(actor=None, action="exercise.library_add", target=exercise)
    for exercise, _ in result.updated:
        audit_record(actor=None, action="exercise.library_update", target=exercise)
    return result


def _practice_of(therapist: User) -> Practice:
    membership = Membership.objects.select_related("practice").filter(user=therapist).first()
    if membership is None or not membership.is_therapist or not therapist.is_therapist:
        raise ExerciseError("Only a therapist in a practice can have the practice's own exercises.")
    return membership.practice


def _check(values: dict[str, Any]) -> None:
    problems = field_problems(values)
    if problems:
        raise ExerciseError("This exercise cannot be saved: " + "; ".join(problems) + ".")


def _unique_slug(practice: Practice, title: str) -> str:
    base = slugify(title)[: MAX_SLUG - 4].strip("-") or "exercise"
    taken = set(
        Exercise.objects.filter(practice=practice, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create(
    *, practice: Practice, therapist: User, values: dict[str, Any], based_on: Exercise | None
) -> Exercise:
    exercise = Exercise(
        slug=_unique_slug(practice, values["title"]),
        practice=practice,
        based_on=based_on,
        created_by=therapist,
        latest_version=1,
        **{name: values[name] for name in DENORMALISED},
    )
    exercise.save()
    ExerciseVersion.objects.create(exercise=exercise, version=1, **values)
    return exercise


def _values_of(version: ExerciseVersion) -> dict[str, Any]:
    values = {name: getattr(version, name) for name in VERSION_FIELDS}
    for name in ("steps", "ratings_before", "ratings_after", "reflection_prompts"):
        values[name] = list(values[name])
    return values


@transaction.atomic
def exercise_copy(*, exercise: Exercise, therapist: User, title: str) -> Exercise:
    """A practice's own copy of EXERCISE (built in, or already the practice's), as version 1,
    remembering what it was based on. The original is untouched."""
    practice = _practice_of(therapist)
    if exercise.practice_id not in (None, practice.pk):
        raise ExerciseError("That exercise belongs to another practice.")
    values = _values_of(latest_version(exercise))
    values["title"] = title.strip() or values["title"]
    _check(values)
    copy = _create(practice=practice, therapist=therapist, values=values, based_on=exercise)
    audit_record(actor=therapist, action="exercise.copy", target=copy)
    return copy


@transaction.atomic
def exercise_write(*, therapist: User, based_on: Exercise | None = None, **fields: Any) -> Exercise:
    """A new exercise of the therapist's practice as version 1: written from scratch, or a
    customised copy of BASED_ON (built in, or the practice's own), saved only now."""
    practice = _practice_of(therapist)
    _known(fields)
    if based_on is not None and based_on.practice_id not in (None, practice.pk):
        raise ExerciseError("That exercise belongs to another practice.")
    values: dict[str, Any] = {
        "programme": "",
        "stage": None,
        "for_therapists": "",
        "ratings_before": [],
        "ratings_after": [],
        **fields,
    }
    _check(values)
    exercise = _create(practice=practice, therapist=therapist, values=values, based_on=based_on)
    action = "exercise.copy" if based_on is not None else "exercise.write"
    audit_record(actor=therapist, action=action, target=exercise)
    return exercise


@transaction.atomic
def exercise_update(*, exercise: Exercise, therapist: User, **fields: Any) -> ExerciseVersion:
    """Change a practice's own exercise by adding a new version; earlier versions stay exactly
    as they were. If nothing differs from the latest version, nothing is written and the latest
    version is returned."""
    practice = _practice_of(therapist)
    _known(fields)
    # Lock the row so two saves at once cannot both claim the same next version number.
    locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if locked.practice_id != practice.pk:
        raise ExerciseError("Only your practice's own exercises can be changed; copy it first.")
    latest = latest_version(locked)
    values = {**_values_of(latest), **fields}
    _check(values)
    if values == _values_of(latest):
        return latest
    version = ExerciseVersion.objects.create(exercise=locked, version=latest.version + 1, **values)
    for row in (locked, exercise):  # the caller's instance too, so it is not left stale
        for name in DENORMALISED:
            setattr(row, name, values[name])
        row.latest_version = version.version
    locked.save(update_fields=[*DENORMALISED, "latest_version"])
    audit_record(actor=therapist, action="exercise.update", target=locked)
    return version
