"""The two links that work without signing in: stopping e-mail reminders, and the calendar feed.

Stopping: a value signed with SECRET_KEY under its own salt (django.core.signing). It names the
account by number only, never by address, and works for as long as the account exists; an
altered or made-up one is refused. It is made when an e-mail is sent, never queued.

Calendar: a 256-bit token, shown to the person once. Only its SHA-256 hash is stored (a hash is
enough: the token is long and random, so it cannot be guessed from its hash). It is derived from
SECRET_KEY, the account and the form's one-time random key, so a form sent twice (a double tap)
shows the same link rather than two links of which only the later works.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from interlude.accounts.mail import absolute

STOP_SALT = "interlude.reminders.stop"
CALENDAR_SALT = "interlude.reminders.calendar"


def stop_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=STOP_SALT)


def user_id_from_stop_token(token: str) -> int | None:
    """The account a stop link was made for, or None for a link that was altered or made up."""
    try:
        value = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def stop_url(user_id: int) -> str:
    return absolute(reverse("reminders_stop", args=[stop_token(user_id)]))


def calendar_token(user_id: int, submission: uuid.UUID) -> str:
    digest = salted_hmac(CALENDAR_SALT, f"{user_id}:{submission}", algorithm="sha256")
    return digest.hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_url(token: str) -> str:
    return absolute(reverse("reminders_calendar_feed", args=[token]))
