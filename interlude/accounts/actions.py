from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from interlude.accounts.models import User


@transaction.atomic
def account_create(*, email: str, password: str, name: str, kind: str) -> User:
    """Create a person's account with a verified address (the invitation reached it)."""
    user = User.objects.create_user(email=email, password=password, name=name.strip(), kind=kind)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
