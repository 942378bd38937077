"""The only way views obtain journal entries. Visibility is enforced here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.journal.models import JournalEntry
from interlude.sharing.models import readable_by_partner
from interlude.sharing.person import Person
from interlude.sharing.visibility import THERAPIST_CAN_READ


def own_entries(person: Person) -> QuerySet[JournalEntry]:
    """A client's own entries, all of them (with the agreement each was shared under)."""
    if not person.is_client:
        raise Http404
    return JournalEntry.objects.filter(author=person.user).select_related("shared_under")


def get_own_entry(person: Person, entry_id: int) -> JournalEntry:
    """One of the client's own entries, to read, edit or delete."""
    try:
        return own_entries(person).get(pk=entry_id)
    except JournalEntry.DoesNotExist as exc:
        raise Http404 from exc


def entries_shared_with_therapist(therapist: User, client: User) -> QuerySet[JournalEntry]:
    """What CLIENT chose to share with their therapist. Never an "only me" or partner entry."""
    if client.client_profile.therapist_id != therapist.pk:
        raise Http404
    # shared_under: the page says whether a partner can read it now.
    return JournalEntry.objects.filter(
        author=client, visibility__in=THERAPIST_CAN_READ
    ).select_related("shared_under")


def entries_shared_with_partner(viewer: Person) -> QuerySet[JournalEntry]:
    """What the viewer's linked partner shared with them under their current link, while the
    partner's agreement to share stands. Never a "therapist" or "only me" entry, and never
    anything shared with someone else in an earlier link."""
    partner, couple_id = viewer.partner, viewer.couple_id
    if partner is None or couple_id is None:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(readable_by_partner(couple_id), author=partner)
