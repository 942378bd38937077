"""Turning sharing with a partner on and off: an agreement bound to one couple link."""

from __future__ import annotations

from django.db import transaction

from interlude.consents.actions import consent_give, consent_withdraw
from interlude.consents.models import Consent
from interlude.sharing.person import Person


@transaction.atomic
def sharing_turn_on(*, person: Person, version: str) -> Consent | None:
    """Agree to share (entry by entry) with the partner of the current link. Nothing written
    earlier becomes shared. Returns the agreement, or None when there is no linked partner."""
    member = person.couple_member
    if person.partner is None or member is None:
        return None
    if person.sharing_consent is not None:
        return person.sharing_consent
    consent = consent_give(
        user=person.user, kind=Consent.Kind.PARTNER_SHARING, version=version, couple=member.couple
    )
    person.__dict__["sharing_consent"] = consent
    return consent


@transaction.atomic
def sharing_turn_off(*, person: Person) -> int:
    """Withdraw every standing agreement to share with a partner: everything shared under them
    is the author's alone again (and their therapist's, where chosen), at once."""
    count = consent_withdraw(user=person.user, kind=Consent.Kind.PARTNER_SHARING)
    person.__dict__["sharing_consent"] = None
    return count
