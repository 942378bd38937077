"""Which visibilities an author may choose right now, and the plain words for each."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from interlude.accounts.models import User
from interlude.consents.access import has_standing_consent
from interlude.consents.models import Consent
from interlude.couples.access import linked_partner_of
from interlude.privacy.visibility import PARTNER_CAN_READ, Visibility


def allowed_visibilities(author: User) -> list[str]:
    """Partner options appear only while linked and while the author's sharing consent stands."""
    allowed = [Visibility.ONLY_ME, Visibility.THERAPIST]
    if linked_partner_of(author) is not None and has_standing_consent(
        author, Consent.Kind.PARTNER_SHARING
    ):
        allowed += [Visibility.PARTNER, Visibility.BOTH]
    return [str(v) for v in allowed]


def check_visibility_allowed(author: User, visibility: str) -> None:
    if visibility not in allowed_visibilities(author):
        if visibility in PARTNER_CAN_READ:
            raise ValidationError(
                "Sharing with a partner needs a linked partner and sharing turned on in Privacy."
            )
        raise ValidationError("Please choose who can see this.")
