"""What every piece of client writing with a "who can see this" choice carries.

A partner reads an entry only under the sharing agreement it was shared under: the author's
standing consent to share with the partner of one specific couple link. When that link ends, or
the author turns sharing off, the agreement is withdrawn and everything shared under it goes back
to being the author's alone (and their therapist's, if chosen). Turning sharing on again is a new
agreement, so nothing earlier is re-shared without the author choosing it entry by entry.

This is an abstract model: sharing owns no table; each app's model inherits these fields.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from interlude.sharing.visibility import PARTNER_CAN_READ, Visibility

# What an entry shared with a partner becomes when its sharing agreement has ended.
WITHOUT_PARTNER = {Visibility.PARTNER: Visibility.ONLY_ME, Visibility.BOTH: Visibility.THERAPIST}


class PartnerShareable(models.Model):
    """Mixin for models with a `visibility` field that may include the author's partner."""

    # The author's partner-sharing consent this was shared under (None: not shared with a
    # partner). Kept when the consent is withdrawn, so the page can say truthfully when sharing
    # ended.
    shared_under = models.ForeignKey(
        "consents.Consent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def effective_visibility(self) -> str:
        """Who can read this now: a partner only while the agreement it was shared under stands."""
        visibility: str = self.visibility  # type: ignore[attr-defined]
        if visibility in PARTNER_CAN_READ and not self.partner_sharing_stands:
            return str(WITHOUT_PARTNER[Visibility(visibility)])
        return visibility

    @property
    def partner_sharing_stands(self) -> bool:
        consent = self.shared_under
        return consent is not None and consent.withdrawn_at is None

    @property
    def partner_sharing_ended(self) -> bool:
        """Shared with a partner once, and that sharing has ended."""
        visibility: str = self.visibility  # type: ignore[attr-defined]
        return visibility in PARTNER_CAN_READ and not self.partner_sharing_stands


def readable_by_partner(couple_id: int) -> Q:
    """Rows shared with the partner of COUPLE_ID's link, under an agreement that still stands."""
    return Q(
        visibility__in=PARTNER_CAN_READ,
        shared_under__couple_id=couple_id,
        shared_under__withdrawn_at__isnull=True,
    )
