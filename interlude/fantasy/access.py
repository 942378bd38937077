"""The only way views obtain fantasy-journal and sensation entries. Visibility is enforced here:
the author reads all of their own; a therapist only what was shared with them; a partner only
what was shared under the current link."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.exercises.tools import tool_for
from interlude.fantasy.models import FantasyEntry, SensationEntry
from interlude.homework.access import get_assignment_to_read
from interlude.homework.models import Assignment
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person
from interlude.sharing.visibility import THERAPIST_CAN_READ

Entry = FantasyEntry | SensationEntry


def get_tool_assignment(person: Person, assignment_id: int, tool: str) -> Assignment:
    """One of the client's assignments (current, or set aside and still theirs to read) whose
    exercise opens TOOL ("fantasy" or "sensations")."""
    assignment = get_assignment_to_read(person, assignment_id)
    found = tool_for(assignment.version.exercise)
    if found is None or found.name != tool:
        raise Http404
    return assignment


def own_fantasies(person: Person) -> QuerySet[FantasyEntry]:
    if not person.is_client:
        raise Http404
    return FantasyEntry.objects.filter(author=person.user).select_related("shared_under")


def own_sensations(person: Person) -> QuerySet[SensationEntry]:
    if not person.is_client:
        raise Http404
    return SensationEntry.objects.filter(author=person.user).select_related("shared_under")


def get_own_fantasy(person: Person, entry_id: int) -> FantasyEntry:
    try:
        return own_fantasies(person).get(pk=entry_id)
    except FantasyEntry.DoesNotExist as exc:
        raise Http404 from exc


def get_own_sensation(person: Person, entry_id: int) -> SensationEntry:
    try:
        return own_sensations(person).get(pk=entry_id)
    except SensationEntry.DoesNotExist as exc:
        raise Http404 from exc


def fantasies_shared_with_therapist(therapist: User, client: User) -> QuerySet[FantasyEntry]:
    """What CLIENT chose to share with their therapist. Never an "only me" or partner entry."""
    if client.client_profile.therapist_id != therapist.pk:
        raise Http404
    # shared_under: the page says whether a partner can read it now.
    return FantasyEntry.objects.filter(
        author=client, visibility__in=THERAPIST_CAN_READ
    ).select_related("shared_under")


def sensations_shared_with_therapist(therapist: User, client: User) -> QuerySet[SensationEntry]:
    if client.client_profile.therapist_id != therapist.pk:
        raise Http404
    # shared_under: the page says whether a partner can read it now.
    return SensationEntry.objects.filter(
        author=client, visibility__in=THERAPIST_CAN_READ
    ).select_related("shared_under")


def fantasies_shared_with_partner(viewer: Person) -> QuerySet[FantasyEntry]:
    """What the viewer's linked partner shared with them under their current link."""
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return FantasyEntry.objects.none()
    return FantasyEntry.objects.filter(readable_by_partner(couple_id), author=partner)


def sensations_shared_with_partner(viewer: Person) -> QuerySet[SensationEntry]:
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return SensationEntry.objects.none()
    return SensationEntry.objects.filter(readable_by_partner(couple_id), author=partner)
