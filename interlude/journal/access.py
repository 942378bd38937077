"""The only way views obtain journal entries. Visibility is enforced here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.consents.access import has_standing_consent
from interlude.consents.models import Consent
from interlude.couples.access import linked_partner_of
from interlude.journal.models import JournalEntry
from interlude.privacy.visibility import PARTNER_CAN_READ, THERAPIST_CAN_READ


def own_entries(user: User) -> QuerySet[JournalEntry]:
    """A client's own entries, all of them."""
    if not user.is_authenticated or not user.is_client:
        raise Http404
    return JournalEntry.objects.filter(author=user)


def get_own_entry(user: User, entry_id: int) -> JournalEntry:
    """One of the client's own entries, to read, edit or delete."""
    try:
        return own_entries(user).get(pk=entry_id)
    except JournalEntry.DoesNotExist as exc:
        raise Http404 from exc


def entries_shared_with_therapist(therapist: User, client: User) -> QuerySet[JournalEntry]:
    """What CLIENT chose to share with their therapist. Never an "only me" or partner entry."""
    if client.client_profile.therapist_id != therapist.pk:
        raise Http404
    return JournalEntry.objects.filter(author=client, visibility__in=THERAPIST_CAN_READ)


def entries_shared_with_partner(viewer: User) -> tuple[User | None, QuerySet[JournalEntry]]:
    """What the viewer's linked partner chose to share with them, while both are linked and the
    partner's consent to share stands. Never a "therapist" or "only me" entry."""
    partner = linked_partner_of(viewer)
    if partner is None or not has_standing_consent(partner, Consent.Kind.PARTNER_SHARING):
        return partner, JournalEntry.objects.none()
    return partner, JournalEntry.objects.filter(author=partner, visibility__in=PARTNER_CAN_READ)
