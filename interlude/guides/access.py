"""The only way guide views obtain assignments, defaults and uses. A row the person may not see
is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.exercises.models import Exercise
from interlude.guides.models import GuideDefault, GuideKind, GuideUse
from interlude.homework.access import (
    assignments_of_client_for_therapist,
    get_assignment_for_client,
    get_assignment_for_therapist,
)
from interlude.homework.models import Assignment
from interlude.sharing.person import Person

# The built-in exercises that open a guide, and which guide.
GUIDES = {"body-scan": GuideKind.BODY_SCAN, "paced-breathing": GuideKind.BREATHING}
# A practice's copy of a built-in exercise (or a copy of a copy) opens the same guide.
COPY_DEPTH = 3


def _path(depth: int) -> str:
    return "version__exercise" + "__based_on" * depth


def guide_q() -> Q:
    """Assignments whose exercise (or the built-in it was copied from) opens a guide."""
    q = Q()
    for depth in range(COPY_DEPTH):
        q |= Q(
            **{f"{_path(depth)}__slug__in": list(GUIDES), f"{_path(depth)}__practice__isnull": True}
        )
    return q


def with_guide_exercise(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """ASSIGNMENTS with each exercise's built-in ancestors, so guide_kind() asks nothing more."""
    return assignments.select_related(_path(COPY_DEPTH - 1))


def guide_kind(assignment: Assignment) -> str | None:
    """Which guide ASSIGNMENT opens (body scan or breathing), or None."""
    exercise: Exercise | None = assignment.version.exercise
    for _ in range(COPY_DEPTH):
        if exercise is None:
            return None
        if exercise.practice_id is None and exercise.slug in GUIDES:
            return str(GUIDES[exercise.slug])
        exercise = exercise.based_on
    return None


def get_guide_for_client(person: Person, assignment_id: int) -> tuple[Assignment, str]:
    """One of the client's current assignments that opens a guide, and which guide."""
    assignment = get_assignment_for_client(person, assignment_id)
    kind = guide_kind(assignment)
    if kind is None:
        raise Http404
    return assignment, kind


def get_guide_for_therapist(user: User, assignment_id: int) -> tuple[Assignment, str]:
    """An assignment the therapist gave that opens a guide, and which guide."""
    assignment = get_assignment_for_therapist(user, assignment_id)
    kind = guide_kind(assignment)
    if kind is None:
        raise Http404
    return assignment, kind


def default_for(assignment: Assignment) -> GuideDefault | None:
    return GuideDefault.objects.filter(assignment=assignment).first()


def guide_assignments_for_therapist(therapist: User, client: User) -> list[Assignment]:
    """The guide exercises THERAPIST gave CLIENT (alone or as a couple), current first."""
    return list(
        with_guide_exercise(
            assignments_of_client_for_therapist(therapist, client).filter(guide_q())
        ).order_by("status", "-created_at", "-pk")[:20]
    )


def uses_for_therapist(therapist: User, client: User) -> QuerySet[GuideUse]:
    """CLIENT's uses of the guides of the exercises THERAPIST gave them."""
    return GuideUse.objects.filter(client=client, assignment__therapist=therapist)
