"""Reminders' URLs (interlude/reminders/urls.py) in the permission matrix.

The Reminders page and its switches are each client's own (a therapist or admin has none: 404).
The calendar feed and the link that stops reminder e-mails are opened without signing in: the
link is the key (Bob's here), so everyone gets the same answer, signed in or not.
"""

from __future__ import annotations

import uuid
from typing import Any

from interlude.reminders.actions import calendar_feed_create
from interlude.reminders.links import stop_token
from interlude.testing import Cast
from tests.test_permission_matrix import (
    CLIENTS,
    REFUSED_PUBLIC,
    Case,
    action,
    everyone,
    ok,
    only,
    page,
)


def build(cast: Cast, ctx: dict[str, Any]) -> None:
    ctx["calendar_token"] = calendar_feed_create(user=cast.bob, submission=uuid.uuid4())
    ctx["stop_token"] = stop_token(cast.bob.pk)


MATRIX: dict[str, Case] = {
    "reminders": Case(
        get=only(ok(CLIENTS)),
        post=only(ok(CLIENTS, 302)),
        data={"scheduled": "on", "days": "0", "at": "19:00"},
    ),
    "reminders_email": action(only(ok(CLIENTS, 302)), data={"email": "on"}),
    # Making a link answers with the page that shows it, once.
    "reminders_calendar": action(only(ok(CLIENTS)), data={"submission": str(uuid.uuid4())}),
    "reminders_calendar_feed": page(
        everyone(200, anonymous=200),
        post=REFUSED_PUBLIC,
        kwargs=lambda cast, ctx: {"token": ctx["calendar_token"]},
    ),
    "reminders_stop": Case(
        get=everyone(200, anonymous=200),
        post=everyone(200, anonymous=200),
        kwargs=lambda cast, ctx: {"token": ctx["stop_token"]},
    ),
    "notices_seen": action(only(ok(CLIENTS, 302))),
}
