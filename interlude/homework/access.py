"""The only way views obtain assignments and practice entries. A row the user may not see is a 404.

Clients see their own assignments and those of the couple case they are linked in (or hold alone,
when their partner is not taking part). Therapists see the assignments they gave. A practice
entry's reflection is read only as its author chose; a partner never sees the other's practice
log, only reflections shared with them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person


def assignments_for_client(person: Person) -> QuerySet[Assignment]:
    """A client's current assignments (not set aside): their own, and their couple case's
    (linked, or alone when the partner is not taking part)."""
    if not person.is_client:
        raise Http404
    mine = Q(client=person.user)
    if person.couple_id is not None:
        mine |= Q(couple_id=person.couple_id)
    return (
        Assignment.objects.filter(mine)
        .exclude(status=Assignment.Status.DISCARDED)
        .select_related("version", "therapist")
    )


def get_assignment_for_client(person: Person, assignment_id: int) -> Assignment:
    """One of the client's current assignments, to practise."""
    try:
        return assignments_for_client(person).get(pk=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def get_assignment_for_therapist(user: User, assignment_id: int) -> Assignment:
    """An assignment, only for the therapist who gave it."""
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    try:
        return Assignment.objects.select_related("version", "client", "couple").get(
            pk=assignment_id, therapist=user
        )
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def assignments_of_client_for_therapist(therapist: User, client: User) -> QuerySet[Assignment]:
    """Everything THERAPIST gave CLIENT, alone or in their couple case (any status)."""
    couple_id = Person(client).couple_id
    scope = Q(client=client)
    if couple_id is not None:
        scope |= Q(couple_id=couple_id)
    return Assignment.objects.filter(scope, therapist=therapist).select_related("version")


def entries_of_client_for_therapist(
    therapist: User, client: User, limit: int = 200
) -> list[PracticeEntry]:
    """CLIENT's practice log for assignments THERAPIST gave. The reflection text is shown only
    where its visibility allows (see `reflection_visible_to_therapist`)."""
    entry_fields = [f.name for f in PracticeEntry._meta.concrete_fields]
    return list(
        PracticeEntry.objects.filter(client=client, assignment__therapist=therapist)
        .select_related("assignment__version")
        # The log names each entry's exercise, nothing more: loading each version's whole text
        # (and parsing its JSON) for every one of up to LIMIT rows was most of the query's time.
        .only(*entry_fields, "assignment__version__title")
        .order_by("-practised_at", "-pk")[:limit]
    )


def own_entries_for(client: User, assignment: Assignment, limit: int = 20) -> list[PracticeEntry]:
    """A client's own entries for one assignment, newest first."""
    return list(
        PracticeEntry.objects.filter(client=client, assignment=assignment).order_by(
            "-practised_at", "-pk"
        )[:limit]
    )


def changes_of(assignment: Assignment, limit: int = 10) -> list[AssignmentChange]:
    """What changed in an assignment the viewer already holds, newest first."""
    return list(assignment.changes.select_related("by", "assignment")[:limit])


def said_ready(client: User, assignment: Assignment) -> bool:
    """Whether CLIENT said they feel ready to move on from the assignment's current stage."""
    return assignment.readiness.filter(
        client_id=client.pk, stage=assignment.version.stage or 0
    ).exists()


def first_client_of(assignment: Assignment) -> int | None:
    """The client whose page an assignment belongs on (for a couple, the first partner)."""
    if assignment.client_id is not None:
        return assignment.client_id
    member = (
        CoupleMember.objects.filter(couple_id=assignment.couple_id, client__isnull=False)
        .order_by("created_at")
        .first()
    )
    return member.client_id if member else None


def reflections_shared_with_partner(viewer: Person) -> list[PracticeEntry]:
    """Practice reflections the viewer's linked partner shared with them under their current
    link (newest first). Only the reflection and when: never the partner's ratings or reasons."""
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return []
    entries = (
        PracticeEntry.objects.filter(readable_by_partner(couple_id), client=partner)
        .select_related("assignment__version")
        .order_by("-practised_at", "-pk")[:50]
    )
    # Encrypted text cannot be filtered on in the database.
    return [entry for entry in entries if entry.reflection]
