"""Every e-mail Interlude sends goes through the task queue, never from inside a request.

A sign-in link is never written into the queue: a task that sends one gets the ids it needs and
builds the link when it sends (a password-reset key and an address-confirmation key can both be
derived again from the account; an invitation's token from its row and SECRET_KEY). Messages
that carry no secret are rendered in the request and queued as text.

Sending is retried with growing pauses for about a day; then the task gives up and logs why,
naming the kind of message and an id, never an address or any text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

logger = logging.getLogger("interlude.mail")

# Pauses before each further try, in minutes: the last one is about 19 hours after the first.
BACKOFF_MINUTES = (1, 5, 30, 120, 360, 840)


def site() -> SimpleNamespace:
    """What e-mail templates call the site (allauth's `current_site`), without a request."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def absolute(path: str) -> str:
    """A link to PATH on this installation, for an e-mail."""
    return settings.SITE_URL.rstrip("/") + path


def send_or_retry(
    send: Callable[[], Any], *, again: Callable[..., Any], attempt: int, what: str
) -> bool:
    """Call SEND; if it raises, enqueue AGAIN(attempt=attempt + 1) after a pause, or give up
    after the last one. Returns whether it was sent."""
    try:
        send()
    except Exception as exc:  # noqa: BLE001 - any failure to hand over the message is retried
        if attempt > len(BACKOFF_MINUTES):
            logger.error("Gave up sending %s after %d tries: %s", what, attempt, type(exc).__name__)
            return False
        pause = timedelta(minutes=BACKOFF_MINUTES[attempt - 1])
        logger.warning(
            "Could not send %s (try %d: %s); trying again in %s",
            what,
            attempt,
            type(exc).__name__,
            pause,
        )
        again(attempt=attempt + 1, run_after=timezone.now() + pause)
        return False
    return True


def message(*, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> Any:
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
