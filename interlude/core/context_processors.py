from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from interlude.accounts.middleware import idle_seconds


def interlude(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "DEMO": settings.DEMO,
        "INVITATION_DAYS": settings.INVITATION_DAYS,
        # A page left open leaves itself once the session has ended (idle.js).
        "IDLE_SECONDS": idle_seconds(user) if signed_in else None,
    }
