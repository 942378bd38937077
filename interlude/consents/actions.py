from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consents.models import Consent

if TYPE_CHECKING:  # consents sit below couples: an agreement may name a couple case
    from interlude.couples.models import CoupleCase


@transaction.atomic
def consent_give(
    *, user: User, kind: str, version: str, couple: CoupleCase | None = None
) -> Consent:
    """Record that USER agreed to KIND at VERSION (optionally for one couple case)."""
    consent = Consent.objects.create(user=user, kind=kind, version=version, couple=couple)
    audit_record(actor=user, action="consent.give", target=consent, subject=user)
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, kind: str, couple: CoupleCase | None = None) -> int:
    """Withdraw every standing consent of KIND; takes effect at once. Returns how many."""
    standing = Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True)
    if couple is not None:
        standing = standing.filter(couple=couple)
    count = standing.update(withdrawn_at=timezone.now())
    if count:
        audit_record(actor=user, action=f"consent.withdraw.{kind}", subject=user)
    return count


@transaction.atomic
def consents_withdraw_all(*, user: User) -> int:
    """Withdraw everything USER agreed to (when their account is deleted)."""
    count = Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if count:
        audit_record(actor=user, action="consent.withdraw.all", subject=user)
    return count
