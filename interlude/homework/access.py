"""The only way views obtain assignments and practice entries. A row the user may not see is a 404.

Clients practise their own current assignments and those of the couple case they are linked in
(or hold alone, when their partner is not taking part). They can always read back an exercise
that was set aside, or that belonged to a couple link that has ended, with their own notes: it
never vanishes without a word. Therapists see the assignments they gave, including those of a
client's ended couple work. A practice entry's reflection is read only as its author chose; a
partner never sees the other's practice log, only reflections shared with them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.couples.models import CoupleMember
from interlude.homework.models import Assignment, AssignmentChange, PracticeEntry
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person


def _client_scope(person: Person) -> Q:
    mine = Q(client=person.user)
    if person.couple_id is not None:
        mine |= Q(couple_id=person.couple_id)
    return mine


def assignments_for_client(person: Person) -> QuerySet[Assignment]:
    """A client's current assignments (not set aside): their own, and their couple case's."""
    if not person.is_client:
        raise Http404
    return (
        Assignment.objects.filter(_client_scope(person))
        .exclude(status=Assignment.Status.DISCARDED)
        .select_related("version__exercise", "therapist")
    )


def get_assignment_for_client(person: Person, assignment_id: int) -> Assignment:
    """One of the client's current assignments, to practise."""
    try:
        return assignments_for_client(person).get(pk=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def past_assignments_for_client(person: Person) -> QuerySet[Assignment]:
    """What a client can still read but no longer practises: their exercises that were set
    aside, and the couple work of links that have ended (or that they left)."""
    if not person.is_client:
        raise Http404
    earlier_couples = CoupleMember.objects.filter(client=person.user).exclude(
        couple_id=person.couple_id
    )
    return (
        Assignment.objects.filter(
            (_client_scope(person) & Q(status=Assignment.Status.DISCARDED))
            | Q(couple_id__in=earlier_couples.values("couple_id"))
        )
        .select_related("version__exercise", "therapist")
        .order_by("-updated_at", "-pk")
    )


def get_assignment_to_read(person: Person, assignment_id: int) -> Assignment:
    """A current or past assignment of the client's, to read (and to read their notes)."""
    try:
        return get_assignment_for_client(person, assignment_id)
    except Http404:
        pass
    try:
        return past_assignments_for_client(person).get(pk=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def get_own_entry(person: Person, entry_id: int) -> PracticeEntry:
    """One of the client's own practice entries (to add the afterwards note, or undo a stop)."""
    if not person.is_client:
        raise Http404
    try:
        return PracticeEntry.objects.select_related(
            "assignment__version", "assignment__therapist", "version", "shared_under"
        ).get(pk=entry_id, client=person.user)
    except PracticeEntry.DoesNotExist as exc:
        raise Http404 from exc


def get_assignment_for_therapist(user: User, assignment_id: int) -> Assignment:
    """An assignment, only for the therapist who gave it."""
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    try:
        return Assignment.objects.select_related(
            "version__exercise", "client", "couple", "therapist"
        ).get(pk=assignment_id, therapist=user)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def assignments_of_client_for_therapist(therapist: User, client: User) -> QuerySet[Assignment]:
    """Everything THERAPIST gave CLIENT, alone or in any couple case they have been part of
    (any status, ended links included: a therapist's list never empties without a word)."""
    couples = CoupleMember.objects.filter(client=client).values("couple_id")
    scope = Q(client=client) | Q(couple_id__in=couples)
    return Assignment.objects.filter(scope, therapist=therapist).select_related("version", "couple")


def tools_given_to_client(therapist: User, client: User) -> set[str]:
    """The names of the tools (interlude.exercises.tools) that the exercises THERAPIST gave
    CLIENT open: a tool's part of the client's page is looked for only then."""
    return set(exercise_tools(therapist, client).values())


def exercise_tools(therapist: User, client: User) -> dict[int, str]:
    """Tool name by exercise id, for the exercises THERAPIST gave CLIENT that open a tool, in
    one query."""
    from interlude.exercises.tools import COPY_DEPTH, tool_named_by

    paths = ["version__exercise" + "__based_on" * depth for depth in range(COPY_DEPTH)]
    fields = [f"{path}__{name}" for path in paths for name in ("slug", "practice_id")]
    rows = (
        assignments_of_client_for_therapist(therapist, client)
        .values_list("version__exercise_id", *fields)
        .distinct()
    )
    found = {}
    for exercise_id, *chain in rows:
        tool = tool_named_by(list(zip(chain[::2], chain[1::2], strict=True)))
        if tool is not None:
            found[exercise_id] = tool.name
    return found


def entries_of_client_for_therapist(
    therapist: User, client: User, limit: int = 200
) -> list[PracticeEntry]:
    """CLIENT's practice log for assignments THERAPIST gave. The reflection text is shown only
    where its visibility allows; each entry names the version and stage it was done at."""
    entry_fields = [f.name for f in PracticeEntry._meta.concrete_fields]
    return list(
        PracticeEntry.objects.filter(client=client, assignment__therapist=therapist)
        .select_related("version")
        # The log names each entry's exercise, nothing more: loading each version's whole text
        # (and parsing its JSON) for every one of up to LIMIT rows was most of the query's time.
        .only(*entry_fields, "version__title", "version__stage")
        .order_by("-practised_at", "-pk")[:limit]
    )


def own_entries_for(client: User, assignment: Assignment, limit: int = 20) -> list[PracticeEntry]:
    """A client's own entries for one assignment, newest first (with the stage of each)."""
    return list(
        PracticeEntry.objects.filter(client=client, assignment=assignment)
        .select_related("version")
        .order_by("-practised_at", "-pk")[:limit]
    )


def changes_of(assignment: Assignment, limit: int = 10) -> list[AssignmentChange]:
    """What changed in an assignment the viewer already holds, newest first."""
    return list(assignment.changes.select_related("by")[:limit])


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
        .select_related("version")
        .order_by("-practised_at", "-pk")[:50]
    )
    # Encrypted text cannot be filtered on in the database.
    return [entry for entry in entries if entry.reflection]
