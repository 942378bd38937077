"""The only way views obtain check-ins. A row the person may not see is a 404.

A check-in hangs off an assignment of the check-in exercise, found through homework's own
access rules (homework/access.py): a client uses their own current assignments and those of the
couple case they practise in; a therapist, those they gave.

Partners read each other's answers only once a check-in is held, only what each chose to share,
and only under their current link (`readable_by_partner`): a partner who leaves loses every past
reveal and every note of what was agreed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.checkins.models import AgreedVersion, Answer, CheckIn, Preparation
from interlude.checkins.questions import week_of
from interlude.exercises.models import Exercise
from interlude.exercises.tools import TOOLS, tool_for
from interlude.homework.access import (
    assignments_of_client_for_therapist,
    get_assignment_for_client,
    get_assignment_for_therapist,
)
from interlude.homework.models import Assignment
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person
from interlude.sharing.visibility import THERAPIST_CAN_READ

TOOL = "checkin"
EARLIER_WEEKS = 12
HISTORY = 20


@dataclass(frozen=True)
class Place:
    """The assignment a check-in belongs to, as this tool sees it."""

    assignment_id: int
    client_id: int | None
    couple_id: int | None
    therapist_id: int
    title: str


def _place(assignment: Assignment) -> Place:
    tool = tool_for(assignment.version.exercise)
    if tool is None or tool.name != TOOL:
        raise Http404
    return Place(
        assignment_id=assignment.pk,
        client_id=assignment.client_id,
        couple_id=assignment.couple_id,
        therapist_id=assignment.therapist_id,
        title=assignment.version.title,
    )


def get_place_for_client(person: Person, assignment_id: int) -> Place:
    """One of the client's current check-in assignments: their own, or their couple case's."""
    return _place(get_assignment_for_client(person, assignment_id))


def get_place_for_therapist(user: User, assignment_id: int) -> Place:
    """A check-in assignment, only for the therapist who gave it (set aside or not)."""
    return _place(get_assignment_for_therapist(user, assignment_id))


def together(person: Person, place: Place) -> bool:
    """Whether PERSON prepares this check-in with a linked partner (the only case with partner
    wording): couple work, in their current link, with the partner linked."""
    return (
        place.couple_id is not None
        and place.couple_id == person.couple_id
        and person.partner is not None
    )


def current_checkin(place: Place, person: Person) -> CheckIn | None:
    """The check-in PERSON works on now: one not yet held that started this week or last
    (so a talk on Monday can still read what was prepared on Sunday), else this week's."""
    this_week = week_of(person.user)
    rows = CheckIn.objects.filter(assignment_id=place.assignment_id)
    waiting = (
        rows.filter(held_at__isnull=True, week__gte=this_week - dt.timedelta(days=7))
        .order_by("-week")
        .first()
    )
    return waiting or rows.filter(week=this_week).first()


def checkins_of(place: Place, person: Person) -> QuerySet[CheckIn]:
    """The check-ins PERSON may open: those held together, and those they prepared for
    themselves. A check-in only someone else prepared for does not exist, as far as anyone
    else can tell."""
    return (
        CheckIn.objects.filter(assignment_id=place.assignment_id)
        .filter(Q(held_at__isnull=False, solo=False) | Q(preparations__author=person.user))
        .distinct()
    )


def get_checkin(place: Place, person: Person, checkin_id: int) -> CheckIn:
    """One check-in of PLACE that PERSON may open."""
    try:
        return checkins_of(place, person).get(pk=checkin_id)
    except CheckIn.DoesNotExist as exc:
        raise Http404 from exc


def earlier_checkins(place: Place, person: Person, current: CheckIn | None) -> list[CheckIn]:
    """Earlier check-ins PERSON may open, newest first (a handful: the rest stay in their
    export)."""
    rows = checkins_of(place, person)
    if current is not None:
        rows = rows.exclude(pk=current.pk)
    return list(rows.order_by("-week", "-pk")[:EARLIER_WEEKS])


def own_preparation(checkin: CheckIn | None, person: Person) -> Preparation | None:
    """PERSON's own preparation for CHECKIN, with its answers."""
    if checkin is None:
        return None
    return (
        Preparation.objects.filter(checkin=checkin, author=person.user)
        .prefetch_related("answers__shared_under")
        .first()
    )


def shared_by_partner(checkin: CheckIn, person: Person) -> list[Answer]:
    """The answers PERSON's linked partner shared with them at CHECKIN: only once it is held,
    only under their current link, and only while the partner's agreement to share stands."""
    partner, couple_id = person.partner, person.couple_id
    if checkin.held_at is None or checkin.solo or partner is None or couple_id is None:
        return []
    if checkin.couple_id != couple_id:
        return []
    return list(
        Answer.objects.filter(
            readable_by_partner(couple_id),
            preparation__checkin=checkin,
            preparation__ready_at__isnull=False,
            author=partner,
        )
    )


def agreed_versions(checkin: CheckIn, person: Person) -> list[AgreedVersion] | None:
    """The note of what was agreed at CHECKIN, newest version first; None when PERSON may not
    read it (not held, not a couple's, or not their current link)."""
    if checkin.held_at is None or checkin.solo or checkin.couple_id is None:
        return None
    if checkin.couple_id != person.couple_id or person.partner is None:
        return None
    return list(AgreedVersion.objects.filter(checkin=checkin).select_related("by")[:HISTORY])


def checkin_exercises() -> QuerySet[Exercise]:
    """Every exercise offered with the check-in: the built-in ones and copies made from them
    (a few copies deep, as `tool_for` follows them)."""
    builtin = [slug for slug, tool in TOOLS.items() if tool.name == TOOL]
    found, path = Q(), ""
    for _ in range(5):
        found |= Q(**{f"{path}practice__isnull": True, f"{path}slug__in": builtin})
        path += "based_on__"
    return Exercise.objects.filter(found)


def checkin_assignments_for_therapist(therapist: User, client: User) -> list[Place]:
    """The check-in assignments THERAPIST gave CLIENT, alone or in any couple case they have
    been part of, newest first."""
    rows = (
        assignments_of_client_for_therapist(therapist, client)
        .filter(version__exercise__in=checkin_exercises())
        .select_related("version")
        .order_by("-created_at", "-pk")[:20]
    )
    return [
        Place(
            assignment_id=row.pk,
            client_id=row.client_id,
            couple_id=row.couple_id,
            therapist_id=row.therapist_id,
            title=row.version.title,
        )
        for row in rows
    ]


def checkins_for_therapist(
    therapist: User, client: User, places: list[Place]
) -> tuple[list[CheckIn], dict[int, list[Answer]]]:
    """CLIENT's check-ins in PLACES that were held or from which CLIENT shared something with
    THERAPIST (newest first), and those answers by check-in. Never an answer kept to
    themselves or shared only with their partner, and nothing from a preparation still
    being written."""
    ids = [p.assignment_id for p in places if p.therapist_id == therapist.pk]
    shared = Answer.objects.filter(
        author=client,
        visibility__in=THERAPIST_CAN_READ,
        preparation__ready_at__isnull=False,
        preparation__checkin__assignment_id__in=ids,
    )
    checkins = list(
        CheckIn.objects.filter(assignment_id__in=ids)
        .filter(Q(held_at__isnull=False) | Q(preparations__answers__in=shared))
        .distinct()
        .order_by("-week", "-pk")[:EARLIER_WEEKS]
    )
    by_checkin: dict[int, list[Answer]] = {c.pk: [] for c in checkins}
    for answer in shared.filter(preparation__checkin__in=checkins).select_related("preparation"):
        by_checkin[answer.preparation.checkin_id].append(answer)
    return checkins, by_checkin
