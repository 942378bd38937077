from __future__ import annotations

from interlude.accounts.models import User
from interlude.consents.models import Consent


def has_standing_consent(user: User, kind: str) -> bool:
    """Whether USER has given, and not withdrawn, consent of KIND."""
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).exists()


def consents_of(user: User) -> list[Consent]:
    return list(Consent.objects.filter(user=user).order_by("-given_at"))
