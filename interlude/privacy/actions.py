from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from interlude.accounts.models import User
from interlude.audit.actions import audit_record
from interlude.consents.models import Consent
from interlude.couples.access import open_membership_for
from interlude.encryption.keys import destroy_data_key
from interlude.encryption.models import DataKey
from interlude.homework.models import Assignment, PracticeDraft, PracticeEntry
from interlude.journal.models import JournalEntry
from interlude.onboarding.actions import partner_leave


@transaction.atomic
def client_account_delete(*, user: User, ip: str | None = None) -> None:
    """Delete a client's account: their key is destroyed first, so everything they wrote is
    unreadable everywhere (backups included); then their content, sign-in and sessions go.

    What stays, as a therapist's clinical record must: that this person was a client (name and
    dates of care), their consent history, and the audit log.
    """
    destroy_data_key(DataKey.OwnerKind.USER, user.pk)
    member = open_membership_for(user)
    if member is not None and member.client_id == user.pk:
        partner_leave(member=member, user=user)
    JournalEntry.objects.filter(author=user).delete()
    PracticeEntry.objects.filter(client=user).delete()
    PracticeDraft.objects.filter(client=user).delete()
    Assignment.objects.filter(client=user).delete()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        Session.objects.filter(session_key=session.session_key).delete()
    UserSession.objects.filter(user=user).delete()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "is_active", "password"])
    audit_record(actor=None, action="account.delete", target=user, subject=user, ip=ip)
