"""Second factors: what counts, who must keep one, and what happens when one is lost.

A second factor is an authenticator app (TOTP) or a passkey / security key (WebAuthn). Recovery
codes are a way back in when a factor is out of reach, not a factor of their own: an account with
only recovery codes signs in with its password alone.

Practitioners (therapists and practice admins) must always have a factor:
- the account pages refuse to remove their last one (`can_remove`);
- if one is lost anyway (removed by support or from a shell, which allauth's pages never see),
  `on_authenticator_deleted` signs them out everywhere and marks their e-mail address as
  unconfirmed. Signing in again then needs allauth's e-mailed confirmation link
  (ACCOUNT_EMAIL_VERIFICATION = "mandatory"), and allauth adds no factor while an address is
  unconfirmed. So a password alone, however it was learnt, never sets up a new factor.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction

from interlude.accounts.models import User

FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_second_factor(user: Any) -> bool:
    """An authenticator app or a passkey / security key; recovery codes alone do not count."""
    if not getattr(user, "pk", None):
        return False
    return bool(Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists())


def must_keep_a_factor(user: Any) -> bool:
    return bool(getattr(user, "is_practitioner", False))


def can_remove(authenticator: Authenticator) -> bool:
    """Anyone may remove a factor, except a practitioner's last one."""
    if authenticator.type not in FACTOR_TYPES or not must_keep_a_factor(authenticator.user):
        return True
    others = Authenticator.objects.filter(
        user_id=authenticator.user_id, type__in=FACTOR_TYPES
    ).exclude(pk=authenticator.pk)
    return bool(others.exists())


def on_authenticator_deleted(sender: Any, instance: Authenticator, **kwargs: Any) -> None:
    """post_delete of allauth's Authenticator: catches a factor removed outside allauth's pages.

    A receiver, unlike the rest of Interlude's writes, because those removals happen in code we
    do not own (a shell, a support script, an admin tool); allauth's own pages refuse to remove
    a practitioner's last factor, so on them this does nothing.
    """
    if instance.type not in FACTOR_TYPES:
        return
    user = User.objects.filter(pk=instance.user_id, is_active=True).first()
    if user is None or not must_keep_a_factor(user) or has_second_factor(user):
        return
    factor_lost(user=user)


@transaction.atomic
def factor_lost(*, user: User) -> None:
    """USER, a practitioner, has no second factor left: start again from the e-mailed link."""
    from allauth.usersessions.models import UserSession

    # Recovery codes made for the lost factor go with it: a new factor comes with new codes.
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    EmailAddress.objects.filter(user=user).update(verified=False)
    for session in UserSession.objects.filter(user=user):
        session.end()
    transaction.on_commit(lambda: _tell(user.pk))


def _tell(user_id: int) -> None:
    from allauth.account.adapter import get_adapter

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        get_adapter().send_notification_mail("account/email/factor_lost", user, email=user.email)
