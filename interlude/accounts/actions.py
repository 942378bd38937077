from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from interlude.accounts.models import User
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
    if user.emailaddress_set.filter(verified=True).exists():
        raise ValueError("Only an account whose address was never confirmed can be removed.")
    audit_record(actor=None, action="account.remove_unconfirmed", target=user)
    user.delete()
