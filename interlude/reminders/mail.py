"""The one e-mail reminders and notices send, the same every time, whatever it is about.

Subject, body and sender say only that there is something new, with a link to sign in and a
link to stop these e-mails. No exercise, note, name or anything the person wrote is ever given
to this module: it takes nothing but the account's number and address. Plain text only, so
there is no preview text (preheader) to leak anything either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from interlude.accounts.mail import absolute, message
from interlude.reminders.links import stop_url

# A mail server that does not answer is let go after this long (and tried again later): the
# message is sent inside the transaction that marks it sent, which must not wait for ever.
SEND_TIMEOUT = 20


def subject() -> str:
    return f"You have something new in {settings.SITE_NAME}"


def reminder_message(*, user_id: int, to: str) -> Any:
    """The neutral e-mail, with a link to sign in and a signed link to stop (also offered to
    mail programs as a one-click unsubscribe, RFC 8058)."""
    stop = stop_url(user_id)
    body = render_to_string(
        "emails/reminder.txt",
        {
            "site_name": settings.SITE_NAME,
            "sign_in_url": absolute(reverse("account_login")),
            "stop_url": stop,
        },
    )
    email = message(
        to=to,
        subject=subject(),
        body=body,
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.connection = get_connection(timeout=SEND_TIMEOUT)
    return email
