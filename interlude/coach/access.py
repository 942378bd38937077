"""The only way the coach's views obtain rows. A row the person may not see is a 404.

The helper is offered for an assignment of an I-statement exercise. The tools are independent
of each other in code (import-linter), so the few facts needed about the assignment (whose it
is, its title) are read through Django's app registry, never through the homework app's code,
and nothing of it is written. The rule is the homework app's own: a client uses their own
current assignments and those of the couple case they practise in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.http import Http404

from interlude.coach.models import CoachDraft
from interlude.exercises.models import Exercise
from interlude.exercises.tools import tool_for
from interlude.sharing.person import Person

TOOL = "coach"
SET_ASIDE = "discarded"  # the homework app's Assignment.Status.DISCARDED


@dataclass(frozen=True)
class Place:
    """The assignment the helper is used for, as this tool sees it."""

    assignment_id: int
    title: str


def get_place_for_client(person: Person, assignment_id: int) -> Place:
    """One of the client's current I-statement assignments: their own or their couple case's."""
    if not person.is_client:
        raise Http404
    scope = Q(client_id=person.user.pk)
    if person.couple_id is not None:
        scope |= Q(couple_id=person.couple_id)
    row = (
        apps.get_model("homework", "Assignment")
        ._default_manager.filter(scope, pk=assignment_id)
        .exclude(status=SET_ASIDE)
        .values("pk", "version__title", "version__exercise_id")
        .first()
    )
    if row is None:
        raise Http404
    exercise = Exercise.objects.filter(pk=row["version__exercise_id"]).first()
    tool = tool_for(exercise) if exercise is not None else None
    if tool is None or tool.name != TOOL:
        raise Http404
    return Place(assignment_id=row["pk"], title=row["version__title"])


def draft_of(person: Person, place: Place) -> CoachDraft | None:
    """The client's own draft for this assignment, if they have one."""
    return CoachDraft.objects.filter(author=person.user, assignment_id=place.assignment_id).first()


def require_client(person: Person) -> None:
    """The helper's notes are for clients (a therapist has no drafts here)."""
    if not person.is_client:
        raise Http404
