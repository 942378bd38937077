"""Template helpers: the "New for you" list for any page that includes
reminders/_notices.html, and whether e-mail reminders are on (for the Privacy page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from interlude.consents.models import Consent
from interlude.reminders.queries import NewForYou
from interlude.reminders.queries import new_for_you as new_for_you_query

register = template.Library()


@register.simple_tag(takes_context=True)
def new_for_you(context: dict[str, Any]) -> list[NewForYou]:
    """The signed-in client's unread notices (one query), so one include line adds the list."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return new_for_you_query(user) if user is not None else []


@register.filter
def reminder_email_on(consents: Iterable[Consent]) -> bool:
    """Whether a list of a person's agreements has a standing one to e-mail reminders."""
    return any(c.kind == Consent.Kind.REMINDER_EMAIL and c.withdrawn_at is None for c in consents)
