"""The only ways views obtain reminder rows."""

from __future__ import annotations

from django.http import Http404

from interlude.accounts.models import User
from interlude.reminders.links import token_hash, user_id_from_stop_token
from interlude.reminders.models import CalendarFeed


def get_feed_for_token(token: str) -> CalendarFeed:
    """The calendar feed a link's token opens, for an account that is still open; any other
    token (revoked, replaced, made up) is not found."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def user_for_stop_token(token: str) -> User | None:
    """The open account a stop link was made for, or None for a link that was altered, made up,
    or belongs to a closed account."""
    user_id = user_id_from_stop_token(token)
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()
