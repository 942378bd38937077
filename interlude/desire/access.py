"""The only way views obtain desire maps. A map the person may not see is a 404.

A client reaches a map through an assignment of theirs whose exercise is desire mapping (homework
decides which assignments are theirs). What they may do with it depends on whose it is:

- couple: an assignment of the couple case they are linked in now. Each answers privately; once
  both have sent a round, each sees only what they share, and only while the link stands.
- personal: an assignment of their own, or of a couple case whose partner is not taking part.
- ended: the couple work of a link that has ended (or that they left): their own answers only,
  never anything worked out with the other person's.

Nobody is ever given another person's answers: the partner's are read only inside queries.py and
actions.py, to work out what two people share (matching.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db.models import Q
from django.http import Http404

from interlude.accounts.models import User
from interlude.desire.models import DesireCustomItem
from interlude.exercises.tools import TOOLS, tool_for
from interlude.homework import access as homework_access
from interlude.sharing.person import Person

if TYPE_CHECKING:
    from interlude.homework.models import Assignment

TOOL = "desire_map"
Mode = Literal["couple", "personal", "ended"]
SET_ASIDE = "discarded"


def _of_desire_mapping() -> Q:
    """Assignments of the built-in desire-mapping exercise, or of a copy of it (or of a copy of
    a copy): what tool_for finds, in one query."""
    slugs = [slug for slug, tool in TOOLS.items() if tool.name == TOOL]
    found = Q()
    path = "version__exercise"
    for _ in range(3):
        found |= Q(**{f"{path}__practice__isnull": True, f"{path}__slug__in": slugs})
        path += "__based_on"
    return found


def is_desire_map(assignment: Assignment) -> bool:
    tool = tool_for(assignment.version.exercise)
    return tool is not None and tool.name == TOOL


@dataclass
class DesireMap:
    """One client's view of one desire-map assignment."""

    assignment: Assignment
    person: Person
    mode: Mode
    # The partner this client is linked with now (couple mode), or None: not yet joined.
    partner: User | None
    partner_name: str
    # Answers can be changed and rounds opened: not set aside, and not from an ended link.
    writable: bool

    @property
    def user(self) -> User:
        return self.person.user

    @property
    def is_couple(self) -> bool:
        return self.mode == "couple"

    @property
    def is_personal(self) -> bool:
        return self.mode == "personal"

    @property
    def therapist_name(self) -> str:
        return self.assignment.therapist.display_name


def get_map_for_client(person: Person, assignment_id: int) -> DesireMap:
    """A desire map of the client's own: to answer, to read what is shared, or (when the link it
    belonged to has ended) to read their own answers back."""
    assignment = homework_access.get_assignment_to_read(person, assignment_id)
    if not is_desire_map(assignment):
        raise Http404
    set_aside = assignment.status == SET_ASIDE
    if assignment.client_id is not None:
        return DesireMap(assignment, person, "personal", None, "", not set_aside)
    if assignment.couple_id is None or assignment.couple_id != person.couple_id:
        return DesireMap(assignment, person, "ended", None, "", False)
    if person.partner_not_taking_part:
        return DesireMap(assignment, person, "personal", None, "", not set_aside)
    partner = person.partner
    other = person.other_member
    name = partner.display_name if partner else (other.display_name if other else "")
    return DesireMap(assignment, person, "couple", partner, name or "your partner", not set_aside)


def get_map_for_therapist(therapist: User, assignment_id: int) -> Assignment:
    """A desire-map assignment, only for the therapist who gave it."""
    assignment = homework_access.get_assignment_for_therapist(therapist, assignment_id)
    if not is_desire_map(assignment):
        raise Http404
    return assignment


def desire_maps_of_client_for_therapist(therapist: User, client: User) -> list[Assignment]:
    """Every desire-map assignment THERAPIST gave CLIENT, alone or in a couple case, newest
    first."""
    assignments = (
        homework_access.assignments_of_client_for_therapist(therapist, client)
        .filter(_of_desire_mapping())
        .select_related("version__exercise__based_on__based_on", "therapist")
        .order_by("-created_at", "-pk")
    )
    return [a for a in assignments if is_desire_map(a)]


def get_custom_item_for_therapist(
    therapist: User, assignment_id: int, item_id: int
) -> DesireCustomItem:
    """One of the therapist's own items on a map they gave."""
    assignment = get_map_for_therapist(therapist, assignment_id)
    item = DesireCustomItem.objects.filter(assignment=assignment, pk=item_id).first()
    if item is None:
        raise Http404
    item.assignment = assignment
    return item
