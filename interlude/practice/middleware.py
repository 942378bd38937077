from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a practitioner may open before enrolling two-step sign-in: the account pages (where
# enrolment happens), signing out, static files, and the page explaining why.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/secure-your-account/")


class TherapistMFAMiddleware:
    """Practitioners must enrol MFA before any practice or client page opens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_practitioner
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return redirect(reverse("mfa_required"))
        return self.get_response(request)
