from __future__ import annotations

from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR; set by the proxy in production)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
