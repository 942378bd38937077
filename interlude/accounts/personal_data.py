"""What a client's export holds of their account, and what erasing it does."""

from __future__ import annotations

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from interlude.accounts.actions import account_anonymise, account_sign_in_erase
from interlude.accounts.models import User
from interlude.lib.personal_data import Record

RECORDS = [
    Record(
        User,
        "Your account",
        rows=lambda u: User.objects.filter(pk=u.pk),
        fields={
            "email": "E-mail address",
            "name": "Name",
            "date_joined": "Joined",
            "time_zone": "Time zone",
        },
        erase=lambda u: account_anonymise(user=u),
    ),
    Record(
        EmailAddress,
        "E-mail addresses",
        rows=lambda u: EmailAddress.objects.filter(user=u),
        fields={"email": "Address", "verified": "Confirmed", "primary": "Main address"},
        erase=lambda u: account_sign_in_erase(user=u),
    ),
    Record(
        EmailConfirmation,
        "Address confirmations",
        rows=lambda u: EmailConfirmation.objects.filter(email_address__user=u),
        not_exported_because="short-lived confirmation codes",
        erase=lambda u: account_sign_in_erase(user=u),
    ),
    Record(
        Authenticator,
        "Ways you confirm it's you",
        rows=lambda u: Authenticator.objects.filter(user=u),
        fields={"type": "Kind", "created_at": "Added", "last_used_at": "Last used"},
        erase=lambda u: account_sign_in_erase(user=u),
    ),
    Record(
        UserSession,
        "Where you are signed in",
        rows=lambda u: UserSession.objects.filter(user=u),
        fields={
            "ip": "From the address",
            "user_agent": "Browser",
            "created_at": "Signed in",
            "last_seen_at": "Last seen",
        },
        erase=lambda u: account_sign_in_erase(user=u),
    ),
]
