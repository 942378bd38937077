from __future__ import annotations

import uuid

from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR; set by the proxy in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def submission_key(request: HttpRequest) -> uuid.UUID | None:
    """A form's one-time submission key (a hidden field): the same submission twice is stored
    once. None when missing or not a key."""
    try:
        return uuid.UUID(request.POST.get("submission", ""))
    except ValueError:
        return None
