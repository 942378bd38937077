"""The request a signed-in view receives, typed: its user is one of ours, never anonymous."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from allauth.account.decorators import reauthentication_required as _reauthentication_required
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from interlude.accounts.models import User

View = TypeVar("View", bound=Callable[..., Any])


class AuthedRequest(HttpRequest):
    """For views behind login_required: `request.user` is a User, `request.htmx` is set."""

    user: User
    htmx: HtmxDetails


def reauthentication_required(view: View) -> View:
    """allauth's decorator (the person confirms who they are again first), typed."""
    return cast(View, _reauthentication_required(view))
