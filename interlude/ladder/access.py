"""The only way views obtain ladders, steps and tries. A row the person may not see is a 404.

A ladder is its client's and their therapist's: the client reads it always (also after the
exercise was set aside or the couple link it came from ended) and changes it while they practise
the assignment; the therapist who gave the assignment reads it while the client is in their care,
and changes it while the assignment is current. A partner never sees the other's ladder, only
the notes shared with them. Nobody else sees anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db.models import QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.ladder.assignments import current_for_client, given_to, is_current_for
from interlude.ladder.models import Ladder, LadderAttempt, LadderReflection, LadderStep
from interlude.practice.access import get_client_for_therapist
from interlude.practice.models import ClientProfile
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person

if TYPE_CHECKING:
    from interlude.homework.models import Assignment

Role = Literal["client", "therapist"]
LADDER_RELATED = (
    "assignment__version__exercise",
    "assignment__therapist",
    "client",
    "held_by",
)


@dataclass
class Held:
    """A ladder as one person holds it: as its client or its therapist, and whether they may
    change it now."""

    ladder: Ladder
    role: Role
    owner: Person  # the ladder's client
    editable: bool


def _ladders() -> QuerySet[Ladder]:
    return Ladder.objects.select_related(*LADDER_RELATED)


def client_assignment(person: Person, assignment_id: int) -> Assignment | None:
    """The assignment, if PERSON practises it now and it is a ladder exercise."""
    return current_for_client(person, assignment_id)


def get_own_ladder(person: Person, assignment_id: int) -> Ladder:
    """The client's own ladder for an assignment they no longer practise (set aside, or from a
    couple link that ended): theirs to read."""
    if not person.is_client:
        raise Http404
    ladder = _ladders().filter(assignment_id=assignment_id, client=person.user).first()
    if ladder is None:
        raise Http404
    return ladder


def therapist_assignment(
    user: User, client_id: int, assignment_id: int
) -> tuple[ClientProfile, Assignment]:
    """The client (in USER's care) and the ladder assignment USER gave them."""
    profile = get_client_for_therapist(user, client_id)
    assignment = given_to(user, profile.user, assignment_id)
    if assignment is None:
        raise Http404
    return profile, assignment


def get_ladder(person: Person, ladder_id: int) -> Held:
    """A ladder PERSON may read, as its client or as the therapist who gave its assignment."""
    ladder = _ladders().filter(pk=ladder_id).first()
    if ladder is None:
        raise Http404
    user = person.user
    if person.is_client and ladder.client_id == user.pk:
        return Held(ladder, "client", person, is_current_for(ladder.assignment, person))
    if person.is_therapist and ladder.assignment.therapist_id == user.pk:
        in_care = ClientProfile.objects.filter(
            user_id=ladder.client_id, therapist=user, user__is_active=True
        ).exists()
        if not in_care:
            raise Http404
        owner = Person(ladder.client)
        return Held(ladder, "therapist", owner, is_current_for(ladder.assignment, owner))
    raise Http404


def get_ladder_to_change(person: Person, ladder_id: int, *, role: Role | None = None) -> Held:
    """A ladder PERSON may change now (as ROLE, when given)."""
    held = get_ladder(person, ladder_id)
    if not held.editable:
        raise Http404
    if role is not None and held.role != role:
        raise Http404
    return held


def get_step(held: Held, step_id: int) -> LadderStep:
    """A step on the ladder (not one taken off)."""
    step = held.ladder.steps.filter(pk=step_id, removed_at__isnull=True).first()
    if step is None:
        raise Http404
    return step


def get_own_attempt(person: Person, attempt_id: int) -> LadderAttempt:
    """One of the client's own tries, while they practise the assignment it belongs to."""
    if not person.is_client:
        raise Http404
    attempt = (
        LadderAttempt.objects.select_related(
            "step", *(f"ladder__{name}" for name in LADDER_RELATED), "ladder__current_step"
        )
        .filter(pk=attempt_id, client=person.user)
        .first()
    )
    if attempt is None or not is_current_for(attempt.ladder.assignment, person):
        raise Http404
    return attempt


def notes_shared_with_partner(viewer: Person) -> list[LadderReflection]:
    """What the viewer's linked partner shared with them from their ladder, under their current
    link and while their agreement to share stands: only the note and when, never the partner's
    ladder, steps or ratings."""
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return []
    return list(
        LadderReflection.objects.filter(readable_by_partner(couple_id), client=partner)
        .select_related("attempt")
        .order_by("-created_at", "-pk")[:50]
    )


def partner_shared_any(viewer: Person) -> bool:
    """Whether the viewer's linked partner shares any ladder notes with them now."""
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return False
    return LadderReflection.objects.filter(readable_by_partner(couple_id), client=partner).exists()
