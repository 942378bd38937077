from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction

from interlude.accounts.models import User
from interlude.accounts.timezones import NOT_CHOSEN, validate_time_zone
from interlude.audit.actions import audit_record


@transaction.atomic
def account_create(*, email: str, password: str, name: str, kind: str) -> User:
    """Create a person's account with a verified address (the invitation reached it)."""
    user = User.objects.create_user(email=email, password=password, name=name.strip(), kind=kind)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def account_remove_unconfirmed(*, user: User) -> None:
    """Remove an account whose address was never confirmed (it never signed in: allauth asks
    for confirmation first)."""
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValueError("Only an account whose address was never confirmed can be removed.")
    audit_record(actor=None, action="account.remove_unconfirmed", target=user)
    user.delete()


@transaction.atomic
def account_sign_in_erase(*, user: User) -> None:
    """A leaving person's ways of signing in go: addresses, second factors, every session.
    The account row stays, anonymised, so the clinical record can still say who this was."""
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    EmailConfirmation.objects.filter(email_address__user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()


@transaction.atomic
def account_anonymise(*, user: User) -> None:
    """The account can never sign in again and no longer holds the person's address."""
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.is_active = False
    user.time_zone = ""  # where someone lives says something about who they are
    user.set_unusable_password()
    user.save(update_fields=["email", "is_active", "time_zone", "password"])


@transaction.atomic
def account_time_zone_set(*, user: User, time_zone: str) -> User:
    """The time zone every date and time is shown to the person in, as they confirmed or
    chose it (it is never guessed for them). Only a zone from the tz database is accepted."""
    if not time_zone:
        raise ValidationError(NOT_CHOSEN, code="required")
    validate_time_zone(time_zone)
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        audit_record(actor=user, action="account.time_zone_set", target=user, subject=user)
    return user
