"""The assignments ladders hang on: read here, and nowhere else in the ladder app.

An assignment is the homework app's row, and the tools are independent of one another (the
import contract in pyproject.toml), so the ladder never imports homework. It reads the few facts
it needs through Django's app registry: who an assignment is for, who gave it, whether it is
still current, and which exercise it is. The rules are homework's own (homework/access.py): a
client practises their own current assignments and their current couple case's; an assignment
set aside, or from a couple link that has ended, is no longer practised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.apps import apps
from django.db.models import Q

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.exercises.tools import TOOLS, tool_for
from interlude.sharing.person import Person

if TYPE_CHECKING:  # types only: the ladder does not depend on homework's code
    from interlude.homework.models import Assignment

# homework's Assignment.Status values the ladder needs to know.
SET_ASIDE = "discarded"
PAUSED = "paused"
TOOL = "ladder"


# The built-in exercises whose tool is the ladder (a practice's copy is found through them).
LADDER_SLUGS = sorted(slug for slug, tool in TOOLS.items() if tool.name == TOOL)


def assignment_model() -> type[Assignment]:
    return cast("type[Assignment]", apps.get_model("homework", "Assignment"))


def is_ladder_exercise(assignment: Assignment) -> bool:
    """Whether ASSIGNMENT's exercise (or the built-in one it was copied from) has the ladder."""
    tool = tool_for(assignment.version.exercise)
    return tool is not None and tool.name == TOOL


def _client_scope(person: Person) -> Q:
    mine = Q(client=person.user)
    if person.couple_id is not None:
        mine |= Q(couple_id=person.couple_id)
    return mine


def current_for_client(person: Person, assignment_id: int) -> Assignment | None:
    """ASSIGNMENT_ID if PERSON practises it now and it is a ladder exercise, else None."""
    if not person.is_client:
        return None
    assignment = (
        assignment_model()
        .objects.filter(_client_scope(person), pk=assignment_id)
        .exclude(status=SET_ASIDE)
        .select_related("version__exercise", "therapist")
        .first()
    )
    if assignment is None or not is_ladder_exercise(assignment):
        return None
    return assignment


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
    couples = CoupleMember.objects.filter(client=client).values("couple_id")
    assignment = (
        assignment_model()
        .objects.filter(Q(client=client) | Q(couple_id__in=couples), therapist=therapist)
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
        assignment_model()
        .objects.filter(Q(client=client) | Q(couple_id__in=couples), built_in, therapist=therapist)
        .exclude(status=SET_ASIDE)
        .select_related("version")
        .order_by("-created_at", "-pk")[:limit]
    )
