from __future__ import annotations

from django.db import transaction

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.couples.access import open_membership_for
from interlude.encryption.keys import destroy_data_key
from interlude.encryption.models import DataKey
from interlude.onboarding.actions import partner_leave
from interlude.privacy.registry import records


@transaction.atomic
def client_account_delete(*, user: User, ip: str | None = None) -> None:
    """Delete a client's account: their key is destroyed first, so everything they wrote is
    unreadable everywhere (backups included); they leave their couple link; then each app
    erases its part (its personal_data.py says how), the account itself last.

    What stays, as a therapist's clinical record must: that this person was a client (name and
    dates of care), their consent history, and the audit log.
    """
    destroy_data_key(DataKey.OwnerKind.USER, user.pk)
    member = open_membership_for(user)
    if member is not None and member.client_id == user.pk:
        partner_leave(member=member, user=user)
    erased = set()
    for record in sorted(records(), key=lambda r: r.model is User):
        if record.erase is not None and record.erase not in erased:
            record.erase(user)
            erased.add(record.erase)
    audit_record(actor=None, action="account.delete", target=user, subject=user, ip=ip)
