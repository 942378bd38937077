from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivateByDefaultMiddleware:
    """Pages are never cached by browsers or proxies; static assets keep their own headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        return response
