"""The only way the coach's views obtain rows. A row the person may not see is a 404.

The helper is offered for an assignment of an I-statement exercise, found through homework's own
access rules (homework/access.py): a client uses their own current assignments and those of the
couple case they practise in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from interlude.coach.models import CoachDraft
from interlude.exercises.tools import tool_for
from interlude.homework.access import get_assignment_for_client
from interlude.sharing.person import Person

TOOL = "coach"


@dataclass(frozen=True)
class Place:
    """The assignment the helper is used for, as this tool sees it."""

    assignment_id: int
    title: str


def get_place_for_client(person: Person, assignment_id: int) -> Place:
    """One of the client's current I-statement assignments: their own or their couple case's."""
    assignment = get_assignment_for_client(person, assignment_id)
    tool = tool_for(assignment.version.exercise)
    if tool is None or tool.name != TOOL:
        raise Http404
    return Place(assignment_id=assignment.pk, title=assignment.version.title)


def draft_of(person: Person, place: Place) -> CoachDraft | None:
    """The client's own draft for this assignment, if they have one."""
    return CoachDraft.objects.filter(author=person.user, assignment_id=place.assignment_id).first()


def require_client(person: Person) -> None:
    """The helper's notes are for clients (a therapist has no drafts here)."""
    if not person.is_client:
        raise Http404
