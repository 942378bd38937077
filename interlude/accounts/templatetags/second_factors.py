"""Template filters for the two-step sign-in pages and e-mails."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django import template

from interlude.accounts import factors

register = template.Library()


@register.filter
def needs_second_factor(user: Any) -> bool:
    """A practitioner without an authenticator app or passkey (recovery codes do not count)."""
    return factors.must_keep_a_factor(user) and not factors.has_second_factor(user)


@register.filter
def must_keep_a_factor(user: Any) -> bool:
    return factors.must_keep_a_factor(user)


@register.filter
def can_remove_factor(authenticator: Authenticator) -> bool:
    return factors.can_remove(authenticator)


@register.filter
def has_keys(user: Any) -> bool:
    """Whether USER has a passkey or security key (only they are offered "Use a passkey")."""
    if not getattr(user, "pk", None):
        return False
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()
    )


@register.filter
def has_authenticator_app(user: Any) -> bool:
    if not getattr(user, "pk", None):
        return False
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


@register.filter
def waits_for_email_link(user: Any) -> bool:
    """A practitioner whose factor was lost: no new one until the e-mailed link is opened."""
    from allauth.account.models import EmailAddress

    return (
        needs_second_factor(user)
        and EmailAddress.objects.filter(user_id=user.pk, verified=False).exists()
    )
