"""The request a signed-in view receives, typed: its user is one of ours, never anonymous."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from interlude.accounts.models import User


class AuthedRequest(HttpRequest):
    """For views behind login_required: `request.user` is a User, `request.htmx` is set."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
