"""The assignments ladders hang on, read through homework's own access rules (homework/access.py).

A client practises their own current assignments and their current couple case's; an assignment
set aside, or from a couple link that has ended, is no longer practised. A therapist sees what
they gave, ended couple work included. The ladder adds one rule: the exercise (or the built-in
one a practice's copy came from) must be one whose tool is the ladder.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.exercises.tools import TOOLS, tool_for
from interlude.homework.access import (
    assignments_of_client_for_therapist,
    get_assignment_for_client,
)
from interlude.homework.models import Assignment
from interlude.sharing.person import Person

SET_ASIDE = Assignment.Status.DISCARDED
PAUSED = Assignment.Status.PAUSED
TOOL = "ladder"


# The built-in exercises whose tool is the ladder (a practice's copy is found through them).
LADDER_SLUGS = sorted(slug for slug, tool in TOOLS.items() if tool.name == TOOL)


def is_ladder_exercise(assignment: Assignment) -> bool:
    """Whether ASSIGNMENT's exercise (or the built-in one it was copied from) has the ladder."""
    tool = tool_for(assignment.version.exercise)
    return tool is not None and tool.name == TOOL


def current_for_client(person: Person, assignment_id: int) -> Assignment | None:
    """ASSIGNMENT_ID if PERSON practises it now and it is a ladder exercise, else None."""
    if not person.is_client:
        return None
    try:
        assignment = get_assignment_for_client(person, assignment_id)
    except Http404:
        return None
    return assignment if is_ladder_exercise(assignment) else None


def is_current_for(assignment: Assignment, client: Person) -> bool:
    """Whether CLIENT practises ASSIGNMENT now (not set aside, and theirs or their current
    couple case's)."""
    if assignment.status == SET_ASIDE:
        return False
    if assignment.client_id is not None:
        return assignment.client_id == client.user.pk
    return assignment.couple_id is not None and assignment.couple_id == client.couple_id


def given_to(therapist: User, client: User, assignment_id: int) -> Assignment | None:
    """An assignment THERAPIST gave CLIENT, alone or in a couple case CLIENT is or was part of
    (a therapist's view never empties without a word), if it is a ladder exercise."""
    assignment = (
        assignments_of_client_for_therapist(therapist, client)
        .select_related("version__exercise", "therapist")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not is_ladder_exercise(assignment):
        return None
    return assignment


def current_given_to(therapist: User, client: User, limit: int) -> list[Assignment]:
    """The ladder assignments THERAPIST gave CLIENT that CLIENT practises now (alone, or in
    their open couple case), newest first. A practice's copy of a ladder exercise counts when it
    was copied from the built-in one, or from a copy of it."""
    couples = CoupleMember.objects.filter(
        client=client, couple__ended_at__isnull=True, consented_at__isnull=False
    ).values("couple_id")
    built_in = Q(version__exercise__practice__isnull=True, version__exercise__slug__in=LADDER_SLUGS)
    for depth in (1, 2):
        path = "version__exercise" + "__based_on" * depth
        built_in |= Q(**{f"{path}__practice__isnull": True, f"{path}__slug__in": LADDER_SLUGS})
    return list(
        Assignment.objects.filter(
            Q(client=client) | Q(couple_id__in=couples), built_in, therapist=therapist
        )
        .exclude(status=SET_ASIDE)
        .select_related("version")
        .order_by("-created_at", "-pk")[:limit]
    )
