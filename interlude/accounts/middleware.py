"""Session rules: idle timeout by role, an absolute lifetime, and sign-out that clears site data;
and each person's own time zone for every date and time a page shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from interlude.accounts.forms import TimeZoneForm
from interlude.accounts.keep import rescue_for
from interlude.accounts.timezones import zone_named

STARTED = "_interlude_started"
SEEN = "_interlude_seen"
# Refresh "last seen" at most once a minute so that reading pages does not write the session.
SEEN_GRANULARITY = 60
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def idle_seconds(user: Any) -> int:
    """How long USER may leave Interlude alone before they are signed out, for privacy."""
    minutes = (
        settings.SESSION_IDLE_MINUTES_PRACTITIONER
        if user.is_practitioner
        else settings.SESSION_IDLE_MINUTES_CLIENT
    )
    return 60 * int(minutes)


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED)
            seen = request.session.get(SEEN)
            if started is None:
                request.session[STARTED] = request.session[SEEN] = now
            else:
                idle_limit = idle_seconds(user)
                too_old = now - started > settings.SESSION_ABSOLUTE_SECONDS
                if too_old or (seen is not None and now - seen > idle_limit):
                    return self._expire(request)
                if seen is None or now - seen >= SEEN_GRANULARITY:
                    request.session[SEEN] = now
        response = self.get_response(request)
        if request.method == "POST" and request.path == reverse("account_logout"):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    def _expire(self, request: HttpRequest) -> HttpResponse:
        kept = request.method == "POST" and self._keep_typed_text(request)
        logout(request)
        if kept:
            messages.info(
                request,
                "You were signed out after a while without activity, for privacy. What you were "
                "writing is kept: you'll find it where you left it.",
            )
        else:
            messages.info(
                request, "You were signed out after a while without activity, for privacy."
            )
        login = f"{reverse('account_login')}?next={request.path}"
        response: HttpResponse
        if request.headers.get("HX-Request"):
            # htmx would follow a redirect and put the sign-in page inside this one: ask it to
            # go to the sign-in page instead (the background saves of a page left open, too).
            hx_next = request.headers.get("HX-Current-URL", "")
            path = urlsplit(hx_next).path if hx_next else ""
            if path.startswith("/") and not path.startswith("//"):
                login = f"{reverse('account_login')}?{urlencode({'next': path})}"
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
        else:
            response = redirect(login)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    @staticmethod
    def _keep_typed_text(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        rescue = rescue_for(match.func)
        if rescue is None:
            return False
        request.resolver_match = match
        rescue(request, request.user)
        return True


TRACKED = "_interlude_session_tracked"


class ThrottledUserSessionsMiddleware:
    """allauth's session list, with "last seen" refreshed at most once a minute.

    allauth's own middleware writes a row on every request; with synchronous=FULL that is an fsync
    per page view, about half the cost of being signed in (measured by `make bench`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = int(time.time())
            if now - session.get(TRACKED, 0) >= SEEN_GRANULARITY or not session.session_key:
                from allauth.usersessions.models import UserSession

                UserSession.objects.create_from_request(request)
                session[TRACKED] = now
        return self.get_response(request)


class TimeZoneMiddleware:
    """Every date and time a page shows (`|date`, `timezone.localtime()`, form values) is in
    the signed-in person's own zone; in UTC for anyone else, or while no zone is chosen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = zone_named(user.time_zone) if user is not None and user.is_authenticated else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # A worker thread serves other people next: nobody inherits this person's zone.
            timezone.deactivate()

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        """The Account page is allauth's own view: its time-zone form is added here, the one
        place that sees that page's context before it is drawn."""
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is not None
            and match.url_name == "account_email"
            and user is not None
            and user.is_authenticated
            and isinstance(response.context_data, dict)
        ):
            response.context_data["time_zone_form"] = TimeZoneForm(
                initial={"time_zone": user.time_zone}
            )
        return response
